"""Who may do what, and who may see which customer. Every view, export and API asks here, nowhere else.

One vocabulary:

- **Head office** (`Staff.is_head_office`): an owner, or a superuser. It sees every store but
  works on one store at a time, chosen by its code (`?store=CODE`; the first open store by code
  when none is chosen) — the same rule on every page (`store_for`).
- **The store a person works in**: a manager, beautician or front desk has exactly one.
- **Capabilities** (`Capability`): what a role may do in a store. `may(user, capability, store)`
  answers; the `requires(capability)` view decorator sends the signed-out to the login page and
  answers 403 to a role without it.
- **Customers**: head office sees every store's customers; a manager every customer of her store;
  beauticians and front desk only the customers assigned to them (and those they are to call
  after a visit). Anyone else gets a 404, as if
  the customer did not exist (`get_customer_for`). Full phone numbers are shown only to the
  customer's assignee and her store's manager (`may_see_full_phone`), never to head office.
"""

from __future__ import annotations

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from .models import AftercareCall, Customer, ImportBatch, Staff, Store

Role = Staff.Role
HEAD_OFFICE = "head_office"  # owners and superusers, whatever their role field says


class Capability(StrEnum):
    """What a signed-in person may do. `GRANTS` says which roles hold each one."""

    SIGN_IN = "sign_in"
    WORK_CALL_LIST = "work_call_list"
    SEE_TEAM_LISTS = "see_team_lists"  # anyone's call list in her store, and the customers escalated to her
    SEE_CUSTOMERS = "see_customers"
    REVEAL_PHONE = "reveal_phone"
    SEND_MESSAGES = "send_messages"
    READ_SCRIPTS = "read_scripts"
    EDIT_SCRIPTS = "edit_scripts"
    REGISTER_VISITS = "register_visits"
    MANAGE_APPOINTMENTS = "manage_appointments"
    SEE_DASHBOARD = "see_dashboard"
    COMPARE_STORES = "compare_stores"
    SEE_REWARDS = "see_rewards"
    CHANGE_SETTINGS = "change_settings"
    REASSIGN = "reassign"
    EXPORT = "export"
    MANAGE_STAFF = "manage_staff"
    IMPORT = "import"
    SEE_AUDIT_TRAIL = "see_audit_trail"


EVERYONE = frozenset({HEAD_OFFICE, Role.MANAGER, Role.BEAUTICIAN, Role.FRONT_DESK})
STORE_STAFF = frozenset({Role.MANAGER, Role.BEAUTICIAN, Role.FRONT_DESK})
RUNS_A_STORE = frozenset({HEAD_OFFICE, Role.MANAGER})

# The one permission table: which roles hold each capability (HEAD_OFFICE: owners and superusers).
GRANTS: dict[Capability, frozenset[str]] = {
    Capability.SIGN_IN: EVERYONE,
    Capability.WORK_CALL_LIST: STORE_STAFF,
    Capability.SEE_TEAM_LISTS: frozenset({Role.MANAGER}),
    Capability.SEE_CUSTOMERS: EVERYONE,
    Capability.REVEAL_PHONE: STORE_STAFF,
    Capability.SEND_MESSAGES: EVERYONE,
    Capability.READ_SCRIPTS: EVERYONE,
    Capability.EDIT_SCRIPTS: RUNS_A_STORE,
    Capability.REGISTER_VISITS: frozenset({Role.MANAGER, Role.FRONT_DESK}),
    Capability.MANAGE_APPOINTMENTS: frozenset({Role.MANAGER, Role.FRONT_DESK}),
    Capability.SEE_DASHBOARD: RUNS_A_STORE,
    Capability.COMPARE_STORES: frozenset({HEAD_OFFICE}),
    Capability.SEE_REWARDS: RUNS_A_STORE,
    Capability.CHANGE_SETTINGS: RUNS_A_STORE,
    Capability.REASSIGN: frozenset({Role.MANAGER}),
    Capability.EXPORT: frozenset({Role.MANAGER}),
    Capability.MANAGE_STAFF: RUNS_A_STORE,
    Capability.IMPORT: RUNS_A_STORE,
    Capability.SEE_AUDIT_TRAIL: RUNS_A_STORE,
}


def _signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def roles_of(user: Staff) -> frozenset[str]:
    if not _signed_in(user):
        return frozenset()
    return frozenset({HEAD_OFFICE}) if user.is_head_office else frozenset({user.role})


def may(user: Staff, capability: Capability, store: Store | None = None) -> bool:
    """Whether `user` has `capability` (in `store`, when given: head office in any, staff only in their own)."""
    if not roles_of(user) & GRANTS[capability]:
        return False
    if store is None or user.is_head_office:
        return True
    return user.store_id == store.pk


