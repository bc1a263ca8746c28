"""The scripts panel of the customer card: the right scripts for the customer in front of her, filled in.

Order of the panel, as the seeds' routine goes: open the call for her bucket;
answer each reason she gave with its tactic; what her situation suggests (money
left on a card, a card running out, a booked visit, her birthday, an
escalation); then everything else in the library, folded away.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from customers.buckets import Bucket
from customers.models import Appointment, Card, Customer, Staff

from ..contact_rules import DO_NOT_CONTACT, NO_MARKETING_CONSENT, next_marketing_day, send_refusal
from ..models import FollowUpReason, Message, Script
from ..placeholders import CustomerFacts, format_date
from ..reasons import TACTICS, Reason
from ..segmentation import bucket_for, is_dormant
from .scripts import FilledScript, customer_facts, fill_script, script_language, store_scripts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CARD_RUNNING_OUT_DAYS = 30
CARD_RELATIONS = ("store", "last_beautician", "assignee")  # what the panel (and the card) read of her
BIRTHDAY_AHEAD_DAYS = 7


@dataclass
class PanelItem:
    filled: FilledScript
    why: str = ""
    send_block: str = ""  # why this message cannot be sent today; "" when it can
    send_token: str = field(default_factory=lambda: uuid.uuid4().hex)  # one send per rendered button


@dataclass
class PanelSection:
    key: str
    title: str
    note: str = ""
    items: list[PanelItem] = field(default_factory=list)
    open: bool = True
    waiting: int = 0  # scripts of a folded section left to fill until she opens it (`fill_folded=False`)

    @property
    def size(self) -> int:
        return len(self.items) + self.waiting


@dataclass
class ScriptsPanel:
    customer: Customer
    facts: CustomerFacts
    bucket: str
    sections: list[PanelSection]
    language: str
    next_marketing_on: dt.date | None = None

    @property
    def bucket_label(self) -> StrOrPromise:
        return Bucket(self.bucket).label


def scripts_for_customer(
    *,
    customer: Customer,
    user: Staff,
    language: str | None = None,
    today: dt.date | None = None,
    fill_folded: bool = True,
    cards: list[Card] | None = None,
    appointments: list[Appointment] | None = None,
) -> ScriptsPanel:
    """Every script for this customer, filled in and grouped for the card, in a fixed number of queries. Without
    `fill_folded`, the folded "all other scripts" section only counts its scripts: the card loads them when she
    opens it. `cards`, `appointments`: what the caller has read of her already (see `customer_facts`)."""
    if not all(name in customer._state.fields_cache for name in CARD_RELATIONS):
        customer = Customer.objects.select_related(*CARD_RELATIONS).get(pk=customer.pk)
    today = today or customer.store.today()
    language = script_language(language)
    facts = customer_facts(customer=customer, staff=user, today=today, cards=cards, appointments=appointments)
    bucket = _bucket(customer, facts)
    last_message_on = last_marketing_on(customer)
    builder = _PanelBuilder(store_scripts(store=customer.store, language=language), facts, customer, today)
    builder.opening(bucket)
    builder.reasons(_recorded_reasons(customer))
    builder.situation(bucket)
    builder.everything_else(fill=fill_folded)
    for item in builder.all_items():
        item.send_block = _send_block(item.filled, customer, last_message_on, today)
    next_on = next_marketing_day(last_message_on, customer.store.marketing_cap_days)
    return ScriptsPanel(customer, facts, bucket, builder.sections, language, next_on)


def _bucket(customer: Customer, facts: CustomerFacts) -> str:
    return customer.bucket if customer.bucket != Bucket.ACTIVE else bucket_for(facts.months)


def _recorded_reasons(customer: Customer) -> dict[str, str]:
    """The reasons she gave, latest first, each with her words the last time she gave it."""
    rows = (
        FollowUpReason.objects.filter(follow_up__customer=customer)
        .order_by("-follow_up__contacted_at", "-id")
        .values_list("reason", "detail")[:50]
    )
    reasons: dict[str, str] = {}
    for reason, detail in rows:
        reasons.setdefault(reason, detail)
    return reasons


def last_marketing_on(customer: Customer) -> dt.date | None:
    """The store-local day of the last marketing message sent to her (or on its way): what the cap counts from."""
    last = (
        Message.objects.filter(customer=customer, is_marketing=True, status__in=Message.UNDER_WAY)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return timezone.localdate(last, customer.store.tzinfo) if last else None


def refusal_text(refusal: str | None, *, store_cap_days: int, last_marketing_on: dt.date | None) -> str:
    """A refusal code of `contact_rules.send_refusal` in words for the staff member; "" for None."""
    if refusal is None:
        return ""
    if refusal == DO_NOT_CONTACT:
        return _("She asked not to be contacted: no messages.")
    if refusal == NO_MARKETING_CONSENT:
        return _("She has not agreed to marketing messages: only messages about her bookings and visits can go.")
    next_on = next_marketing_day(last_marketing_on, store_cap_days)
    return _("At most one marketing message every %(days)s days: the next can go on %(date)s.") % {
        "days": store_cap_days,
        "date": format_date(next_on, script_language()) if next_on else "",
    }


def _send_block(filled: FilledScript, customer: Customer, last_marketing_on: dt.date | None, today: dt.date) -> str:
    script = filled.script
    if not script.is_sms:
        return ""
    if customer.do_not_contact:
        return refusal_text(DO_NOT_CONTACT, store_cap_days=0, last_marketing_on=None)
    if blocking := [w for w in filled.warnings if w.blocks_sending]:
        return str(blocking[0])
    cap_days = customer.store.marketing_cap_days
    refusal = send_refusal(
        do_not_contact=customer.do_not_contact,
        marketing_consent=customer.marketing_consent,
        is_marketing=script.is_marketing,
        last_marketing_on=last_marketing_on,
        cap_days=cap_days,
        today=today,
    )
    return refusal_text(refusal, store_cap_days=cap_days, last_marketing_on=last_marketing_on)


class _PanelBuilder:
    """Places each script in the first section it belongs to; nothing appears twice."""

    def __init__(self, scripts: list[Script], facts: CustomerFacts, customer: Customer, today: dt.date) -> None:
        self.scripts, self.facts, self.customer, self.today = scripts, facts, customer, today
        self.sections: list[PanelSection] = []
        self.shown: set[int] = set()

    def take(self, wanted, why: str = "") -> list[PanelItem]:
        items = [
            PanelItem(fill_script(s, self.facts), why) for s in self.scripts if s.pk not in self.shown and wanted(s)
        ]
        self.shown.update(item.filled.script.pk for item in items)
        return items

    def add(self, section: PanelSection) -> None:
        if section.items:
            self.sections.append(section)

    def all_items(self) -> Iterable[PanelItem]:
        return (item for section in self.sections for item in section.items)

    def opening(self, bucket: str) -> None:
        if is_dormant(bucket):
            items = self.take(lambda s: s.situation == Script.Situation.OPENING and s.bucket == bucket)
            self.add(
                PanelSection("opening", _("Open the call: %(bucket)s") % {"bucket": Bucket(bucket).label}, "", items)
            )
        else:
            items = self.take(lambda s: s.situation == Script.Situation.POST_VISIT)
            self.add(PanelSection("opening", _("After her visit"), "", items))

    def reasons(self, recorded: dict[str, str]) -> None:
        for reason, detail in recorded.items():
            note = str(TACTICS.get(reason, ""))
            if detail:
                note += " " + _("In her words: “%(detail)s”") % {"detail": detail}
            items = self.take(lambda s, r=reason: s.reason == r)
            label = Reason(reason).label if reason in Reason.values else reason
            self.add(PanelSection(f"reason-{reason}", _("She said: %(reason)s") % {"reason": label}, note, items))

    def situation(self, bucket: str) -> None:
        facts, items = self.facts, []
        if facts.has_live_card and (facts.card_balance > 0 or facts.sessions_left > 0):
            items += self.take(lambda s: s.reason == Reason.UNUSED_BALANCE, _("She still has something on her card."))
        if self._card_running_out():
            items += self.take(lambda s: s.reason == Reason.BUSY, _("Her card runs out soon or has run out."))
        if self.customer.escalated_on:
            items += self.take(lambda s: s.situation == Script.Situation.APOLOGY, _("Escalated to the manager."))
        if facts.appointment_at:
            booked = {Script.Situation.CONFIRMATION_SMS, Script.Situation.REMINDER_SMS}
            items += self.take(lambda s: s.situation in booked, _("She has a booked visit."))
        if self._birthday_soon():
            items += self.take(lambda s: s.situation == Script.Situation.BIRTHDAY, _("Her birthday is coming."))
        if is_dormant(bucket):
            items += self.take(lambda s: s.situation == Script.Situation.NO_ANSWER_SMS, _("If she does not answer."))
        self.add(PanelSection("situation", _("For her situation"), "", items))

    def everything_else(self, *, fill: bool = True) -> None:
        if fill:
            self.add(PanelSection("more", _("All other scripts"), "", self.take(lambda s: True), open=False))
        elif waiting := sum(1 for s in self.scripts if s.pk not in self.shown):
            self.sections.append(PanelSection("more", _("All other scripts"), "", [], open=False, waiting=waiting))

    def _card_running_out(self) -> bool:
        expiry = self.facts.card_expiry
        soon = expiry is not None and (expiry - self.today).days <= CARD_RUNNING_OUT_DAYS
        return soon or (self.facts.expired_card_on is not None and not self.facts.has_live_card)

    def _birthday_soon(self) -> bool:
        birthday = self.customer.birthday
        if birthday is None:
            return False
        return any(
            (self.today + dt.timedelta(days=d)).timetuple()[1:3] == (birthday.month, birthday.day)
            for d in range(BIRTHDAY_AHEAD_DAYS + 1)
        )
