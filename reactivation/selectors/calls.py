"""Reading call lists: what each person has to do, with bounded queries whatever the list's length."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, overload

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from customers.access import Capability, may, visible_customers
from customers.models import AftercareCall, Appointment, Card, Customer, Staff, Store
from customers.search import customers_matching

from ..models import AssignmentChange, FollowUp, SegmentRun
from ..segmentation import bookings_hold_from

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


def contactable(customers: QuerySet[Customer], *, store: Store, today: dt.date) -> QuerySet[Customer]:
    """Drop customers who must not be called: do-not-contact, archived, or booked ahead (the nightly rule)."""
    return customers.filter(do_not_contact=False, is_archived=False).exclude(_booked_ahead(store, today))


def not_contactable(customers: QuerySet[Customer], *, store: Store, today: dt.date) -> QuerySet[Customer]:
    """What `contactable` drops: a customer booked during the day leaves her caller's list at once, though
    she keeps her assignee until the night."""
    return customers.filter(Q(do_not_contact=True) | Q(is_archived=True) | _booked_ahead(store, today))


def _booked_ahead(store: Store, today: dt.date) -> Exists:
    return Exists(
        Appointment.objects.filter(
            customer=OuterRef("pk"),
            status=Appointment.Status.BOOKED,
            starts_at__gte=bookings_hold_from(today, store.tzinfo),
        )
    )


def with_cards(customers: QuerySet[Customer], *, today: dt.date) -> QuerySet[Customer]:
    """Annotate what is left on her unexpired cards: `card_balance` (yuan) and `sessions_left`.

    An expired card is not counted: she cannot use it, so nobody should promise it to her.
    """
    cards = (
        Card.objects.filter(customer=OuterRef("pk"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .order_by()
        .values("customer")
    )
    balance = cards.filter(kind=Card.Kind.VALUE).annotate(total=Sum("balance")).values("total")
    sessions = cards.filter(kind=Card.Kind.SESSIONS).annotate(total=Sum("sessions_left")).values("total")
    return customers.annotate(
        card_balance=Coalesce(Subquery(balance, output_field=MONEY), Value(0, output_field=MONEY)),
        sessions_left=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0)),
    )


class Queue:
    """The call list's sections, in the order she works them."""

    AFTERCARE = 0  # the call after a returning customer's visit, due
    DUE = 1  # a follow-up planned for today, or overdue
    NEW = 2  # not contacted yet in this dormant spell
    REST = 3  # everyone else, the longest since the last contact first

    FILTERS = ("due", "new", "all")


def call_list_for(user: Staff, *, show: str = "all", bucket: str = "", q: str = "") -> QuerySet[Customer]:
    """The customers `user` should call, as a work queue (see `Queue`); within a section the most valuable first
    (unused card value, then what she spent in her last twelve months before going quiet).

    Her assigned, contactable customers and her aftercare calls that are due. A customer tried without
    success today has her next follow-up tomorrow, so she sinks to the end until then.
    """
    store = user.store
    if store is None:
        return Customer.objects.none()
    if not may(user, Capability.SEE_CUSTOMERS):
        return Customer.objects.none()
    today = store.today()
    # A handful of ids (one query): the list's rows then come from two index look-ups, never the store's other
    # customers, and each row's section is read from the ids instead of a search per row.
    aftercare_due = sorted(
        AftercareCall.objects.filter(staff=user, done_at__isnull=True, due_on__lte=today).values_list(
            "customer_id", flat=True
        )
    )
    # What `visible_customers(user)` gives her, written as its two parts: her assigned customers and her due
    # aftercare calls (filtering her assigned ones through the union of both would read her list twice).
    in_store = Customer.objects.filter(store=store)
    customers = contactable(in_store.filter(assignee=user), store=store, today=today)
    if aftercare_due:
        customers = customers | in_store.filter(pk__in=aftercare_due)
    aftercare = Q(pk__in=aftercare_due) if aftercare_due else None
    return work_queue(customers, today=today, aftercare=aftercare, show=show, bucket=bucket, q=q)


def escalated_list_for(manager: Staff, *, show: str = "all", bucket: str = "", q: str = "") -> QuerySet[Customer]:
    """The manager's "escalated to me" tab: her store's customers handed to her after failed attempts or a complaint."""
    store = manager.store
    if store is None:
        return Customer.objects.none()
    today = store.today()
    customers = visible_customers(manager).filter(escalated_on__isnull=False, do_not_contact=False)
    return work_queue(customers, today=today, aftercare=None, show=show, bucket=bucket, q=q)


