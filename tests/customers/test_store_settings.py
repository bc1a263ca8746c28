"""Store settings change through one service: validated, audited from → to, and saying when they apply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from customers.models import AuditEvent
from customers.services.store_settings import store_settings_change


def test_a_change_is_saved_audited_from_old_to_new_and_says_when_it_applies(store, manager):
    change = store_settings_change(
        by=manager, store=store, values={"beautician_buckets": ["m1", "m2", "m3"], "daily_contact_target": 12}
    )
    store.refresh_from_db()
    assert store.beautician_buckets == ["m1", "m2", "m3"] and store.daily_contact_target == 12
    event = AuditEvent.objects.get(action="change_settings")
    assert event.actor == manager and event.store == store
    assert event.detail == {
        "beautician_buckets": {"from": ["m1", "m2"], "to": ["m1", "m2", "m3"]},
        "daily_contact_target": {"from": 10, "to": 12},
    }
    assert change.lists_change_tonight
    assert len(change.when()) == 2


def test_an_unchanged_value_writes_nothing(store, manager):
    change = store_settings_change(by=manager, store=store, values={"reward_per_return_visit": Decimal("5")})
    assert change.changed == {} and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"beautician_buckets": ["m1", "active"]},
        {"beautician_buckets": ["m1", "m1"]},
        {"beautician_buckets": "m1"},
        {"beautician_reward_tiers": [["1500", "40"], ["1000", "20"], [None, "50"]]},
        {"beautician_reward_tiers": [["1000", "20"], ["1500", "40"]]},
        {"manager_reward_tiers": [[6, "150"], [3, "80"]]},
        {"manager_reward_tiers": [[3, "-80"]]},
        {"activation_visits": 0},
        {"daily_contact_target": 0},
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(store, manager, values):
    with pytest.raises(ValidationError) as refused:
        store_settings_change(by=manager, store=store, values={**values, "marketing_cap_days": 3})
    assert set(refused.value.message_dict) == set(values)
    store.refresh_from_db()
    assert store.marketing_cap_days == 7 and not AuditEvent.objects.exists()
