"""Creating and editing customers' records at the till and on the card."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import Customer, Store

PROFILE_FIELDS = ("occupation", "family", "personality", "preferred_channel", "first_need", "wechat_added", "notes")


def customer_create_walk_in(*, store: Store, name: str, phone: str, **fields: Any) -> Customer:
    """A new customer who walked in: her file opens today."""
    customer = Customer(store=store, name=name, phone=phone, joined_on=store.today(), **fields)
    customer.full_clean()
    customer.save()
    return customer


def customer_update_profile(*, customer: Customer, values: dict[str, Any]) -> Customer:
    """Her soft profile (软档案): only those fields, validated; the change history records who changed what."""
    with transaction.atomic():
        for name, value in values.items():
            if name not in PROFILE_FIELDS:
                raise ValueError(f"not a profile field: {name}")
            setattr(customer, name, value)
        customer.full_clean(exclude=[f.name for f in Customer._meta.fields if f.name not in values])
        customer.save(update_fields=[*values, "updated_at"])
    return customer
