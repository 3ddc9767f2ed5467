"""The customer file's tables; each sub-module holds one part of it."""

from peyvand.contacts.models.contact_points import Address, ContactPoint
from peyvand.contacts.models.imports import ImportJob, ImportRowError
from peyvand.contacts.models.lists import Category, CustomField, RelationshipType, SavedView, Source, Tag
from peyvand.contacts.models.parties import (
    DuplicateCandidate,
    LeadConversion,
    Party,
    PartyMerge,
    Relationship,
    SearchTerm,
)

__all__ = [
    "Address",
    "Category",
    "ContactPoint",
    "CustomField",
    "DuplicateCandidate",
    "ImportJob",
    "ImportRowError",
    "LeadConversion",
    "Party",
    "PartyMerge",
    "Relationship",
    "RelationshipType",
    "SavedView",
    "SearchTerm",
    "Source",
    "Tag",
]
