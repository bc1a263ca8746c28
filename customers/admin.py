from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from customers.visit_hooks import visits_saved

from .models import Appointment, AuditEvent, Card, CardEntry, Customer, ImportBatch, Service, Staff, Store, Visit
from .privacy import customer_anonymise, customer_export


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone", "is_active"]
    search_fields = ["code", "name"]
    list_filter = ["is_active"]


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "name", "role", "store", "is_active"]
    list_filter = ["role", "store", "is_active"]
    search_fields = ["username", "name", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Salon"), {"fields": ["name", "role", "store", "phone", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "role", "store", "password1", "password2"]})
    ]


class CardInline(admin.TabularInline):
    model = Card
    extra = 0
    fields = ["name", "kind", "balance", "sessions_left", "expires_on"]
    # The kind decides what the holder's prepaid copy counts (yuan or sessions): fixed once the card exists.
    readonly_fields = ["kind", "balance", "sessions_left"]
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_phone", "store", "bucket", "months_away", "assignee", "last_visit_on"]
    list_filter = ["store", "bucket", "do_not_contact", "marketing_consent", "is_archived"]
    search_fields = ["name", "phone"]
    list_select_related = ["store", "assignee"]
    raw_id_fields = ["assignee", "last_beautician"]
    readonly_fields = Customer.ROUTINE_FIELDS
    inlines = [CardInline]
    actions = ["export_personal_data", "anonymise"]

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj: Customer) -> str:
        return obj.masked_phone

    @admin.action(description=_("Export their personal data (JSON, PIPL request)"))
    def export_personal_data(self, request, queryset):
        data = [customer_export(customer=customer, by=request.user) for customer in queryset.select_related("store")]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="customers-personal-data.json"'
        return response

    @admin.action(description=_("Make them anonymous (PIPL request; amounts and counts are kept)"))
    def anonymise(self, request, queryset):
        customers = list(queryset)
        for customer in customers:
            customer_anonymise(customer=customer, by=request.user)
        self.message_user(
            request, _("%(count)s customers are anonymous now.") % {"count": len(customers)}, messages.SUCCESS
        )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "price", "minutes", "is_active"]
    list_filter = ["store", "is_active"]
    search_fields = ["name"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "customer", "store", "service", "beautician", "amount"]
    list_filter = ["store"]
    search_fields = ["customer__name", "customer__phone"]
    date_hierarchy = "visited_on"
    raw_id_fields = ["customer", "beautician", "service", "created_by"]
    list_select_related = ["customer", "store", "service", "beautician"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A visit typed in here ends a dormant spell just like one registered at the till.
        visits_saved(store=obj.store, visits=[obj])


class CardEntryInline(admin.TabularInline):
    model = CardEntry
    extra = 0
    can_delete = False
    readonly_fields = (
        "created_at",
        "kind",
        "amount",
        "sessions",
        "balance_after",
        "sessions_after",
        "note",
        "created_by",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["name", "customer", "kind", "balance", "sessions_left", "expires_on"]
    list_filter = ["kind", "customer__store"]
    search_fields = ["name", "customer__name", "customer__phone"]
    raw_id_fields = ["customer"]
    readonly_fields = ["balance", "sessions_left"]
    inlines = [CardEntryInline]

    def get_readonly_fields(self, request, obj=None):
        # Whose card it is and its kind decide whose prepaid copy it moves and how: fixed once it exists.
        fixed = ["customer", "kind"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are only ever added by the product itself (ledgers, audit trails)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CardEntry)
class CardEntryAdmin(ReadOnlyAdmin):
    """The ledger is read-only here: entries are added by services, never edited."""

    list_display = ["created_at", "card", "kind", "amount", "sessions", "balance_after", "created_by"]
    list_filter = ["kind", "card__customer__store"]
    search_fields = ["card__name", "card__customer__name", "card__customer__phone"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "customer", "store", "staff", "status"]
    list_filter = ["store", "status"]
    search_fields = ["customer__name", "customer__phone"]
    raw_id_fields = ["customer", "staff", "service", "created_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "store", "status", "rows", "added", "updated", "unchanged"]
    list_filter = ["kind", "status", "store"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "store", "customer"]
    list_filter = ["action", "store"]
    search_fields = ["actor__username", "customer__name"]
