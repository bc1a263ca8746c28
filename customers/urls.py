from django.urls import path

from .views import customer_card, imports, phones

app_name = "customers"

urlpatterns = [
    path("customers/<int:customer_id>/", customer_card.customer_card, name="customer_card"),
    path("customers/<int:customer_id>/phone/", phones.reveal_phone, name="reveal_phone"),
    path("imports/", imports.import_home, name="imports"),
]
