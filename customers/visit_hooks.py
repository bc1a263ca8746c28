"""The records layer's one announcement: "these visits were saved".

`customers` keeps stores, customers and their visits; what a saved visit means for the
workflow (a dormant spell ends, a return is credited) belongs to `reactivation`, which
registers its receiver once at start-up (`ReactivationConfig.ready`). Every door that saves
visits — the till, an import, the admin, the nightly catch-up — calls `visits_saved`, so each
one ends a dormant spell through the same code, and `customers` never imports `reactivation`.

Receivers run inside the caller's transaction: what they write commits or rolls back with the
visits themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import Store


class SavedVisit(Protocol):
    """What a receiver may read of a saved visit: a `Visit` has it, and so has an import's light tuple.
    Read-only members, so that a NamedTuple fits too."""

    @property
    def pk(self) -> int: ...
    @property
    def customer_id(self) -> int: ...
    @property
    def visited_on(self) -> dt.date: ...


VisitsReceiver = Callable[..., Any]  # called as receiver(store=..., visits=[...], last_visits_by_caller=...)

_receivers: list[VisitsReceiver] = []


def on_visits_saved(receiver: VisitsReceiver) -> VisitsReceiver:
    """Register `receiver` (idempotent: registering the same function twice keeps one)."""
    if receiver not in _receivers:
        _receivers.append(receiver)
    return receiver


def visits_saved(*, store: Store, visits: Iterable[SavedVisit], last_visits_by_caller: bool = False) -> list[Any]:
    """Announce visits saved for `store`; returns what the receivers returned, in order.

    `last_visits_by_caller`: the caller brings these customers' last visits up to date itself once
    it has announced every store's visits (`customers_refresh_last_visits`, one statement for a
    whole import); receivers then see the customers as they were before the visits."""
    batch = list(visits)
    if not batch:
        return []
    return [receiver(store=store, visits=batch, last_visits_by_caller=last_visits_by_caller) for receiver in _receivers]
