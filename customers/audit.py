"""Recording the actions data protection cares about: phone reveals, exports, imports, staff
passwords set by someone else and sign-ins unlocked."""

from __future__ import annotations

from .models import AuditEvent, Customer, Staff, Store


def audit_phone_reveal(*, actor: Staff, customer: Customer) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor, action=AuditEvent.Action.REVEAL_PHONE, store_id=customer.store_id, customer=customer
    )


def audit_export(*, actor: Staff | None, store: Store | None, what: str, rows: int, file_name: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        store=store,
        detail={"what": what, "rows": rows, "file": file_name},
    )


def audit_import(*, actor: Staff | None, store: Store | None, kind: str, rows: int, file_name: str) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        store=store,
        detail={"kind": kind, "rows": rows, "file": file_name},
    )


def audit_password_set(*, actor: Staff, member: Staff) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=AuditEvent.Action.SET_PASSWORD,
        store_id=member.store_id,
        detail={"staff_id": member.pk, "username": member.username},
    )


def audit_unlock(*, actor: Staff, member: Staff, attempts: int) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=AuditEvent.Action.UNLOCK,
        store_id=member.store_id,
        detail={"staff_id": member.pk, "username": member.username, "attempts": attempts},
    )
