from __future__ import annotations

from django.contrib import admin

from .models import (
    AssignmentChange,
    CustomerReturn,
    FollowUp,
    FollowUpReason,
    Message,
    Script,
    ScriptVersion,
    SegmentRun,
    StoreOffer,
)


@admin.register(SegmentRun)
class SegmentRunAdmin(admin.ModelAdmin):
    list_display = [
        "run_date",
        "store",
        "status",
        "customers_changed",
        "assignees_changed",
        "unassigned",
        "finished_at",
    ]
    list_filter = ["status", "store"]
    date_hierarchy = "run_date"


@admin.register(AssignmentChange)
class AssignmentChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_on", "customer", "from_staff", "to_staff", "cause"]
    list_filter = ["cause", "customer__store"]
    search_fields = ["customer__name", "customer__phone"]
    raw_id_fields = ["customer", "from_staff", "to_staff", "run"]


class FollowUpReasonInline(admin.TabularInline):
    model = FollowUpReason
    extra = 0
    fields = ["reason", "detail"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["contacted_at", "customer", "by", "channel", "outcome", "next_follow_up_on"]
    list_filter = ["outcome", "channel", "store"]
    search_fields = ["customer__name", "customer__phone", "notes"]
    raw_id_fields = ["customer", "by", "appointment", "script"]
    inlines = [FollowUpReasonInline]


@admin.register(CustomerReturn)
class CustomerReturnAdmin(admin.ModelAdmin):
    list_display = ["returned_on", "customer", "bucket", "months_away", "credited_to", "activated_on"]
    list_filter = ["store", "bucket"]
    search_fields = ["customer__name", "customer__phone"]
    raw_id_fields = ["customer", "visit", "credited_to", "follow_up"]


class ScriptVersionInline(admin.TabularInline):
    model = ScriptVersion
    extra = 0
    readonly_fields = ("edited_at", "edited_by", "title", "body", "is_active")
    fields = readonly_fields


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "language", "store", "situation", "bucket", "reason", "is_active"]
    list_filter = ["situation", "language", "store", "is_active"]
    search_fields = ["title", "key", "body"]
    inlines = [ScriptVersionInline]


@admin.register(StoreOffer)
class StoreOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "store", "kind", "price", "valid_from", "valid_until"]
    list_filter = ["store", "kind"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "customer", "phone_masked", "sent_by", "backend", "status", "is_marketing"]
    list_filter = ["status", "store"]
    search_fields = ["customer__name"]
    raw_id_fields = ["customer", "sent_by", "script"]
