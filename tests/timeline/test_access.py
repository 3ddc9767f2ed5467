"""Who sees and changes interactions: sight follows the party, change follows the interaction's own owner and team."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.timeline import access
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory

pytestmark = pytest.mark.django_db


def _user(grants: dict[tuple[str, str], Scope], **fields: object) -> User:
    return UserFactory(roles=[RoleFactory(grants=grants)], **fields)


def test_any_view_scope_on_interactions_shows_every_interaction_of_the_parties_one_sees() -> None:
    # Given Ali sees all persons and only "his own" interactions
    ali = _user({("persons", "view"): Scope.ALL, ("interactions", "view"): Scope.OWN})
    interaction = InteractionFactory(owner=UserFactory())

    # Then he still sees an interaction someone else had, because he sees its party
    assert access.access_interaction(ali, interaction.pk) == interaction
    assert list(access.visible_interactions(ali)) == [interaction]


def test_an_interaction_of_an_unseen_party_is_missing_and_without_the_module_refused() -> None:
    owner_only = _user({("persons", "view"): Scope.OWN, ("interactions", "view"): Scope.ALL})
    no_module = _user({("persons", "view"): Scope.ALL})
    interaction = InteractionFactory()

    with pytest.raises(Http404):
        access.access_interaction(owner_only, interaction.pk)
    with pytest.raises(PermissionDenied):
        access.access_interaction(no_module, interaction.pk)
    assert list(access.visible_interactions(no_module)) == []


def test_editing_follows_the_interactions_owner_and_team() -> None:
    # Given Sara's team is above the field team, and Ali may edit his team's interactions
    sales = TeamFactory(name="Sales")
    field = TeamFactory(name="Field", parent=sales)
    ali = _user({("persons", "view"): Scope.ALL, ("interactions", "view"): Scope.OWN,
                 ("interactions", "edit"): Scope.TEAM, ("interactions", "delete"): Scope.OWN}, teams=[sales])  # fmt: skip
    in_field = InteractionFactory(owner=UserFactory(teams=[field]))
    elsewhere = InteractionFactory(owner=UserFactory(teams=[TeamFactory(name="Isfahan")]))
    his = InteractionFactory(owner=ali)

    # Then he edits his own and the field team's, not the others'; he deletes only his own
    assert access.access_interaction(ali, in_field.pk, Action.EDIT) == in_field
    assert access.access_interaction(ali, his.pk, Action.DELETE) == his
    with pytest.raises(PermissionDenied):
        access.access_interaction(ali, elsewhere.pk, Action.EDIT)
    with pytest.raises(PermissionDenied):
        access.access_interaction(ali, in_field.pk, Action.DELETE)


def test_logging_needs_create_and_a_view_of_the_party() -> None:
    viewer = _user({("persons", "view"): Scope.ALL, ("interactions", "view"): Scope.ALL})
    logger = _user({("persons", "view"): Scope.OWN, ("interactions", "create"): Scope.OWN})
    party = PersonFactory()

    with pytest.raises(PermissionDenied):
        access.access_party_for_logging(viewer, party.pk)
    with pytest.raises(Http404):
        access.access_party_for_logging(logger, party.pk)
    assert access.access_party_for_logging(logger, PersonFactory(owner=logger).pk).owner == logger
