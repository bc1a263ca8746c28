"""Factories that keep every object inside one store: a visit's beautician and a
customer's assignee always belong to the customer's store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from customers.models import Appointment, Customer, Service, Staff, Store, Visit

PASSWORD = "correct-horse-battery"


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"测试门店{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    name = factory.Sequence(lambda n: f"员工{n}")
    role = Staff.Role.BEAUTICIAN
    store = factory.SubFactory(StoreFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"顾客{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    joined_on = dt.date(2025, 1, 1)
    # Agreed to marketing messages, as most salon customers do; tests of consent say False.
    marketing_consent = True


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["store", "name"]

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"面部护理{n}")
    price = Decimal("298.00")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    customer = factory.SubFactory(CustomerFactory)
    store = factory.SelfAttribute("customer.store")
    visited_on = dt.date(2026, 1, 1)
    amount = Decimal("298.00")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    customer = factory.SubFactory(CustomerFactory)
    store = factory.SelfAttribute("customer.store")
    starts_at = factory.LazyFunction(lambda: dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
