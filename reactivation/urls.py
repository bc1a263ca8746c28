from django.urls import path

from .views import calls, dashboard, scripts

app_name = "reactivation"

urlpatterns = [
    path("calls/", calls.call_list, name="call_list"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("scripts/", scripts.script_library, name="scripts"),
]
