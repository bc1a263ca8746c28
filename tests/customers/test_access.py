"""Who sees which customer (DESIGN §2): every rule, both ways."""

from customers.access import GRANTS, Capability, may, may_see_full_phone, visible_customers
from customers.models import AuditEvent
from tests.factories import CustomerFactory


def test_a_beautician_sees_only_the_customers_assigned_to_her(store, beautician_a, beautician_b):
    mine = CustomerFactory(store=store, assignee=beautician_a)
    CustomerFactory(store=store, assignee=beautician_b)
    CustomerFactory(store=store)
    assert list(visible_customers(beautician_a)) == [mine]


def test_the_manager_sees_her_whole_store_and_nothing_else(store, other_store, manager, beautician_a):
    ours = {CustomerFactory(store=store).pk, CustomerFactory(store=store, assignee=beautician_a).pk}
    CustomerFactory(store=other_store)
    assert set(visible_customers(manager).values_list("pk", flat=True)) == ours


def test_the_owner_sees_every_store(store, other_store, owner):
    CustomerFactory(store=store)
    CustomerFactory(store=other_store)
    assert visible_customers(owner).count() == 2


def test_a_stranger_from_another_store_gets_404_on_a_customer_card(client, store, stranger, beautician_a):
    customer = CustomerFactory(store=store, assignee=beautician_a)
    client.force_login(stranger)
    assert client.get(f"/customers/{customer.pk}/").status_code == 404
    assert not AuditEvent.objects.exists()


def test_a_colleague_not_assigned_gets_404_and_the_assignee_gets_the_card(client, store, beautician_a, beautician_b):
    customer = CustomerFactory(store=store, assignee=beautician_a)
    client.force_login(beautician_b)
    assert client.get(f"/customers/{customer.pk}/").status_code == 404
    client.force_login(beautician_a)
    assert client.get(f"/customers/{customer.pk}/").status_code == 200


def test_full_numbers_only_for_the_assignee_and_the_manager(
    store, manager, beautician_a, beautician_b, owner, front_desk
):
    customer = CustomerFactory(store=store, assignee=beautician_a)
    assert may_see_full_phone(beautician_a, customer)
    assert may_see_full_phone(manager, customer)
    assert not may_see_full_phone(beautician_b, customer)
    assert not may_see_full_phone(front_desk, customer)
    assert not may_see_full_phone(owner, customer)


def test_the_card_shows_the_masked_number_to_the_owner(client, store, owner):
    customer = CustomerFactory(store=store, phone="13812345678")
    client.force_login(owner)
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


# --- one vocabulary: head office, the store one works on, capabilities -----------------


def test_a_superuser_is_head_office_like_an_owner(db):
    from tests.factories import StaffFactory

    root = StaffFactory(username="root", role="beautician", store=None, is_superuser=True)
    assert root.is_head_office
    assert may(root, Capability.COMPARE_STORES)
    assert not may(root, Capability.REVEAL_PHONE)


def test_head_office_chooses_the_store_by_code_the_same_way_on_every_page(client, store, other_store, owner):
    client.force_login(owner)
    for page in ("/dashboard/", "/scripts/"):
        assert client.get(f"{page}?store=OTHER").context["store"] == other_store
        assert client.get(page).context["store"] == store  # the first open store by code
        assert client.get(f"{page}?store=NOPE").status_code == 404


def test_a_manager_asking_for_another_stores_code_gets_404_on_every_page(client, store, other_store, manager):
    client.force_login(manager)
    for page in ("/dashboard/", "/scripts/"):
        assert client.get(f"{page}?store=OTHER").status_code == 404
        assert client.get(page).context["store"] == store


def test_capabilities_are_held_in_ones_own_store_only(store, other_store, manager, owner):
    assert may(manager, Capability.EDIT_SCRIPTS, store)
    assert not may(manager, Capability.EDIT_SCRIPTS, other_store)
    assert may(owner, Capability.EDIT_SCRIPTS, other_store)


def test_every_capability_is_in_the_permission_table():
    assert set(GRANTS) == set(Capability)