def requires(capability: Capability):
    """View decorator: signed in (else the login page), and holding `capability` (else the 403 page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not may(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- stores -----------------------------------------------------------------------------


def visible_stores(user: Staff) -> QuerySet[Store]:
    if not _signed_in(user):
        return Store.objects.none()
    if user.is_head_office:
        return Store.objects.all()
    if user.store_id is None:
        return Store.objects.none()
    return Store.objects.filter(pk=user.store_id)


def store_for(request: HttpRequest, capability: Capability) -> Store:
    """The store this request works on, where the signed-in person holds `capability`.

    Her own store; for head office the one chosen by `?store=CODE` (GET or POST), else the first
    open store by code. 404 for a code one may not see or a person without a store; 403 without the capability.
    """
    user: Staff = request.user  # type: ignore[assignment]
    code = request.POST.get("store") or request.GET.get("store")
    stores = visible_stores(user)
    if code:
        store = stores.filter(code=code).first()  # another store's code: 404 for anyone but head office
    else:
        store = user.store if not user.is_head_office else stores.filter(is_active=True).order_by("code").first()
    if store is None:
        raise Http404
    if not may(user, capability, store):
        raise PermissionDenied
    return store


def store_query(user: Staff, store: Store) -> str:
    """Head office works on one store at a time: links and redirects carry it along."""
    return f"?store={store.code}" if user.is_head_office else ""


# --- customers --------------------------------------------------------------------------


def visible_customers(user: Staff) -> QuerySet[Customer]:
    if not may(user, Capability.SEE_CUSTOMERS):
        return Customer.objects.none()
    if user.is_head_office:
        return Customer.objects.all()
    if user.store_id is None:
        return Customer.objects.none()
    in_store = Customer.objects.filter(store_id=user.store_id)
    if user.is_manager:
        return in_store
    # Her assigned customers, and those she is to call after their visit (回访): a union of two index
    # look-ups, so that a big store's other customers are never read.
    assigned = Customer.objects.filter(store_id=user.store_id, assignee=user).order_by().values("pk")
    aftercare = AftercareCall.objects.filter(staff=user, done_at__isnull=True).order_by().values("customer_id")
    return in_store.filter(pk__in=assigned.union(aftercare))


def get_customer_for(user: Staff, customer_id: int, queryset: QuerySet[Customer] | None = None) -> Customer:
    """The customer if `user` may see her, else Http404 (never a hint that she exists)."""
    try:
        return (queryset if queryset is not None else visible_customers(user)).get(pk=customer_id)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_see_full_phone(user: Staff, customer: Customer) -> bool:
    """Her assignee (or whoever is to make her aftercare call) and her store's manager; nobody else, head office
    included."""
    if not may(user, Capability.REVEAL_PHONE, customer.store):
        return False
    if user.is_manager or customer.assignee_id == user.pk:
        return True
    return AftercareCall.objects.filter(customer=customer, staff=user, done_at__isnull=True).exists()


def registrable_customers(user: Staff) -> QuerySet[Customer]:
    """Whom the till may register a visit for: every customer of the store, for its front desk and manager."""
    if not may(user, Capability.REGISTER_VISITS) or user.store_id is None:
        return Customer.objects.none()
    return Customer.objects.filter(store_id=user.store_id, is_archived=False)


def may_act_on(user: Staff, customer: Customer) -> bool:
    """Log contacts, edit her soft profile, book her: her assignee and her store's manager."""
    return may_see_full_phone(user, customer)


# --- imports and staff accounts -------------------------------------------------------


def may_import(user: Staff, kind: str) -> bool:
    """A store manager imports for her own store; the store list itself is head office's."""
    if not may(user, Capability.IMPORT):
        return False
    if user.is_head_office:
        return True
    return user.store_id is not None and kind != "stores"


def import_store_ids(user: Staff | None) -> frozenset[int] | None:
    """The stores whose rows `user` may import; None means every store (head office, the command line)."""
    if user is None or (_signed_in(user) and user.is_head_office):
        return None
    if user.store_id is None or not may_import(user, "customers"):
        return frozenset()
    return frozenset([user.store_id])


def manageable_staff(user: Staff) -> QuerySet[Staff]:
    """Staff whose password `user` may set: head office any account but superusers; a manager
    her own store's beauticians and front desk (never another manager's or head office's account)."""
    if not may(user, Capability.MANAGE_STAFF):
        return Staff.objects.none()
    if user.is_head_office:
        return Staff.objects.filter(is_superuser=False)
    if user.store_id is None:
        return Staff.objects.none()
    return Staff.objects.filter(store_id=user.store_id, role__in=[Role.BEAUTICIAN, Role.FRONT_DESK], is_superuser=False)


def visible_imports(user: Staff) -> QuerySet[ImportBatch]:
    """Import history: head office sees every import; a manager her store's and her own."""
    if not may_import(user, "customers"):
        return ImportBatch.objects.none()
    if user.is_head_office:
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(Q(store_id=user.store_id) | Q(uploaded_by=user))


def visible_staff(user: Staff) -> QuerySet[Staff]:
    """The staff list: head office sees everyone, a manager her own store's staff."""
    if not may(user, Capability.MANAGE_STAFF):
        return Staff.objects.none()
    if user.is_head_office:
        return Staff.objects.all()
    if user.store_id is None:
        return Staff.objects.none()
    return Staff.objects.filter(store_id=user.store_id)
