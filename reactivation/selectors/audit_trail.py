"""The store's audit trail (操作记录): who changed which customer, card, staff member, setting or script, who moved
customers by hand, and who revealed, exported or imported personal data — newest first, filterable, paged.

Three records feed it, each read with one bounded query per page:

- model changes (django-auditlog's `LogEntry`, with the phone masked by the registry and numbers in free
  text masked here) of the store's customers, cards, staff, scripts and offers, and of the store itself
  (its settings);
- the moves a person made (`AssignmentChange` with `by`); the nightly run's own moves are on each
  customer's card, not here;
- data access (`AuditEvent`: reveals, exports, imports, passwords set, unlocks, anonymisations).

Pages are cut by a cursor (the last entry's time, source and id), so an entry added while she reads does
not shift the next page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from customers.models import AuditEvent, Card, Customer, Staff, Store
from customers.phones import mask_phones_in_text

from ..models import AssignmentChange, Script, StoreOffer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 50


class Kind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    CARDS = "cards", _("Cards")
    STAFF = "staff", _("Staff")
    SETTINGS = "settings", _("Store settings")
    SCRIPTS = "scripts", _("Scripts and offers")
    ASSIGNMENTS = "assignments", _("Reassignments")
    DATA_ACCESS = "data_access", _("Numbers revealed, exports and imports")


# Model changes: which model each kind covers.
_CHANGED_MODELS: dict[Kind, tuple[type[models.Model], ...]] = {
    Kind.CUSTOMERS: (Customer,),
    Kind.CARDS: (Card,),
    Kind.STAFF: (Staff,),
    Kind.SETTINGS: (Store,),
    Kind.SCRIPTS: (Script, StoreOffer),
}
_ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
}
# Sources in the order entries of the same instant are listed (part of the cursor).
CHANGES, MOVES, ACCESS = 0, 1, 2


@dataclass(frozen=True)
class TrailEntry:
    at: dt.datetime
    source: int
    id: int
    kind: Kind
    actor: Staff | None  # None: the system (the nightly run, a command)
    action: StrOrPromise
    subject: str
    customer_id: int | None  # opens her card
    changes: list[tuple[str, str, str]]  # (what, from, to)

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}|{self.source}|{self.id}"

    @property
    def kind_label(self) -> StrOrPromise:
        return self.kind.label


@dataclass(frozen=True)
class Cursor:
    at: dt.datetime
    source: int
    id: int

    @classmethod
    def parse(cls, value: str) -> Cursor | None:
        try:
            at, source, id_ = value.split("|")
            parsed = dt.datetime.fromisoformat(at)
            return cls(parsed, int(source), int(id_)) if parsed.tzinfo else None
        except ValueError:
            return None

    def before(self, source: int, time_field: str) -> Q:
        """Entries of `source` listed after the cursor's entry: the trail lists the newest first, entries of one
        instant by source (`CHANGES`, `MOVES`, `ACCESS`), then the newest id first."""
        earlier = Q(**{f"{time_field}__lt": self.at})
        if source > self.source:
            return earlier | Q(**{time_field: self.at})
        if source == self.source:
            return earlier | Q(**{time_field: self.at, "id__lt": self.id})
        return earlier


@dataclass(frozen=True)
class TrailFilters:
    kind: str = ""
    actor_id: int | None = None
    start: dt.date | None = None  # first day shown
    end: dt.date | None = None  # last day shown
    after: Cursor | None = None


@dataclass(frozen=True)
class TrailPage:
    entries: list[TrailEntry]
    next_cursor: str  # "" on the last page


def audit_trail(store: Store, filters: TrailFilters, *, per_page: int = PER_PAGE) -> TrailPage:
    """One page of `store`'s trail, newest first."""
    sources = []
    if filters.kind in ("", *_CHANGED_MODELS):
        sources.append(_changes(store, filters, per_page + 1))
    if filters.kind in ("", Kind.ASSIGNMENTS):
        sources.append(_moves(store, filters, per_page + 1))
    if filters.kind in ("", Kind.DATA_ACCESS):
        sources.append(_access(store, filters, per_page + 1))
    merged = sorted((e for source in sources for e in source), key=lambda e: (e.at, -e.source, e.id), reverse=True)
    entries = list(islice(merged, per_page))
    more = len(merged) > per_page
    return TrailPage(entries, entries[-1].cursor if more and entries else "")


def _window(filters: TrailFilters, store: Store, time_field: str, source: int) -> Q:
    q = Q()
    zone = store.tzinfo
    if filters.start:
        q &= Q(**{f"{time_field}__gte": dt.datetime.combine(filters.start, dt.time.min, zone)})
    if filters.end:
        q &= Q(**{f"{time_field}__lt": dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min, zone)})
    if filters.after:
        q &= filters.after.before(source, time_field)
    return q


