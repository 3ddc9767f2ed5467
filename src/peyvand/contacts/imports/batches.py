"""Writing one batch of prepared rows, with the job's checkpoint, in one transaction.

A batch costs the same few queries whatever its size: one lookup per kind of key (row digests,
national IDs, company national IDs, emails, phones), one bulk insert per table (parties, contact
points, addresses, search terms, tags), one audit entry, one update of the job. Records are built
as ``party_create`` builds them (the same cleaning, keys, primary flags and search terms), but in
bulk: calling ``party_create`` for each row would cost dozens of queries a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, Team, User
from peyvand.accounts.permissions import Action
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts import sensitive
from peyvand.contacts.access import can_party
from peyvand.contacts.forms import owner_choices
from peyvand.contacts.imports import inserts
from peyvand.contacts.imports.rows import SEARCH_KEY_LENGTH, PreparedRow
from peyvand.contacts.models import Address, ContactPoint, ImportJob, ImportRowError, Party, SearchTerm
from peyvand.contacts.normalize import search_terms
from peyvand.contacts.services import parties

if TYPE_CHECKING:
    pass

BATCH_SIZE = 1000
KEY_KINDS = ("national_id", "company_national_id", "email", "phone")
# Fields an update may change; the rest (kind, created_by, figures) belong to the record's history.
_UPDATABLE = (*parties.EDITABLE_FIELDS, "national_id_encrypted", "national_id_hash", "birth_date_encrypted",
              "income_band_encrypted", "custom", "owner", "search_key")  # fmt: skip
_OWNER_CACHE_LIMIT = 10_000


class JobSupersededError(Exception):
    """Another run of the same job went further: this one stops without writing."""


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)


@dataclass
class _Update:
    row: PreparedRow
    party_id: int


class BatchWriter:
    """Writes the batches of one run of a job; keeps what must hold from one batch to the next."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.actor: User = job.user
        self.kind = job.kind
        self.policy = job.on_duplicate
        self.team: Team | None = self.actor.teams.filter(is_active=True).order_by("path").first()
        self.owners: dict[str, User | None] = {}
        # Records this job matched (update policy): a second row of the file matching one of them is
        # skipped, so that the file read again gives the same result. A resumed job takes them back
        # from its committed batches' audit entries, so a crash changes nothing of that.
        self.touched: set[int] = set()
        if self.policy == ImportJob.OnDuplicate.UPDATE and job.processed_rows:
            self.touched = self._touched_before()
        from peyvand.contacts.custom_fields import active_fields

        self.required_custom = [item.key for item in active_fields(self.kind) if item.is_required]

    def _touched_before(self) -> set[int]:
        """The records the job's committed batches created or updated (see ``_audit``)."""
        entries = AuditEvent.objects.filter(object_type="contacts.party", changes__import=self.job.pk)
        return {int(pk) for ids in entries.values_list("changes__ids", flat=True) for pk in (ids or [])}

    # The batch ---------------------------------------------------------------------------------
    def write(self, rows: Sequence[PreparedRow], consumed: int) -> BatchOutcome:
        """Write ``rows`` (``consumed`` rows read from the file, empty ones included) and move the checkpoint."""
        outcome = BatchOutcome()
        with transaction.atomic():
            self._check_checkpoint()
            good = [row for row in rows if not row.is_empty and not row.errors]
            self._resolve_owners(good)
            existing = self._existing(good)
            creates, updates = self._decide(good, existing, outcome)
            updated_ids = self._update(updates, outcome)
            created_ids = self._create(creates)
            self._write_tags(creates, updates)
            failed = [row for row in rows if row.errors]
            ImportRowError.objects.bulk_create(
                [ImportRowError(job=self.job, row_number=row.number, values=row.values, errors=row.errors)
                 for row in failed],
                ignore_conflicts=True,
            )  # fmt: skip
            outcome.failed = len(failed)
            outcome.created, outcome.created_ids = len(created_ids), created_ids
            outcome.updated_ids = updated_ids
            self._audit(outcome)
            self._advance(consumed, outcome)
        return outcome

    def _check_checkpoint(self) -> None:
        current = (
            ImportJob.objects.select_for_update().filter(pk=self.job.pk).values_list("processed_rows", "status").first()
        )
        if current is None or current != (self.job.processed_rows, ImportJob.Status.RUNNING):
            raise JobSupersededError

    def _advance(self, consumed: int, outcome: BatchOutcome) -> None:
        now = timezone.now()
        ImportJob.objects.filter(pk=self.job.pk).update(
            processed_rows=F("processed_rows") + consumed, created_count=F("created_count") + outcome.created,
            updated_count=F("updated_count") + outcome.updated, unchanged_count=F("unchanged_count") + outcome.unchanged,
            skipped_count=F("skipped_count") + outcome.skipped, failed_count=F("failed_count") + outcome.failed,
            heartbeat_at=now,
        )  # fmt: skip
        job = self.job
        job.processed_rows += consumed
        job.created_count += outcome.created
        job.updated_count += outcome.updated
        job.unchanged_count += outcome.unchanged
        job.skipped_count += outcome.skipped
        job.failed_count += outcome.failed
        job.heartbeat_at = now

    def _audit(self, outcome: BatchOutcome) -> None:
        label = _("Import of %(file)s") % {"file": self.job.file_name}
        if outcome.created_ids:
            audit.record(actor=self.actor, kind=AuditEvent.Kind.CREATE, object_type="contacts.party",
                         object_label=label[:300], changes={"import": self.job.pk, "ids": outcome.created_ids})  # fmt: skip
        if outcome.updated_ids:
            audit.record(actor=self.actor, kind=AuditEvent.Kind.UPDATE, object_type="contacts.party",
                         object_label=label[:300], changes={"import": self.job.pk, "ids": outcome.updated_ids})  # fmt: skip

    # Looking up -------------------------------------------------------------------------------
    def _resolve_owners(self, rows: list[PreparedRow]) -> None:
        wanted = {row.owner for row in rows if row.owner and row.owner not in self.owners}
        if wanted:
            if len(self.owners) > _OWNER_CACHE_LIMIT:
                self.owners.clear()
            lowered = {name.casefold() for name in wanted}
            # Those the forms would offer: anyone with the ALL scope, the actor's teams with TEAM, the actor with OWN.
            users = owner_choices(self.actor, self.kind, Action.CREATE).filter(
                Q(username__in=wanted) | Q(email__in=lowered)
            )
            found: dict[str, User] = {}
            for user in users:
                found.setdefault(user.username, user)
                if user.email:
                    found.setdefault(user.email.casefold(), user)
            for name in wanted:
                self.owners[name] = found.get(name) or found.get(name.casefold())
        for row in rows:
            if row.owner and self.owners.get(row.owner) is None:
                row.fail(row.owner_column, "owner",
                         _("There is no active user with this username or email to whom you may give records."))  # fmt: skip

    def _existing(self, rows: list[PreparedRow]) -> dict[str, dict[str, int]]:
        """``{key kind: {key: party id}}`` for the keys of ``rows`` already in the database; one query each."""
        digests = {row.digest for row in rows if row.digest}
        wanted: dict[str, set[str]] = {name: set() for name in KEY_KINDS}
        for row in rows:
            for name, keys in row.keys.items():
                wanted[name].update(keys)
        parties_of_kind = Party.objects.filter(kind=self.kind)
        found: dict[str, dict[str, int]] = {"digest": {}}
        queries: dict[str, Any] = {
            "digest": (parties_of_kind.filter(import_key__in=digests), "import_key", "id"),
            "national_id": (parties_of_kind.filter(national_id_hash__in=wanted["national_id"]), "national_id_hash", "id"),
            "company_national_id": (parties_of_kind.filter(company_national_id__in=wanted["company_national_id"]),
                                    "company_national_id", "id"),
            "email": (ContactPoint.objects.filter(kind="email", key__in=wanted["email"], party__kind=self.kind),
                      "key", "party_id"),
            "phone": (ContactPoint.objects.filter(kind="phone", key__in=wanted["phone"], party__kind=self.kind),
                      "key", "party_id"),
        }  # fmt: skip
        for name, (queryset, key_field, id_field) in queries.items():
            found[name] = {}
            if (name == "digest" and not digests) or (name != "digest" and not wanted[name]):
                continue
            # No ORDER BY: sorting by id (or the model's name order) can lead a planner to walk a
            # whole index in that order instead of looking each key up; the lowest id wins here.
            for key, party_id in queryset.order_by().values_list(key_field, id_field):
                if party_id < found[name].get(key, party_id + 1):
                    found[name][key] = party_id
        return found

    # Deciding ---------------------------------------------------------------------------------
    def _decide(self, rows: list[PreparedRow], existing: dict[str, dict[str, int]],
                outcome: BatchOutcome) -> tuple[list[PreparedRow], list[_Update]]:  # fmt: skip
        creates: list[PreparedRow] = []
        updates: list[_Update] = []
        pending: dict[str, set[str]] = {name: set() for name in (*KEY_KINDS, "digest")}
        for row in rows:
            if row.errors:  # an owner that does not exist
                continue
            known = existing["digest"].get(row.digest)
            if known is not None or row.digest in pending["digest"]:
                outcome.unchanged += 1
                if known is not None:
                    self.touched.add(known)
                continue
            keys = row.keys
            match = next((existing[name][key] for name in KEY_KINDS for key in keys[name] if key in existing[name]),
                         None)  # fmt: skip
            matches_new = any(key in pending[name] for name in KEY_KINDS for key in keys[name])
            if (match is not None or matches_new) and self.policy != ImportJob.OnDuplicate.CREATE:
                if self.policy == ImportJob.OnDuplicate.UPDATE and match is not None and match not in self.touched:
                    self.touched.add(match)
                    updates.append(_Update(row, match))
                else:
                    outcome.skipped += 1
                continue
            missing = [key for key in self.required_custom if key not in row.custom]
            for key in missing:
                row.fail(row.column_of(f"custom.{key}"), f"custom.{key}", _("This field is required."))
            if missing:
                continue
            creates.append(row)
            pending["digest"].add(row.digest)
            for name in KEY_KINDS:
                pending[name].update(keys[name])
        return creates, updates

    # Creating ---------------------------------------------------------------------------------
    def _create(self, rows: list[PreparedRow]) -> list[int]:
        if not rows:
            return []
        now = timezone.now()
        new_parties: list[Party] = []
        for row in rows:
            party = row.party
            assert party is not None
            party.custom = row.custom
            party.owner = self.owners[row.owner] if row.owner else self.actor
            party.team = self.team
            party.created_by = self.actor
            party.active_at = party.created_at = party.updated_at = now
            new_parties.append(party)
        inserts.insert(Party, new_parties, with_ids=True)
        if self.policy == ImportJob.OnDuplicate.UPDATE:
            self.touched.update(party.pk for party in new_parties)
        at = inserts.database_datetime(now)
        points: list[tuple[Any, ...]] = []
        addresses: list[tuple[Any, ...]] = []
        terms: list[tuple[int, str]] = []
        for row, party in zip(rows, new_parties, strict=True):
            points.extend(_point_values(party.pk, row, has_primary=set(), at=at))
            if row.address is not None:
                addresses.append(_address_values(party.pk, row.address, is_primary=True, at=at))
            terms.extend((party.pk, term) for term in _terms(party))
        inserts.insert_values(ContactPoint, POINT_COLUMNS, points)
        inserts.insert_values(Address, ADDRESS_COLUMNS, addresses)
        inserts.insert_values(SearchTerm, ("party", "term"), terms)
        return [party.pk for party in new_parties]

    # Updating ---------------------------------------------------------------------------------
    def _update(self, updates: list[_Update], outcome: BatchOutcome) -> list[int]:
        if not updates:
            return []
        ids = [update.party_id for update in updates]
        self._load_party_tags(ids)
        current = {party.pk: party for party in Party.objects.filter(pk__in=ids)}
        point_keys: dict[int, set[tuple[str, str]]] = {}
        for party_id, kind, key in ContactPoint.objects.filter(party_id__in=ids).values_list("party_id", "kind", "key"):
            point_keys.setdefault(party_id, set()).add((kind, key))
        address_keys: dict[int, set[tuple[str, ...]]] = {}
        for values in Address.objects.filter(party_id__in=ids).values_list(
            "party_id", "country", "province", "city_key", "street", "postal_code"
        ):
            address_keys.setdefault(values[0], set()).add(values[1:])
        now = timezone.now()
        at = inserts.database_datetime(now)
        changed_parties: list[Party] = []
        renamed: list[Party] = []
        points: list[tuple[Any, ...]] = []
        addresses: list[tuple[Any, ...]] = []
        for update in updates:
            party, row = current.get(update.party_id), update.row
            if party is None:  # deleted since the lookup
                outcome.skipped += 1
                continue
            if not can_party(self.actor, party, Action.EDIT):
                row.fail(_("Row"), "", _("This row matches a record you may not change."))
                continue
            before_name = (party.name, party.company_name)
            changed = self._apply_update(party, row)
            keys = point_keys.get(party.pk, set())
            has_primary = {kind for kind, _key in keys}
            new_points = _point_values(party.pk, row, has_primary=has_primary, at=at, known=keys)
            points.extend(new_points)
            address, new_address = row.address, False
            if address is not None:
                address_key = tuple(
                    address.get(name, "") for name in ("country", "province", "city_key", "street", "postal_code")
                )
                if address_key not in address_keys.get(party.pk, set()):
                    addresses.append(_address_values(party.pk, address, is_primary=party.pk not in address_keys, at=at))
                    new_address = True
            has_new_tags = bool(self._tag_keys(row.tags) - self._party_tag_keys.get(party.pk, set()))
            if changed or new_points or new_address or has_new_tags:
                party.import_key = row.digest
                party.updated_at = now
                changed_parties.append(party)
                if (party.name, party.company_name) != before_name:
                    renamed.append(party)
            else:
                outcome.unchanged += 1
        if changed_parties:
            Party.objects.bulk_update(changed_parties, [*_UPDATABLE, "name", "import_key", "updated_at"])
        inserts.insert_values(ContactPoint, POINT_COLUMNS, points)
        inserts.insert_values(Address, ADDRESS_COLUMNS, addresses)
        if renamed:
            SearchTerm.objects.filter(party__in=renamed).delete()
            terms = [(party.pk, term) for party in renamed for term in _terms(party)]
            inserts.insert_values(SearchTerm, ("party", "term"), terms)
        outcome.updated = len(changed_parties)
        return [party.pk for party in changed_parties]

    def _apply_update(self, party: Party, row: PreparedRow) -> bool:
        """Set on ``party`` what the row changes; whether anything did."""
        changes: dict[str, Any] = {}
        for name, value in row.fields.items():
            if value in (None, ""):
                continue
            if name in sensitive.COLUMNS:
                if name == "national_id":
                    same = party.national_id_hash == sensitive.national_id_lookup(str(value))
                else:
                    same = sensitive.read(party, name) == value
                if not same:
                    changes[name] = value
            elif name in ("source", "category"):
                if getattr(party, f"{name}_id") != value.pk:
                    changes[name] = value
            elif getattr(party, name) != value:
                changes[name] = value
        custom = {**party.custom, **row.custom}
        if custom != party.custom:
            changes["custom"] = custom
        if changes:
            parties._apply(party, changes)
            party.search_key = party.search_key[:SEARCH_KEY_LENGTH]
        owner = self.owners.get(row.owner) if row.owner else None
        if owner is not None and owner.pk != party.owner_id:
            party.owner = owner
            return True
        return bool(changes)

    # Tags -------------------------------------------------------------------------------------
    _party_tag_keys: dict[int, set[str]]

    @staticmethod
    def _tag_keys(names: Iterable[str]) -> set[str]:
        keys = set()
        for name in names:
            clean = normalize_text(name)[:60]
            if clean:
                keys.add(search_key(clean)[:60] or clean.casefold())
        return keys

    def _load_party_tags(self, ids: list[int]) -> None:
        self._party_tag_keys = {}
        through = Party.tags.through
        for party_id, key in through.objects.filter(party_id__in=ids).values_list("party_id", "tag__key"):
            self._party_tag_keys.setdefault(party_id, set()).add(key)

    def _write_tags(self, creates: list[PreparedRow], updates: list[_Update]) -> None:
        pairs: list[tuple[int, str]] = []
        for row in creates:
            assert row.party is not None
            pairs.extend((row.party.pk, name) for name in row.tags)
        for update in updates:
            if not update.row.errors:
                pairs.extend((update.party_id, name) for name in update.row.tags)
        if not pairs:
            return
        tags = {tag.key: tag for tag in parties.tags_by_name({name for _party, name in pairs})}
        through = Party.tags.through
        links = {(party_id, tags[key].pk) for party_id, name in pairs for key in self._tag_keys([name]) if key in tags}
        through.objects.bulk_create([through(party_id=party_id, tag_id=tag_id) for party_id, tag_id in links],
                                    ignore_conflicts=True)  # fmt: skip