def work_queue(customers, *, today: dt.date, aftercare: Q | None, show: str, bucket: str, q: str) -> QuerySet[Customer]:
    customers = with_cards(customers, today=today)
    spell_start = Coalesce("dormant_since", Value(today))
    customers = customers.annotate(
        aftercare_due=ExpressionWrapper(aftercare, output_field=BooleanField()) if aftercare else Value(False),
        queue=Case(
            When(aftercare_due=True, then=Value(Queue.AFTERCARE)),
            When(next_follow_up_on__lte=today, then=Value(Queue.DUE)),
            When(Q(last_contact_at__isnull=True) | Q(last_contact_at__date__lt=spell_start), then=Value(Queue.NEW)),
            default=Value(Queue.REST),
        ),
    ).select_related("assignee", "last_beautician")
    if bucket:
        customers = customers.filter(bucket=bucket)
    if show == "due":
        customers = customers.filter(queue__in=[Queue.AFTERCARE, Queue.DUE])
    elif show == "new":
        customers = customers.filter(queue=Queue.NEW)
    if q.strip():  # what the person may already see: her name, or the four digits the mask shows
        customers = customers_matching(customers, q)
    # The rest by time since the last contact; within a section, the more valuable customer first.
    since_last_contact = Case(When(queue=Queue.REST, then=F("last_contact_at")), default=Value(None))
    # The order needs her valid cards' balance on every row of her list, where the page shows it on 25. Whoever
    # holds no money on any card (`prepaid_yuan`, moved by the card ledger with every entry; balances are never
    # negative) has none on her valid cards either: the cards are read only for those who hold some.
    card_balance = Case(When(prepaid_yuan__gt=0, then=F("card_balance")), default=Value(0, output_field=MONEY))
    return customers.order_by(
        "queue",
        since_last_contact.asc(nulls_first=True),
        card_balance.desc(),
        F("spend_12m").desc(),
        "last_visit_on",
        "pk",
    )


class PagedQueue:
    """A work queue for `Paginator`: the page's ids sorted over the bare rows (no joins, no per-row subquery that
    the order does not need), then those rows read in full. Told the page it will be asked for, it counts the
    list in the ids' query (a window over all her rows) instead of a query of its own: two queries a page."""

    def __init__(self, customers: QuerySet[Customer], *, page_size: int = 0, page: str | None = None) -> None:
        self.customers = customers
        self.page_size = page_size
        try:
            self.wanted = max(int(page or 1), 1)
        except (TypeError, ValueError):
            self.wanted = 1  # what Paginator.get_page shows for a page that is not a number
        self._count: int | None = None
        self._read: tuple[int, list[int]] = (-1, [])  # (offset, ids) of the page read with the count

    def count(self) -> int:
        if self._count is None and self.page_size:
            counted = _counted_page(self.customers.values("pk"), self.wanted, self.page_size)
            if counted is not None:
                rows, self._count = counted
                self._read = ((self.wanted - 1) * self.page_size, [row["pk"] for row in rows])
        if self._count is None:  # a page past the end of the list
            self._count = self.customers.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Customer]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> Customer: ...
    @overload
    def __getitem__(self, index: slice) -> list[Customer]: ...
    def __getitem__(self, index: int | slice) -> Customer | list[Customer]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, read = self._read
        if index.step is None and index.start == start and index.stop is not None and index.stop - start <= len(read):
            ids = read[: index.stop - start]
        else:
            ids = list(self.customers.values_list("pk", flat=True)[index])
        rows = {c.pk: c for c in self.customers.order_by().filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids]


def contacts_today(user: Staff) -> int:
    """Contacts she logged today (the store's day): the progress towards her daily target."""
    store = user.store
    if store is None:
        return 0
    start = dt.datetime.combine(store.today(), dt.time.min, store.tzinfo)
    return FollowUp.objects.filter(by=user, contacted_at__gte=start).count()


def export_rows(*, store: Store) -> QuerySet[Customer]:
    """Every contactable customer of `store` with an assignee, as the call-list export lists them (DESIGN §5.3)."""
    customers = Customer.objects.filter(store=store, assignee__isnull=False)
    return (
        with_cards(contactable(customers, store=store, today=store.today()), today=store.today())
        .select_related("store", "assignee")
        .order_by("assignee__username", "last_visit_on", "pk")
    )


