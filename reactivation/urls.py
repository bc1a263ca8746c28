from django.urls import path

from .views import appointments, calls, customer_card, dashboard, messages, offers, script_edit, scripts, visits

app_name = "reactivation"

urlpatterns = [
    path("calls/", calls.call_list, name="call_list"),
    path("customers/<int:customer_id>/", customer_card.customer_card, name="customer_card"),
    path("customers/<int:customer_id>/follow-ups/", customer_card.follow_up_new, name="follow_up_new"),
    path("customers/<int:customer_id>/profile/", customer_card.profile_edit, name="profile_edit"),
    path("appointments/", appointments.appointment_list, name="appointments"),
    path("appointments/<int:appointment_id>/status/", appointments.appointment_status, name="appointment_status"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("visits/walk-in/", visits.walk_in_new, name="walk_in_new"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
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
