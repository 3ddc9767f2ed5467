"""Factories for activities. They go through ``activity_create``, so the staff rows, reminders and
audit entries are written exactly as in real use.

``TaskFactory(owner=user, due_at=…)``, ``CallFactory(party=person, starts_at=…)``,
``MeetingFactory(assignees=[a, b], participant_parties=[person])``. ``actor`` defaults to none (the
system), so the actor's reach is not checked; ``owner`` to none too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from peyvand.activities import services
from peyvand.activities.models import Activity


def _tomorrow() -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=1)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.TASK
    subject = factory.Sequence(lambda n: f"Follow up {n}")

    @classmethod
    def _create(cls, model_class: type[Activity], *args: Any, **kwargs: Any) -> Activity:
        kwargs.setdefault("owner", None)
        return services.activity_create(actor=kwargs.pop("actor", None), **kwargs)


class TaskFactory(ActivityFactory):
    kind = Activity.Kind.TASK
    due_at = factory.LazyFunction(_tomorrow)


class CallFactory(ActivityFactory):
    kind = Activity.Kind.CALL
    subject = factory.Sequence(lambda n: f"Call back {n}")
    starts_at = factory.LazyFunction(_tomorrow)


class MeetingFactory(ActivityFactory):
    kind = Activity.Kind.MEETING
    subject = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(_tomorrow)
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + dt.timedelta(hours=1))


def staff_member(username: str | None = None, *, scope: int = 3, **fields: Any) -> Any:
    """A user whose role grants every action on activities, and the view of persons, companies and
    leads, with ``scope`` (ALL by default): what the services' checks of the actor's reach need."""
    from tests.accounts.factories import RoleFactory, UserFactory

    grants = {("activities", action): scope for action in ("view", "create", "edit", "delete", "export")}
    grants.update({(module, "view"): scope for module in ("persons", "companies", "leads")})
    if username is not None:
        fields["username"] = username
    return UserFactory(roles=[RoleFactory(grants=grants)], **fields)
