"""Cards, keyed by store + phone + card name (DESIGN §5.1), their balances entering through the ledger.

A new card is written with its opening ledger entry (in bulk: card and entry in the same batch,
the entry's amount equal to the card's balance). A known card whose balance or sessions differ
from the file gets one adjustment entry (`card_set_balance`): history is never rewritten.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from ...models import Card, CardEntry
from ...services.cards import LedgerLine, cards_post_entries_bulk
from .. import problems as p
from ..bulk import insert_rows
from ..report import Row
from .base import Importer

ZERO = Decimal("0.00")


class CardImporter(Importer):
    kind = "cards"
    key_name = p.KEY_CARD

    def import_batch(self, rows: list[Row]) -> None:
        located = self.located(rows)
        customers = self.customers(located)
        planned = []
        for row, store in located:
            customer = customers.get((store.id, row.values["phone"]))
            if customer is None:
                self.reject_unknown_customer(row, store)
            else:
                planned.append((row, customer[0]))
        planned = self._first_of_each_card(planned)
        existing = self._existing(planned)
        new, changed = [], []
        for row, customer_id in planned:
            current = existing.get((customer_id, row.values["card_name"]))
            if current is None:
                new.append(self._new(row, customer_id))
            elif current.pk in self.seen:
                self.repeat(row, same=not _differences(row, current))
            else:
                self.seen.add(current.pk)
                changed.append((row, current))
        self._open(new)
        adjustments = []
        for row, card in changed:
            adjustment = self._bring_up_to_date(row, card)
            if adjustment is None:
                self.report.unchanged += 1
                continue
            self.report.updated += 1
            if adjustment.amount or adjustment.sessions:
                adjustments.append(adjustment)
        cards_post_entries_bulk(lines=adjustments, by=self.by)

    def _first_of_each_card(self, planned: list[tuple[Row, int]]) -> list[tuple[Row, int]]:
        firsts: dict[tuple[int, str], Row] = {}
        kept = []
        for row, customer_id in planned:
            key = (customer_id, row.values["card_name"])
            if key in firsts and row.values == firsts[key].values:
                self.twin(firsts[key], row)
            elif key in firsts:
                self.repeat(row, same=False)
            else:
                firsts[key] = row
                kept.append((row, customer_id))
        return kept

    def _existing(self, planned: list[tuple[Row, int]]) -> dict[tuple[int, str], Card]:
        if not planned:
            return {}
        cards = Card.objects.filter(
            customer_id__in={customer_id for _row, customer_id in planned},
            name__in={row.values["card_name"] for row, _customer_id in planned},
        )
        return {(card.customer_id, card.name): card for card in cards}

    def _new(self, row: Row, customer_id: int) -> dict[str, object]:
        values = row.values
        balance, sessions = values.get("balance") or ZERO, values.get("sessions_left") or 0
        kind = values.get("kind") or (Card.Kind.SESSIONS if sessions and not balance else Card.Kind.VALUE)
        return {
            "customer_id": customer_id,
            "name": values["card_name"],
            "kind": kind,
            "balance": balance,
            "sessions_left": sessions,
            "expires_on": values.get("expires_on"),
        }

    def _open(self, new: list[dict[str, object]]) -> None:
        """New cards, empty, then the opening entry that brings each to its balance (the ledger's one door)."""
        opening = [(cast(Decimal, card.pop("balance")), cast(int, card.pop("sessions_left"))) for card in new]
        ids = insert_rows(Card, new)
        lines = [
            LedgerLine(pk, CardEntry.Kind.OPENING, amount=balance, sessions=sessions, note=self.note)
            for pk, (balance, sessions) in zip(ids, opening, strict=True)
        ]
        cards_post_entries_bulk(lines=lines, by=self.by)
        self.seen.update(ids)
        self.report.added += len(new)

    def _bring_up_to_date(self, row: Row, card: Card) -> LedgerLine | None:
        """Make a known card match its row; None when nothing differs. The balance moves by one
        adjustment entry in the ledger (returned, posted with the batch's others); the other fields
        are plain fields."""
        wanted = _differences(row, card)
        if not wanted:
            return None
        plain = {name: value for name, value in wanted.items() if name in {"kind", "expires_on"}}
        for name, value in plain.items():
            setattr(card, name, value)
        if plain:
            card.save(update_fields=list(plain))
        balance = Decimal(wanted.get("balance", card.balance)).quantize(Decimal("0.01"))
        sessions = wanted.get("sessions_left", card.sessions_left)
        return LedgerLine(
            card.pk, CardEntry.Kind.ADJUST, amount=balance - card.balance, sessions=sessions - card.sessions_left,
            note=self.note,
        )  # fmt: skip


def _differences(row: Row, card: Card) -> dict[str, Any]:
    """What the row says that the card does not. Missing columns keep what is there; a blank
    balance or session count means none left."""
    values = row.values
    wanted: dict[str, Any] = {}  # typed as the row's values are
    if values.get("kind") is not None:
        wanted["kind"] = values["kind"]
    if "expires_on" in values:
        wanted["expires_on"] = values["expires_on"]
    if "balance" in values:
        wanted["balance"] = values["balance"] or ZERO
    if "sessions_left" in values:
        wanted["sessions_left"] = values["sessions_left"] or 0
    return {name: value for name, value in wanted.items() if getattr(card, name) != value}
