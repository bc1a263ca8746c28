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
from django.db.models import QuerySet
from django.http import Http404

from .models import Customer, Staff, Store


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
