from django.urls import path

from .views import imports, phones, staff

app_name = "customers"

urlpatterns = [
    path("customers/<int:customer_id>/phone/", phones.reveal_phone, name="reveal_phone"),
    path("imports/", imports.import_home, name="imports"),
    path("imports/<int:batch_id>/", imports.import_detail, name="import_detail"),
    path("imports/<int:batch_id>/confirm/", imports.import_confirm_view, name="import_confirm"),
    path("imports/<int:batch_id>/retry/", imports.import_retry_view, name="import_retry"),
    path(
        "imports/templates/<slug:kind>.<str:file_format>",
        imports.import_template,
        name="import_template",
    ),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/<int:staff_id>/password/", staff.staff_password, name="staff_password"),
    path("staff/<int:staff_id>/unlock/", staff.staff_unlock_view, name="staff_unlock"),
]
