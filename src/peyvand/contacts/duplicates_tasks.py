"""Duplicate detection in the background, for imports: one task per committed batch of rows."""

from __future__ import annotations

from django_tasks import task

from peyvand.contacts.duplicates import find_duplicates_of


@task()
def find_duplicates(*, party_ids: list[int]) -> int:
    """Look for duplicates of these parties; how many new pairs were stored.

    Safe to run twice: pairs already stored, open or dismissed, are left as they are.
    """
    return find_duplicates_of(party_ids)