def _terms(party: Party) -> set[str]:
    return search_terms(party.name, party.company_name if party.kind == Party.Kind.LEAD else "")


POINT_COLUMNS = ("party", "kind", "key", "value", "label", "network", "digits", "national_number", "digits_reversed",
                 "extension", "is_primary", "consent", "consent_at", "created_at", "updated_at")  # fmt: skip
ADDRESS_COLUMNS = ("party", *parties.ADDRESS_FIELDS, "city_key", "created_at", "updated_at")
_ADDRESS_DEFAULTS = {"label": Address.Label.WORK.value, "country": "IR", "province": "", "city": "", "street": "",
                     "postal_code": "", "consent": "unknown", "city_key": ""}  # fmt: skip


def _point_values(party_id: int, row: PreparedRow, *, has_primary: set[str], at: Any,
                  known: set[tuple[str, str]] | None = None) -> list[tuple[Any, ...]]:  # fmt: skip
    """The row's new contact points as ``party_create`` writes them: the first of each kind is primary."""
    values = []
    primary_given = set(has_primary)
    for point, keys in row.points:
        if known and (point.kind, keys.key) in known:
            continue
        is_primary = point.kind not in primary_given
        primary_given.add(point.kind)
        values.append((
            party_id, point.kind, keys.key, keys.value, point.label, point.network, keys.digits, keys.national_number,
            keys.digits[::-1], keys.extension, is_primary, point.consent, at if point.consent != "unknown" else None,
            at, at,
        ))  # fmt: skip
    return values


def _address_values(party_id: int, address: dict[str, Any], *, is_primary: bool, at: Any) -> tuple[Any, ...]:
    """An address as ``checked_addresses`` left it, with the model's defaults for what it leaves out."""
    merged = {**_ADDRESS_DEFAULTS, **address, "is_primary": is_primary}
    return (party_id, *(merged[name] for name in parties.ADDRESS_FIELDS), merged["city_key"], at, at)