@dataclass(frozen=True)
class OvernightChange:
    gained: bool  # True: the customer came onto her list; False: she left it
    cause: str
    customers: int

    @property
    def cause_label(self) -> StrOrPromise:
        return AssignmentChange.Cause(self.cause).label


def overnight_changes_for(user: Staff, *, latest: SegmentRun | None = None) -> list[OvernightChange]:
    """How `user`'s list changed at the store's latest nightly run, and why. `latest`: the store's latest run
    (`latest_run`) when the caller has it already: if it is done, it is the one."""
    if user.store_id is None:  # no store, no nightly run
        return []
    run = latest
    if run is None or run.store_id != user.store_id or run.status != SegmentRun.Status.DONE:
        done = SegmentRun.objects.filter(store_id=user.store_id, status=SegmentRun.Status.DONE)
        run = done.order_by("-run_date").first()
    if run is None:
        return []
    rows = (
        AssignmentChange.objects.filter(run=run)
        .filter(Q(to_staff=user) | Q(from_staff=user))
        .values_list("to_staff_id", "cause")
    )
    counts = Counter((to_staff_id == user.pk, cause) for to_staff_id, cause in rows)
    return [OvernightChange(gained, cause, n) for (gained, cause), n in sorted(counts.items(), reverse=True)]


def latest_run(store_id: int) -> SegmentRun | None:
    return SegmentRun.objects.filter(store_id=store_id).order_by("-run_date").first()


CONTACTS_PER_PAGE = 10


def customer_history(customer: Customer) -> dict:
    """What the customer card shows besides the profile and her contacts: cards with their ledger, visits,
    appointments and the assignment history."""
    today = customer.store.today()
    cards = list(customer.cards.prefetch_related("entries").order_by("expires_on", "name"))
    for card in cards:
        card.is_expired = card.expires_on is not None and card.expires_on < today  # type: ignore[attr-defined]
    return {
        "cards": cards,
        "visits": list(customer.visits.select_related("service", "beautician").order_by("-visited_on", "-id")[:10]),
        "appointments": list(customer.appointments.select_related("staff", "service").order_by("-starts_at")[:20]),
        "assignment_changes": list(
            customer.assignment_changes.select_related("from_staff", "to_staff").order_by("-changed_on", "-id")[:20]
        ),
    }


def customer_contacts(customer: Customer, *, page: str | int | None = None) -> dict:
    """The part of the card a logged contact changes: every contact of this and earlier dormant spells (paged),
    and the aftercare calls still to make."""
    contacts = customer.follow_ups.select_related("by", "appointment").prefetch_related("reasons")
    return {
        "contacts": _contact_page(contacts.order_by("-contacted_at", "-id"), page),
        "open_aftercare": list(customer.aftercare_calls.filter(done_at__isnull=True).select_related("staff")),
    }


def _contact_page(contacts: QuerySet[FollowUp], page: str | int | None) -> Page:
    """A page of her contacts, counted in the same query (a window over all her contacts) instead of a second one.
    A page that is not a number or lies past the end is Paginator's: the first or the last."""
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 0
    counted = _counted_page(contacts, number, CONTACTS_PER_PAGE) if number >= 1 else None
    if counted is not None:
        rows, total = counted
        return Page(rows, number, _CountedPaginator(contacts, CONTACTS_PER_PAGE, count=total))
    return Paginator(contacts, CONTACTS_PER_PAGE).get_page(page)


def _counted_page(rows: QuerySet, number: int, size: int) -> tuple[list, int] | None:
    """Page `number` (from 1) of `rows` and how many rows there are in all, in one query: a window counts them
    beside the page's rows, instead of a count query of its own. None for a page past the end (nothing to count
    beside); an empty list has an empty first page. The rows come with a `counted_total` annotation: `rows` may
    be a `values()` query (its dicts then carry it)."""
    start = (number - 1) * size
    page = list(rows.annotate(counted_total=Window(Count("pk")))[start : start + size])
    if not page:
        return ([], 0) if number == 1 else None
    first = page[0]
    return page, first["counted_total"] if isinstance(first, dict) else first.counted_total


class _CountedPaginator(Paginator):
    """A paginator told its count, so that it never counts again."""

    def __init__(self, object_list: QuerySet[FollowUp], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
