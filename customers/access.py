"""Who may see which customer. Every view, export and API asks here, nowhere else.

- Owners (head office) see every store's customers.
- A store manager sees every customer of her store.
- Beauticians and front desk see only the customers assigned to them, in their own store.
Anyone else gets a 404, as if the customer did not exist.

Full phone numbers are shown only to the customer's assignee and her store's manager.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Customer, ImportBatch, Staff, Store


def visible_stores(user: Staff) -> QuerySet[Store]:
    if not user.is_authenticated or not user.is_active:
        return Store.objects.none()
    if user.is_owner:
        return Store.objects.all()
    if user.store_id is None:
        return Store.objects.none()
    return Store.objects.filter(pk=user.store_id)


def visible_customers(user: Staff) -> QuerySet[Customer]:
    if not user.is_authenticated or not user.is_active:
        return Customer.objects.none()
    if user.is_owner:
        return Customer.objects.all()
    if user.store_id is None:
        return Customer.objects.none()
    in_store = Customer.objects.filter(store_id=user.store_id)
    if user.is_manager:
        return in_store
    return in_store.filter(assignee=user)


def get_customer_for(user: Staff, customer_id: int, queryset: QuerySet[Customer] | None = None) -> Customer:
    """The customer if `user` may see her, else Http404 (never a hint that she exists)."""
    try:
        return (queryset if queryset is not None else visible_customers(user)).get(pk=customer_id)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_full_phone(user: Staff, customer: Customer) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_manager and user.store_id == customer.store_id:
        return True
    return customer.assignee_id == user.pk and user.store_id == customer.store_id


def can_manage_store(user: Staff, store: Store) -> bool:
    """Scripts, imports, settings, exports: the store's manager, or head office."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_owner or (user.is_manager and user.store_id == store.pk)


def require_role(*roles: str):
    """View decorator: signed in, and one of `roles`; anyone else gets a 403 page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- imports and staff accounts -------------------------------------------------------


def is_head_office(user: Staff) -> bool:
    return user.is_authenticated and user.is_active and (user.is_owner or user.is_superuser)


def can_import(user: Staff, kind: str) -> bool:
    """A store manager imports for her own store; the store list itself is head office's."""
    if is_head_office(user):
        return True
    is_store_manager = user.is_authenticated and user.is_active and user.is_manager and user.store_id is not None
    return is_store_manager and kind != "stores"


def import_store_ids(user: Staff | None) -> frozenset[int] | None:
    """The stores whose rows `user` may import; None means every store (head office, the command line)."""
    if user is None or is_head_office(user):
        return None
    if user.store_id is None or not can_import(user, "customers"):
        return frozenset()
    return frozenset([user.store_id])


def manageable_staff(user: Staff) -> QuerySet[Staff]:
    """Staff whose password `user` may set: head office any account but superusers; a manager
    her own store's beauticians and front desk (never another manager's or head office's account)."""
    if is_head_office(user):
        return Staff.objects.filter(is_superuser=False)
    if user.is_authenticated and user.is_active and user.is_manager and user.store_id is not None:
        return Staff.objects.filter(
            store_id=user.store_id, role__in=[Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK], is_superuser=False
        )
    return Staff.objects.none()


def visible_imports(user: Staff) -> QuerySet[ImportBatch]:
    """Import history: head office sees every import; a manager her store's and her own."""
    if is_head_office(user):
        return ImportBatch.objects.all()
    if not can_import(user, "customers"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(Q(store_id=user.store_id) | Q(uploaded_by=user))


def visible_staff(user: Staff) -> QuerySet[Staff]:
    """The staff list: head office sees everyone, a manager her own store's staff."""
    if is_head_office(user):
        return Staff.objects.all()
    if user.is_authenticated and user.is_active and user.is_manager and user.store_id is not None:
        return Staff.objects.filter(store_id=user.store_id)
    return Staff.objects.none()
