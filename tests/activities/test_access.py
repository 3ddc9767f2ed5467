"""Who sees and changes activities: OWN is what one owns, is assigned to or takes part in; TEAM adds
the teams' activities; ALL everything. Linking a customer needs sight of it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.activities import access, services
from peyvand.activities.models import Activity
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.activities.factories import MeetingFactory, TaskFactory
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _user(grants: dict[tuple[str, str], Scope], **fields: object) -> User:
    return UserFactory(roles=[RoleFactory(grants=grants)], **fields)


def _activities(scope: Scope, **extra: Scope) -> dict[tuple[str, str], Scope]:
    grants = {("activities", action): scope for action in ("view", "create", "edit", "delete")}
    grants.update({tuple(name.split("__")): value for name, value in extra.items()})  # type: ignore[misc]
    return grants


def _visible(user: User) -> list[str]:
    return sorted(access.visible_activities(user).values_list("subject", flat=True))


def test_own_is_what_one_owns_is_assigned_to_or_takes_part_in() -> None:
    # Given Ali may see his own activities, and four activities of which three involve him
    ali = _user(_activities(Scope.OWN))
    other = UserFactory()
    TaskFactory(subject="owned", owner=ali, assignees=[other])
    TaskFactory(subject="assigned", owner=other, assignees=[ali])
    MeetingFactory(subject="invited", owner=other, assignees=[other], participant_users=[ali])
    elsewhere = TaskFactory(subject="elsewhere", owner=other, assignees=[other])

    # Then he sees those three, and the fourth is missing to him
    assert _visible(ali) == ["assigned", "invited", "owned"]
    with pytest.raises(Http404):
        access.access_activity(ali, elsewhere.pk)


def test_team_adds_the_activities_of_ones_teams_and_those_below_and_all_everything() -> None:
    sales = TeamFactory(name="Sales")
    field = TeamFactory(name="Field", parent=sales)
    isfahan = TeamFactory(name="Isfahan")
    team_member = _user(_activities(Scope.TEAM), teams=[sales])
    everyone = _user(_activities(Scope.ALL))
    nobody = UserFactory()
    TaskFactory(subject="field", team=field)
    TaskFactory(subject="isfahan", team=isfahan)
    TaskFactory(subject="sales", team=sales)

    assert _visible(team_member) == ["field", "sales"]
    assert _visible(everyone) == ["field", "isfahan", "sales"]
    assert _visible(nobody) == []
    with pytest.raises(PermissionDenied):
        access.access_activity(nobody, Activity.objects.first().pk)  # type: ignore[union-attr]


def test_each_action_is_checked_with_its_own_scope() -> None:
    # Given Sara sees every activity but may change and delete only her own
    sara = _user({("activities", "view"): Scope.ALL, ("activities", "edit"): Scope.OWN,
                  ("activities", "delete"): Scope.OWN})  # fmt: skip
    hers = TaskFactory(owner=sara)
    assigned = TaskFactory(assignees=[sara])
    someone_elses = TaskFactory(owner=UserFactory())

    # Then she edits and deletes hers and one assigned to her, and is refused (403) on the other
    assert access.access_activity(sara, hers.pk, Action.EDIT) == hers
    assert access.access_activity(sara, assigned.pk, Action.DELETE) == assigned
    assert access.access_activity(sara, someone_elses.pk) == someone_elses
    with pytest.raises(PermissionDenied):
        access.access_activity(sara, someone_elses.pk, Action.EDIT)
    assert access.can_activity(sara, assigned, Action.EDIT)
    assert not access.can_activity(sara, someone_elses, Action.EDIT)


def test_a_customer_the_actor_may_not_see_cannot_be_linked_or_invited() -> None:
    # Given Reza sees only his own persons
    reza = _user(_activities(Scope.OWN, persons__view=Scope.OWN))
    hidden = PersonFactory(owner=UserFactory())
    his = PersonFactory(owner=reza)

    # When he links a task to the hidden one, or invites it to a meeting
    with pytest.raises(ValidationError) as linked:
        services.activity_create(actor=reza, kind="task", subject="Call", party=hidden)
    with pytest.raises(ValidationError) as invited:
        services.activity_create(actor=reza, kind="meeting", subject="Visit", starts_at=his.created_at,
                                 participant_parties=[his, hidden])  # fmt: skip

    # Then both are refused by field and nothing is written; his own customer is fine
    assert linked.value.message_dict == {"party": ["Choose a customer you may see."]}
    assert invited.value.message_dict == {"participant_parties": ["Choose customers you may see."]}
    assert Activity.objects.count() == 0
    task = services.activity_create(actor=reza, kind="task", subject="Call", party=his)
    assert task.party == his


def test_a_hidden_customer_already_invited_stays_when_the_list_is_replaced() -> None:
    reza = _user(_activities(Scope.OWN, persons__view=Scope.OWN))
    hidden, his, another = PersonFactory(), PersonFactory(owner=reza), PersonFactory(owner=reza)
    meeting = MeetingFactory(owner=reza, participant_parties=[hidden, his])

    services.activity_update(actor=reza, activity=meeting, participant_parties=[another])

    assert sorted(meeting.participants.values_list("party_id", flat=True)) == sorted([hidden.pk, another.pk])


def test_owner_and_team_follow_the_scope_and_nobody_makes_what_they_could_not_reach() -> None:
    sales = TeamFactory(name="Sales")
    isfahan = TeamFactory(name="Isfahan")
    colleague = UserFactory(teams=[sales])
    stranger = UserFactory(teams=[isfahan])
    own = _user(_activities(Scope.OWN), teams=[sales])
    team = _user(_activities(Scope.TEAM), teams=[sales])

    # OWN gives an activity only to oneself
    with pytest.raises(ValidationError) as given_away:
        services.activity_create(actor=own, kind="task", subject="For Ali", owner=colleague, assignees=[own])
    # TEAM may give it to a colleague of the team, in the team, not to a stranger or another team
    for_colleague = services.activity_create(actor=team, kind="task", subject="For a colleague", owner=colleague,
                                             team=sales)  # fmt: skip
    with pytest.raises(ValidationError) as outside:
        services.activity_create(actor=team, kind="task", subject="For a stranger", owner=stranger, team=isfahan)
    # Assigning it all away, one would lose sight of it
    with pytest.raises(ValidationError) as lost:
        services.activity_create(actor=team, kind="task", subject="Lost", owner=colleague, team=None,
                                 assignees=[colleague])  # fmt: skip
    services.activity_update(actor=own, activity=services.activity_create(actor=own, kind="task", subject="Mine"),
                             assignees=[own, colleague])  # fmt: skip

    assert given_away.value.message_dict == {"owner": [
        "You may give an activity only to yourself or, with your team's scope, to a member of your teams."]}  # fmt: skip
    assert for_colleague.owner == colleague
    assert outside.value.message_dict == {
        "owner": ["You may give an activity only to yourself or, with your team's scope, to a member of your teams."],
        "team": ["Choose one of your teams."],
    }
    assert lost.value.message_dict == {"owner": [
        "You would lose sight of this activity: make yourself its owner or an assignee, or give it to one of your "
        "teams."]}  # fmt: skip
    assert sorted(Activity.objects.values_list("subject", flat=True)) == ["For a colleague", "Mine"]
