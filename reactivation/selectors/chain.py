"""Head office's view: every store side by side this month, with the chain's totals.

A fixed number of queries for any number of stores (one more per distinct store calendar day,
which is one for a chain in one time zone)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Sum

from customers.buckets import DORMANT_BUCKETS
from customers.models import Customer, Staff, Store

from ..models import CustomerReturn, FollowUp
from ..rewards import ZERO, month_bounds, month_rewards
from .results import yuan
from .rewards import month_moments, return_facts, rules_of


@dataclass
class StoreLine:
    store: Store
    dormant: int = 0
    contacted: int = 0
    returned: int = 0
    activated: int = 0
    liability: Decimal = ZERO  # stored value held by dormant customers
    rewards: Decimal = ZERO


@dataclass
class ChainBoard:
    lines: list[StoreLine] = field(default_factory=list)

    def total(self, name: str):
        return sum((getattr(line, name) for line in self.lines), ZERO if name in {"liability", "rewards"} else 0)

    @property
    def totals(self) -> dict[str, object]:
        return {n: self.total(n) for n in ("dormant", "contacted", "returned", "activated", "liability", "rewards")}


def chain_board(stores: list[Store]) -> ChainBoard:
    lines = {s.pk: StoreLine(s) for s in stores}
    ids = list(lines)
    if not ids:
        return ChainBoard()
    # The dormant customers and the stored value their cards hold (their rows' copy, which the card ledger
    # keeps), per store: one pass over the covering index `customer_store_tally`.
    dormant = Customer.objects.filter(store_id__in=ids, bucket__in=DORMANT_BUCKETS).values_list("store_id")
    for store_id, n, money in dormant.annotate(n=Count("id"), yuan=Sum("prepaid_yuan")).order_by():
        lines[store_id].dormant, lines[store_id].liability = n, yuan(money)
    by_day: dict[dt.date, list[Store]] = defaultdict(list)
    for store in stores:
        by_day[store.today()].append(store)
    for today, group in by_day.items():
        _this_month(group, today, lines)
    return ChainBoard([lines[s.pk] for s in stores])


def _grouped(queryset) -> list[tuple[int, int]]:
    return list(queryset.values_list("store_id").annotate(n=Count("id")).order_by())


def _this_month(stores: list[Store], today: dt.date, lines: dict[int, StoreLine]) -> None:
    """Contacted, returned, activated and rewards this month for stores on the same calendar day."""
    ids = [s.pk for s in stores]
    first, last = month_bounds(today)
    by_zone: dict[str, list[int]] = defaultdict(list)
    for store in stores:
        by_zone[store.timezone].append(store.pk)
    for zone_ids in by_zone.values():
        start, end = month_moments(next(s for s in stores if s.pk == zone_ids[0]), first, last)
        contacts = FollowUp.objects.filter(store_id__in=zone_ids, contacted_at__gte=start, contacted_at__lt=end)
        for store_id, n in contacts.values_list("store_id").annotate(n=Count("customer", distinct=True)).order_by():
            lines[store_id].contacted = n
    returns = CustomerReturn.objects.filter(store_id__in=ids, returned_on__gte=first, returned_on__lte=last)
    for store_id, n in _grouped(returns):
        lines[store_id].returned = n
    longest = max(s.activation_months for s in stores)
    facts, _names = return_facts(ids, first - relativedelta(months=longest), last)
    managers: dict[int, list[int]] = defaultdict(list)
    for pk, store_id in Staff.objects.filter(store_id__in=ids, role=Staff.Role.MANAGER, is_active=True).values_list(
        "pk", "store_id"
    ):
        managers[store_id].append(pk)
    for store in stores:
        people, counted = month_rewards(facts.get(store.pk, []), rules_of(store), first, managers[store.pk])
        lines[store.pk].rewards = sum((p.total for p in people.values()), ZERO)
        lines[store.pk].activated = sum(1 for e in counted if e.activated_on and first <= e.activated_on <= last)
