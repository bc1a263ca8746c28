"""Telling the reward sheet's caches that what it reads has changed."""

from __future__ import annotations

import uuid

from django.db.models.signals import post_delete, post_init, post_save

from customers.models import Staff, Store, Visit

from ..models import CustomerReturn, RewardSheetStamp


def reward_sheet_changed(*, store_ids: set[int]) -> None:
    """A fresh token for each store, in the caller's transaction: readers see it exactly when they see the change."""
    stamps = [RewardSheetStamp(store_id=pk, token=uuid.uuid4()) for pk in sorted(store_ids) if pk is not None]
    if stamps:
        RewardSheetStamp.objects.bulk_create(
            stamps, update_conflicts=True, unique_fields=["store"], update_fields=["token"]
        )


def _saved(sender, instance, **kwargs) -> None:
    if sender is Staff and set(kwargs.get("update_fields") or ()) == {"last_login"}:  # signing in changes nothing
        return
    reward_sheet_changed(store_ids=_stores_of(sender, instance))


def _deleted(sender, instance, **kwargs) -> None:
    # Only stamps that exist: a store being deleted must not get a new one (and without a stamp nothing is cached).
    RewardSheetStamp.objects.filter(store_id__in=_stores_of(sender, instance)).update(token=uuid.uuid4())


def _stores_of(sender, instance) -> set[int]:
    if sender is Store:
        return {instance.pk}
    if sender is Staff:  # a move between stores changes both sheets
        return {instance.store_id, getattr(instance, "_store_id_loaded", None)} - {None}
    return {instance.store_id}


def _staff_loaded(sender, instance, **kwargs) -> None:
    instance._store_id_loaded = instance.__dict__.get("store_id")  # never a query, even when deferred


def connect() -> None:
    """Every model save or delete of what the sheet reads; bulk doors announce their visits through the visits
    hook (`visits_recorded`), which calls `reward_sheet_changed` itself."""
    post_init.connect(_staff_loaded, sender=Staff, dispatch_uid="reward-stamp-staff-loaded")
    for model in (Visit, CustomerReturn, Staff, Store):
        post_save.connect(_saved, sender=model, dispatch_uid=f"reward-stamp-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"reward-stamp-delete-{model.__name__}")
