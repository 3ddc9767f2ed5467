"""Factories for the timeline. Interactions go through ``interaction_log``, so the party's figures and
tallies are kept exactly as in real use.

``InteractionFactory(party=person, channel=channel("store"), occurred_at=…, owner=user)``.
Channels are looked up by key (the default ones come with a migration, which a transactional test
empties; the factory puts them back).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from peyvand.timeline import services
from peyvand.timeline.models import Channel, Interaction
from tests.contacts.factories import PersonFactory

NAMES = {"phone": ("تلفن", "Phone"), "email": ("ایمیل", "Email"), "sms": ("پیامک", "SMS"),
         "store": ("مراجعه به فروشگاه یا شعبه", "Store or branch visit"), "website": ("وب‌سایت", "Website")}  # fmt: skip


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.LazyAttribute(lambda channel: NAMES.get(channel.key, (f"کانال {channel.key}", ""))[0])
    name_en = factory.LazyAttribute(lambda channel: NAMES.get(channel.key, ("", f"Channel {channel.key}"))[1])
    icon = factory.LazyAttribute(lambda channel: channel.key if channel.key in NAMES else "channel")
    cost_per_contact = 0


def channel(key: str = "phone", **values: Any) -> Channel:
    """The channel with this key (one of the default ones, made again if a transactional test emptied
    them), with ``values`` set."""
    found: Channel = ChannelFactory(key=key)
    if values:
        for name, value in values.items():
            setattr(found, name, value)
        found.save()
    return found


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    party = factory.SubFactory(PersonFactory)
    channel = factory.LazyFunction(channel)
    kind = Interaction.Kind.CALL
    direction = Interaction.Direction.INBOUND
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    subject = factory.Sequence(lambda n: f"Call {n}")
    content = ""

    @classmethod
    def _create(cls, model_class: type[Interaction], *args: Any, **kwargs: Any) -> Interaction:
        return services.interaction_log(actor=kwargs.pop("actor", None), **kwargs)
