"""Factories for the customer file. They go through the services, so every invariant holds
(search terms, contact-point keys, encrypted fields) exactly as in real use.

``PersonFactory(phones=["0912 123 4567"], emails=["sara@example.com"], owner=user, team=team)``;
``owner`` and ``team`` default to none.
"""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from peyvand.contacts.models import ContactPoint, CustomField, Party, RelationshipType
from peyvand.contacts.normalize import ContactPointIn
from peyvand.contacts.services.parties import party_create

_POINT_ARGUMENTS = {"phones": ContactPoint.Kind.PHONE, "emails": ContactPoint.Kind.EMAIL,
                    "websites": ContactPoint.Kind.WEBSITE}  # fmt: skip


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.PERSON

    @classmethod
    def _create(cls, model_class: type[Party], *args: Any, **kwargs: Any) -> Party:
        kind = kwargs.pop("kind")
        actor = kwargs.pop("actor", None)
        owner = kwargs.pop("owner", None)
        team = kwargs.pop("team", None)
        tags = kwargs.pop("tags", ())
        addresses = kwargs.pop("addresses", ())
        points = [
            ContactPointIn(kind=point_kind, value=value)
            for argument, point_kind in _POINT_ARGUMENTS.items()
            for value in kwargs.pop(argument, ())
        ]
        points += kwargs.pop("contact_points", [])
        return party_create(actor=actor, kind=kind, fields=kwargs, contact_points=points, addresses=addresses,
                            tags=tags, owner=owner, team=team)  # fmt: skip


class PersonFactory(PartyFactory):
    kind = Party.Kind.PERSON
    first_name = "Sara"
    last_name = factory.Sequence(lambda n: f"Karimi {n}")


class CompanyFactory(PartyFactory):
    kind = Party.Kind.COMPANY
    name = factory.Sequence(lambda n: f"Pars Trading {n}")


class LeadFactory(PartyFactory):
    kind = Party.Kind.LEAD
    first_name = "Reza"
    last_name = factory.Sequence(lambda n: f"Moradi {n}")
    company_name = "Kavir Tile"


class RelationshipTypeFactory(DjangoModelFactory):
    class Meta:
        model = RelationshipType
        django_get_or_create = ("key",)

    key = "works_at"
    name = "کار می‌کند در"
    name_en = "works at"
    inverse_name = "کارمند"
    inverse_name_en = "employs"


class CustomFieldFactory(DjangoModelFactory):
    class Meta:
        model = CustomField

    kind = Party.Kind.PERSON
    key = factory.Sequence(lambda n: f"field_{n}")
    label = factory.Sequence(lambda n: f"فیلد {n}")
    label_en = factory.Sequence(lambda n: f"Field {n}")
    field_type = CustomField.Type.TEXT
