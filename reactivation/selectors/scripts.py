"""Reading the script library: which scripts a store uses, and each filled in for one customer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from customers.buckets import Bucket
from customers.models import Appointment, Card, Customer, Staff, Store

from ..models import Script, StoreOffer
from ..placeholders import CustomerFacts, FillWarning, fill, fill_warnings, placeholder_values
from ..reasons import Reason
from ..segmentation import months_since

_SITUATION_ORDER = {code: i for i, code in enumerate(Script.Situation.values)}
_BUCKET_ORDER = {code: i for i, code in enumerate(["", *Bucket.values])}
_REASON_ORDER = {code: i for i, code in enumerate(["", *Reason.values])}


def script_language(language: str | None = None) -> str:
    """The library language for a UI language: Chinese for any zh-*, English otherwise."""
    language = language or get_language() or Script.Language.ZH_HANS
    return Script.Language.ZH_HANS if language.lower().startswith("zh") else Script.Language.EN


def script_sort_key(script: Script) -> tuple:
    return (
        _SITUATION_ORDER.get(script.situation, 99),
        _BUCKET_ORDER.get(script.bucket, 99),
        _REASON_ORDER.get(script.reason, 99),
        script.channel,
        script.key,
    )


def store_scripts(*, store: Store, language: str, include_inactive: bool = False) -> list[Script]:
    """The scripts a store works with in one language: its own rows, and every default it has not overridden.

    One query, whatever the size of the library.
    """
    rows = Script.objects.filter(Q(store__isnull=True) | Q(store=store), language=language).select_related("updated_by")
    by_key: dict[str, Script] = {}
    for row in sorted(rows, key=lambda r: r.store_id is not None):  # defaults first, a store's own rows win
        by_key[row.key] = row
    scripts = [s for s in by_key.values() if include_inactive or s.is_active]
    return sorted(scripts, key=script_sort_key)


def script_for_store(*, store: Store, script_id: int) -> Script:
    """The script `script_id` as this store sees it (its override when it has one); 404 for another store's row."""
    script = Script.objects.filter(Q(store__isnull=True) | Q(store=store), pk=script_id).first()
    if script is None:
        raise Http404
    if script.store_id is None:
        override = Script.objects.filter(store=store, key=script.key, language=script.language).first()
        return override or script
    return script


def current_offer(*, store: Store, today: dt.date) -> StoreOffer | None:
    """The offer scripts mention as {featured}: this month's featured treatment, else the reactivation package."""
    offers = StoreOffer.objects.filter(store=store, valid_from__lte=today, valid_until__gte=today)
    return offers.order_by("kind", "-valid_from", "-id").first()  # "featured" sorts before "package"


def customer_facts(
    *,
    customer: Customer,
    staff: Staff,
    today: dt.date | None = None,
    cards: list[Card] | None = None,
    appointments: list[Appointment] | None = None,
) -> CustomerFacts:
    """Everything a script may say about `customer`, read in a fixed handful of queries. What the caller has read
    of her already is not read again: `cards` (all of them), `appointments` (her latest, newest first)."""
    store = customer.store
    today = today or store.today()
    summary = _card_summary(customer, today, cards)
    offer = current_offer(store=store, today=today)
    return CustomerFacts(
        name=customer.name,
        gender=customer.gender,
        staff=staff.get_full_name(),
        beautician=_her_beautician(customer),
        store=store.name,
        months=_months_away(customer, today),
        never_visited=customer.last_visit_on is None,
        featured=offer.title if offer else "",
        appointment_at=_next_appointment(customer, store, appointments),
        **summary,
    )


def _months_away(customer: Customer, today: dt.date) -> int:
    # The nightly job keeps months_away; a customer it has not classified yet is counted here.
    if customer.bucket != Bucket.ACTIVE or customer.months_away:
        return customer.months_away
    return months_since(customer.last_seen_on, today)


def _her_beautician(customer: Customer) -> str:
    """The beautician who looks after her: the last one who served her if still here, else her assignee."""
    for person in (customer.last_beautician, customer.assignee):
        if person is not None and person.is_active and person.is_beautician and person.store_id == customer.store_id:
            return person.get_full_name()
    return ""


def _card_summary(customer: Customer, today: dt.date, cards: list[Card] | None = None) -> dict:
    """What is left on cards still valid today; and when a card ran out with something on it."""
    live, expired_on = [], None
    if cards is None:
        cards = list(Card.objects.filter(customer=customer).only("kind", "balance", "sessions_left", "expires_on"))
    for card in cards:
        if card.balance <= 0 and card.sessions_left <= 0:
            continue
        if card.expires_on is not None and card.expires_on < today:
            expired_on = max(expired_on or card.expires_on, card.expires_on)
        else:
            live.append(card)
    expiries = [c.expires_on for c in live if c.expires_on is not None]
    return {
        "card_balance": sum((c.balance for c in live), Decimal("0.00")),
        "sessions_left": sum(c.sessions_left for c in live),
        "card_expiry": min(expiries) if expiries else None,
        "has_live_card": bool(live),
        "expired_card_on": expired_on,
    }


def _next_appointment(customer: Customer, store: Store, latest: list[Appointment] | None = None) -> dt.datetime | None:
    """Her next booked visit. `latest`: her latest appointments, newest first (a limited read); when none of them
    or the oldest of them is already past, every appointment still to come is among them."""
    now = timezone.now()
    if latest is not None and (not latest or latest[-1].starts_at < now):
        booked = [a.starts_at for a in latest if a.status == Appointment.Status.BOOKED and a.starts_at >= now]
        starts_at = min(booked, default=None)
    else:
        appointment = (
            Appointment.objects.filter(customer=customer, status=Appointment.Status.BOOKED, starts_at__gte=now)
            .order_by("starts_at")
            .only("starts_at")
            .first()
        )
        starts_at = appointment.starts_at if appointment else None
    return timezone.localtime(starts_at, store.tzinfo) if starts_at else None


@dataclass
class FilledScript:
    """A script filled in for one customer, ready to read out or send."""

    script: Script
    text: str
    warnings: list[FillWarning] = field(default_factory=list)


def fill_script(script: Script, facts: CustomerFacts) -> FilledScript:
    text = fill(script.body, placeholder_values(facts, script.language))
    return FilledScript(script=script, text=text, warnings=fill_warnings(script.body, facts))
