"""Editing a store's script library: every change keeps the text it replaces, and any version can come back.

A store never changes a default row (store = NULL), which every store shares and
migrations keep up to date: its first edit of a default creates the store's own
row with the same key and language, whose first version is the default text.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from customers.models import Staff, Store

from ..library.sync import SNAPSHOT_FIELDS
from ..models import Script, ScriptVersion, StoreOffer
from ..placeholders import placeholder_errors


def script_update(*, store: Store, script: Script, by: Staff, changes: dict) -> Script:
    """Apply a manager's changes for `store`; returns the store's row (created on its first edit of a default)."""
    _check_body(changes.get("body"))
    with transaction.atomic():
        target, previous = _rows_for_edit(store, script)
        wanted = {name: changes.get(name, getattr(previous, name)) for name in SNAPSHOT_FIELDS}
        if all(getattr(previous, name) == value for name, value in wanted.items()):
            return target
        if target.pk is None:  # the store's first edit of a default: its own row starts as the default
            target.save()
        ScriptVersion.objects.create(
            script=target, edited_by=previous.updated_by, edited_at=previous.updated_at, **snapshot(previous)
        )
        for name, value in wanted.items():
            setattr(target, name, value)
        target.updated_by = by
        target.save()
    return target


def script_create(
    *, store: Store, by: Staff, language: str, fields: dict, client_token: uuid.UUID | None = None
) -> Script:
    """A script of the store's own, not derived from a default. A repeated `client_token` (a double
    tap on "save") returns the script the first one created."""
    _check_body(fields.get("body"))
    values = {name: fields[name] for name in SNAPSHOT_FIELDS if name in fields}
    key = f"store-{uuid.uuid4().hex[:12]}"
    return _once(
        Script,
        client_token,
        store,
        lambda: Script.objects.create(
            store=store, key=key, language=language, updated_by=by, client_token=client_token, **values
        ),
    )


def _once(model, client_token: uuid.UUID | None, store: Store, create):
    """`create()`, unless a row of `store` with this form token exists already: then that row.
    Two requests racing with one token: the unique token lets one in, the other gets its row."""
    if client_token is not None and (existing := model.objects.filter(store=store, client_token=client_token).first()):
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if client_token is not None and (
            existing := model.objects.filter(store=store, client_token=client_token).first()
        ):
            return existing
        raise


def script_set_active(*, store: Store, script: Script, by: Staff, active: bool) -> Script:
    return script_update(store=store, script=script, by=by, changes={"is_active": active})


def script_restore(*, store: Store, script: Script, version: ScriptVersion, by: Staff) -> Script:
    """Bring back an earlier version; the text it replaces becomes a version in turn."""
    if version.script_id != script.pk:
        raise ValidationError("This version belongs to another script.")
    return script_update(store=store, script=script, by=by, changes=snapshot(version))


def snapshot(row: Script | ScriptVersion) -> dict:
    return {name: getattr(row, name) for name in SNAPSHOT_FIELDS}


def _rows_for_edit(store: Store, script: Script) -> tuple[Script, Script]:
    """(the row to write, the row whose content is being replaced), locked against a concurrent edit."""
    if script.store_id is not None:
        if script.store_id != store.pk:
            raise ValidationError("A store edits only its own scripts.")
        row = Script.objects.select_for_update().get(pk=script.pk)
        return row, row
    override = Script.objects.select_for_update().filter(store=store, key=script.key, language=script.language).first()
    if override is not None:
        return override, override
    return Script(store=store, key=script.key, language=script.language, **snapshot(script)), script


def _check_body(body: str | None) -> None:
    if body is not None and (errors := placeholder_errors(body)):
        raise ValidationError(errors)


def store_offer_save(
    *, store: Store, offer: StoreOffer | None = None, fields: dict, client_token: uuid.UUID | None = None
) -> StoreOffer:
    """Create or change one of the store's offers (featured treatment, reactivation package).
    Creating with a repeated `client_token` (a double tap) returns the offer the first one created."""
    if offer is None:
        new = StoreOffer(store=store, client_token=client_token, **fields)
        new.full_clean(exclude=["client_token"])  # a repeated token is not an error: _once answers it

        def create() -> StoreOffer:
            new.save()
            return new

        return _once(StoreOffer, client_token, store, create)
    if offer.store_id != store.pk:
        raise ValidationError("A store edits only its own offers.")
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.full_clean()
    offer.save()
    return offer


def store_offer_delete(*, store: Store, offer: StoreOffer) -> None:
    if offer.store_id != store.pk:
        raise ValidationError("A store edits only its own offers.")
    offer.delete()
