from django.urls import path

from .views import (
    calls,
    customer_card,
    dashboard,
    exports,
    messages,
    offers,
    reassign,
    rewards,
    script_edit,
    scripts,
    settings,
)

app_name = "reactivation"

urlpatterns = [
    path("calls/", calls.call_list, name="call_list"),
    path("customers/<int:customer_id>/", customer_card.customer_card, name="customer_card"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/stores/", dashboard.chain_dashboard, name="chain_dashboard"),
    path("dashboard/reasons/<slug:reason>/", dashboard.reason_contacts, name="reason_contacts"),
    path("rewards/", rewards.reward_sheet_view, name="rewards"),
    path("reassign/", reassign.reassign, name="reassign"),
    path("exports/call-lists/", exports.call_lists_export, name="call_lists_export"),
    path("staff/<int:staff_id>/deactivate/", reassign.staff_leave, name="staff_deactivate"),
    path("settings/", settings.store_settings, name="settings"),
    path("settings/replan/", settings.replan_today, name="replan_today"),
    path("scripts/", scripts.script_library, name="scripts"),
    path("scripts/new/", script_edit.script_new, name="script_new"),
    path("scripts/preview/", script_edit.script_preview, name="script_preview"),
    path("scripts/<int:script_id>/edit/", script_edit.script_edit, name="script_edit"),
    path("scripts/<int:script_id>/active/", script_edit.script_active, name="script_active"),
    path("scripts/<int:script_id>/history/", scripts.script_history, name="script_history"),
    path(
        "scripts/<int:script_id>/restore/<int:version_id>/",
        script_edit.script_restore_version,
        name="script_restore",
    ),
    path("scripts/offers/", offers.offer_list, name="offers"),
    path("scripts/offers/new/", offers.offer_edit, name="offer_new"),
    path("scripts/offers/<int:offer_id>/edit/", offers.offer_edit, name="offer_edit"),
    path("scripts/offers/<int:offer_id>/delete/", offers.offer_delete, name="offer_delete"),
    path("customers/<int:customer_id>/sms/", messages.send_script_sms, name="send_sms"),
]