def _store_objects(store: Store, kinds: list[Kind]) -> Q:
    """LogEntry rows about the store's own objects of these kinds."""
    scope: dict[type[models.Model], QuerySet[Any]] = {
        Customer: Customer.objects.filter(store=store),
        Card: Card.objects.filter(customer__store=store),
        Staff: Staff.objects.filter(store=store),
        Store: Store.objects.filter(pk=store.pk),
        Script: Script.objects.filter(Q(store=store) | Q(store__isnull=True)),  # chain-wide scripts reach her too
        StoreOffer: StoreOffer.objects.filter(store=store),
    }
    q = Q(pk__in=[])
    types = ContentType.objects.get_for_models(*(m for kind in kinds for m in _CHANGED_MODELS[kind]))
    for model, content_type in types.items():
        q |= Q(content_type=content_type, object_id__in=scope[model].values("pk"))
    return q


def _changes(store: Store, filters: TrailFilters, limit: int) -> list[TrailEntry]:
    kinds = [Kind(filters.kind)] if filters.kind else list(_CHANGED_MODELS)
    rows = (
        LogEntry.objects.filter(_store_objects(store, kinds), _window(filters, store, "timestamp", CHANGES))
        .filter(action__in=list(_ACTIONS))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )
    if filters.actor_id:
        rows = rows.filter(actor_id=filters.actor_id)
    kind_of = {m: kind for kind, models_ in _CHANGED_MODELS.items() for m in models_}
    entries = []
    for row in rows[:limit]:
        model = row.content_type.model_class()
        entries.append(
            TrailEntry(
                at=row.timestamp,
                source=CHANGES,
                id=row.pk,
                kind=kind_of.get(model, Kind.CUSTOMERS),
                actor=row.actor,  # type: ignore[arg-type]
                action=_ACTIONS.get(row.action, ""),
                subject=mask_phones_in_text(row.object_repr),
                customer_id=row.object_id if model is Customer and row.action != LogEntry.Action.DELETE else None,
                changes=_changed_fields(row),
            )
        )
    return entries


def _changed_fields(row: LogEntry) -> list[tuple[str, str, str]]:
    """What an edit changed, field by field; a creation or a deletion is told by its action alone."""
    if row.action != LogEntry.Action.UPDATE:
        return []
    try:
        changes = row.changes_display_dict
    except Exception:  # a field or model removed since: show the raw values
        changes = row.changes_dict
    model = row.content_type.model_class()
    switches = (
        {str(f.verbose_name) for f in model._meta.fields if isinstance(f, models.BooleanField)} if model else set()
    )
    return [
        (str(field), _shown(values[0], yes_no=field in switches), _shown(values[1], yes_no=field in switches))
        for field, values in changes.items()
        if isinstance(values, list | tuple) and len(values) == 2
    ]


def _shown(value: Any, *, yes_no: bool = False) -> str:
    """A logged value as the reader should see it: a switch as yes or no in her language, numbers masked."""
    text = "" if value in (None, "None") else str(value)
    if yes_no and text in ("True", "False"):
        return str(_("yes") if text == "True" else _("no"))
    return mask_phones_in_text(text)[:200]


def _moves(store: Store, filters: TrailFilters, limit: int) -> list[TrailEntry]:
    rows = (
        AssignmentChange.objects.filter(by__isnull=False, customer__store=store)
        .filter(_window(filters, store, "created_at", MOVES))
        .select_related("by", "from_staff", "to_staff", "customer")
        .order_by("-created_at", "-id")
    )
    if filters.actor_id:
        rows = rows.filter(by_id=filters.actor_id)
    return [
        TrailEntry(
            at=row.created_at,
            source=MOVES,
            id=row.pk,
            kind=Kind.ASSIGNMENTS,
            actor=row.by,
            action=row.get_cause_display(),
            subject=str(row.customer),
            customer_id=row.customer_id,
            changes=[(str(_("assigned to")), str(row.from_staff or ""), str(row.to_staff or ""))],
        )
        for row in rows[:limit]
    ]


def _access(store: Store, filters: TrailFilters, limit: int) -> list[TrailEntry]:
    rows = (
        AuditEvent.objects.filter(store=store)
        .exclude(action=AuditEvent.Action.CHANGE_SETTINGS)  # the settings' own change history shows those
        .filter(_window(filters, store, "at", ACCESS))
        .select_related("actor", "customer")
        .order_by("-at", "-id")
    )
    if filters.actor_id:
        rows = rows.filter(actor_id=filters.actor_id)
    return [
        TrailEntry(
            at=row.at,
            source=ACCESS,
            id=row.pk,
            kind=Kind.DATA_ACCESS,
            actor=row.actor,
            action=row.get_action_display(),
            subject=str(row.customer) if row.customer else _access_subject(row.detail),
            customer_id=row.customer_id,
            changes=[],
        )
        for row in rows[:limit]
    ]


def _access_subject(detail: dict[str, Any]) -> str:
    """What an export or import was about: its file and rows, as the event recorded them."""
    parts = [str(detail[key]) for key in ("what", "kind", "file", "username") if detail.get(key)]
    if detail.get("rows") is not None:
        parts.append(str(_("%(rows)s rows") % {"rows": detail["rows"]}))
    return mask_phones_in_text(" · ".join(parts))


def trail_people(store: Store) -> QuerySet[Staff]:
    """Whose actions the trail can be filtered by: the store's staff, past and present."""
    return Staff.objects.filter(store=store).order_by("-is_active", "role", "username")
