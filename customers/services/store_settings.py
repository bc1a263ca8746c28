"""Changing a store's settings: the one way they change (the /settings/ page, head office, a script).

`store_settings_change` validates the new values as the model's own validators do, writes only what
differs, records who changed what from what to what (an `AuditEvent`), and says when each change
takes effect. Everything is a setting of the store's routine, read by the nightly run, the call
lists and the reward sheet: a change applies from the next nightly run (the buckets split, which
customers are called, activation), at once (the daily target, the message cap), or to reward sheets
computed from now on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import AuditEvent, Staff, Store

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NEXT_NIGHT = "next_night"
AT_ONCE = "at_once"
NEXT_SHEET = "next_sheet"

TAKES_EFFECT: dict[str, str] = {
    "beautician_buckets": NEXT_NIGHT,
    "activation_visits": NEXT_SHEET,
    "activation_months": NEXT_SHEET,
    "attribution_days": NEXT_NIGHT,
    "daily_contact_target": AT_ONCE,
    "marketing_cap_days": AT_ONCE,
    "reward_per_return_visit": NEXT_SHEET,
    "beautician_reward_tiers": NEXT_SHEET,
    "manager_reward_tiers": NEXT_SHEET,
}
WHEN: dict[str, StrOrPromise] = {
    NEXT_NIGHT: _("from tonight's run (or now, if you re-plan today's lists)"),
    AT_ONCE: _("at once"),
    NEXT_SHEET: _("on every reward sheet from now on, past months included"),
}


@dataclass(frozen=True)
class SettingsChange:
    store: Store
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (old, new)

    @property
    def lists_change_tonight(self) -> bool:
        """The call lists will be re-planned: offer to do it now rather than wait a night."""
        return any(TAKES_EFFECT[name] == NEXT_NIGHT for name in self.changed)

    def when(self) -> list[tuple[StrOrPromise, StrOrPromise]]:
        """(setting's label, when it applies) for each change."""
        return [
            (Store._meta.get_field(name).verbose_name, WHEN[TAKES_EFFECT[name]])  # type: ignore[union-attr]
            for name in self.changed
        ]


def store_settings_change(*, by: Staff | None, store: Store, values: dict[str, Any]) -> SettingsChange:
    """Set `values` (settings by field name) on `store`.

    ValidationError (by field), and nothing saved, when any value is bad.
    """
    unknown = set(values) - set(Store.SETTINGS)
    if unknown:
        raise ValueError(f"not store settings: {sorted(unknown)}")
    with transaction.atomic():
        locked = Store.objects.select_for_update().get(pk=store.pk)
        changed = {n: (getattr(locked, n), v) for n, v in values.items() if _plain(getattr(locked, n)) != _plain(v)}
        for name, (_old, new) in changed.items():
            setattr(locked, name, new)
        locked.full_clean(exclude=[f.name for f in Store._meta.fields if f.name not in changed] or None)
        if not changed:
            return SettingsChange(locked)
        locked.save(update_fields=list(changed))
        AuditEvent.objects.create(
            actor=by,
            action=AuditEvent.Action.CHANGE_SETTINGS,
            store=locked,
            detail={name: {"from": _plain(old), "to": _plain(new)} for name, (old, new) in changed.items()},
        )
    for name in changed:
        setattr(store, name, getattr(locked, name))
    return SettingsChange(store, changed)


def _plain(value: Any) -> Any:
    """A value as JSON keeps it, so "5" and Decimal("5.00") compare, and the audit row can hold it."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


__all__ = ["SettingsChange", "ValidationError", "store_settings_change"]
