"""Visits: keyed by store + phone + date + service; they end dormant spells like a visit at the till."""

import datetime as dt
from decimal import Decimal

from customers.access import visible_customers
from customers.imports import problems as p
from customers.imports import runner
from customers.models import Customer, Service, Visit
from reactivation.models import AssignmentChange, CustomerReturn
from tests.factories import CustomerFactory, StaffFactory, VisitFactory

from .files import import_rows, problems

HEADER = ["门店编码", "手机号", "到店日期", "美容师", "项目", "消费金额"]


def visits():
    return sorted(
        Visit.objects.values_list("customer__phone", "visited_on", "service__name", "beautician__username", "amount")
    )


def test_visits_are_added_for_the_stores_customers(store, beautician_a, tmp_path):
    customer = CustomerFactory(store=store, phone="13812345678", joined_on=dt.date(2020, 1, 1))
    rows = [HEADER, ["MAIN", "138-1234-5678", "2026-03-05", "beautician_a", "补水护理", "¥1,280.50"]]
    report = import_rows(tmp_path, "visits", rows)
    assert report.added == 1
    assert visits() == [("13812345678", dt.date(2026, 3, 5), "补水护理", "beautician_a", Decimal("1280.50"))]
    customer.refresh_from_db()
    assert (customer.last_visit_on, customer.last_beautician) == (dt.date(2026, 3, 5), beautician_a)


def test_a_visit_for_a_customer_the_store_does_not_have_is_a_bad_row(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    rows = [
        HEADER,
        ["MAIN", "13812345678", "2026-03-05", "", "", ""],
        ["MAIN", "13900001111", "2026-03-05", "", "", ""],
    ]
    report = import_rows(tmp_path, "visits", rows)
    assert problems(report) == [(3, "手机号", p.UNKNOWN_CUSTOMER)]
    assert Visit.objects.count() == 0


def test_a_bad_row_quotes_the_phone_as_the_file_wrote_it(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    first = ["MAIN", "138-1234-5678", "2026-03-05", "", "面部护理", "298"]
    rows = [
        HEADER,
        ["MAIN", "139 0000 1111", "2026-03-05", "", "", ""],
        ["MAIN", "13900002222", "2026-03-05", "", "", ""],
        first,
        ["MAIN", "+86 138 1234 5678", "2026-03-05", "", "面部护理", "268"],
    ]
    report = import_rows(tmp_path, "visits", rows)
    assert [(error.row, error.value, error.msgid) for error in report.errors] == [
        (2, "139 0000 1111", p.UNKNOWN_CUSTOMER),
        (3, "13900002222", p.UNKNOWN_CUSTOMER),
        (5, "+86 138 1234 5678", p.REPEATED_ROW),
    ]


def test_a_customer_of_another_store_is_unknown_here(store, other_store, tmp_path):
    CustomerFactory(store=other_store, phone="13812345678")
    report = import_rows(tmp_path, "visits", [HEADER, ["MAIN", "13812345678", "2026-03-05", "", "", ""]])
    assert problems(report) == [(2, "手机号", p.UNKNOWN_CUSTOMER)]


def test_an_invalid_phone_is_called_invalid_not_unknown(store, tmp_path):
    report = import_rows(tmp_path, "visits", [HEADER, ["MAIN", "10012345678", "2026-03-05", "", "", ""]])
    assert problems(report) == [(2, "手机号", p.BAD_PHONE)]


def test_reimporting_visits_creates_no_duplicates(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    CustomerFactory(store=store, phone="13812345678")
    rows = [HEADER, *(["MAIN", "13812345678", f"2026-03-0{day}", "", "面部护理", "298"] for day in range(1, 6))]
    rows.append(["MAIN", "13812345678", "2026-03-01", "", "", "100"])  # same day, no service: another visit
    assert import_rows(tmp_path, "visits", rows).added == 6
    again = import_rows(tmp_path, "visits", rows)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 6)
    assert Visit.objects.count() == 6


def test_an_updated_visits_file_updates_amount_and_beautician_in_place(store, beautician_a, beautician_b, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    import_rows(tmp_path, "visits", [HEADER, ["MAIN", "13812345678", "2026-03-05", "beautician_a", "面部护理", "298"]])
    report = import_rows(
        tmp_path, "visits", [HEADER, ["MAIN", "13812345678", "2026-03-05", "beautician_b", "面部护理", "268"]]
    )
    assert (report.added, report.updated) == (0, 1)
    assert visits() == [("13812345678", dt.date(2026, 3, 5), "面部护理", "beautician_b", Decimal("268.00"))]


def test_a_visit_listed_twice_alike_is_one_visit(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    CustomerFactory(store=store, phone="13812345678")
    row = ["MAIN", "13812345678", "2026-03-05", "", "面部护理", "298"]
    rows = [HEADER, row, row, ["MAIN", "13812345678", "2026-03-06", "", "", ""], row]
    report = import_rows(tmp_path, "visits", rows)
    assert (report.added, report.unchanged, report.bad_rows) == (2, 2, 0)
    assert Visit.objects.count() == 2


def test_the_same_visit_twice_with_different_amounts_is_a_bad_row(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    CustomerFactory(store=store, phone="13812345678")
    first = ["MAIN", "13812345678", "2026-03-05", "", "面部护理", "298"]
    again = ["MAIN", "13812345678", "2026-03-05", "", "面部护理", "268"]
    rows = [HEADER, first, ["MAIN", "13812345678", "2026-03-06", "", "", ""], again, again]
    report = import_rows(tmp_path, "visits", rows)
    assert problems(report) == [(4, "手机号", p.REPEATED_ROW), (5, "手机号", p.REPEATED_ROW)]
    assert Visit.objects.count() == 0


def test_the_beautician_may_be_named_by_user_name_or_by_her_unique_name(store, beautician_a, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    rows = [
        HEADER,
        ["MAIN", "13812345678", "2026-03-05", "小美", "", ""],
        ["MAIN", "13812345678", "2026-03-06", "nobody", "", ""],
    ]
    report = import_rows(tmp_path, "visits", rows)
    assert problems(report) == [(3, "美容师", p.UNKNOWN_BEAUTICIAN)]
    StaffFactory(username="another", name="小美", store=store)
    report = import_rows(tmp_path, "visits", rows[:2])
    assert problems(report) == [(2, "美容师", p.AMBIGUOUS_BEAUTICIAN)]


def test_a_beautician_of_another_store_is_unknown_here(store, stranger, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    report = import_rows(tmp_path, "visits", [HEADER, ["MAIN", "13812345678", "2026-03-05", "stranger", "", ""]])
    assert problems(report) == [(2, "美容师", p.UNKNOWN_BEAUTICIAN)]


def test_services_missing_from_the_menu_are_added_to_it(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    report = import_rows(tmp_path, "visits", [HEADER, ["MAIN", "13812345678", "2026-03-05", "", "艾灸调理", "228"]])
    assert report.new_services == ["艾灸调理"]
    assert list(Service.objects.filter(store=store).values_list("name", flat=True)) == ["艾灸调理"]


def test_a_service_new_to_several_stores_menus_is_named_once(store, other_store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    CustomerFactory(store=other_store, phone="13812345678")
    rows = [
        HEADER,
        ["MAIN", "13812345678", "2026-03-05", "", "艾灸调理", "228"],
        ["OTHER", "13812345678", "2026-03-05", "", "艾灸调理", "228"],
        ["OTHER", "13812345678", "2026-03-06", "", "头疗养发", "168"],
    ]
    report = import_rows(tmp_path, "visits", rows)
    assert report.new_services == ["艾灸调理", "头疗养发"]
    assert Service.objects.filter(name="艾灸调理").count() == 2


def test_services_added_by_a_rejected_file_are_not_kept(store, tmp_path):
    rows = [
        HEADER,
        ["MAIN", "13812345678", "2026-03-05", "", "艾灸调理", "228"],
        ["MAIN", "1", "2026-03-05", "", "", ""],
    ]
    CustomerFactory(store=store, phone="13812345678")
    import_rows(tmp_path, "visits", rows)
    assert Service.objects.count() == 0


def test_a_visit_after_today_is_a_bad_row(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    tomorrow = (store.today() + dt.timedelta(days=1)).isoformat()
    report = import_rows(tmp_path, "visits", [HEADER, ["MAIN", "13812345678", tomorrow, "", "", ""]])
    assert problems(report) == [(2, "到店日期", p.DATE_IN_FUTURE)]


def test_an_imported_visit_takes_a_dormant_assigned_customer_off_the_call_list(store, beautician_a, tmp_path):
    today = store.today()
    customer = CustomerFactory(
        store=store,
        phone="13812345678",
        joined_on=dt.date(2024, 1, 1),
        last_visit_on=today - dt.timedelta(days=70),
        bucket="m2",
        months_away=2,
        assignee=beautician_a,
        dormant_since=today - dt.timedelta(days=40),
    )
    VisitFactory(customer=customer, visited_on=customer.last_visit_on)
    assert list(visible_customers(beautician_a)) == [customer]
    returned_on = today - dt.timedelta(days=3)
    rows = [HEADER, ["MAIN", "13812345678", returned_on.isoformat(), "beautician_a", "面部护理", "298"]]
    rows.append(["MAIN", "13812345678", (today - dt.timedelta(days=1)).isoformat(), "", "面部护理", "298"])
    assert import_rows(tmp_path, "visits", rows).saved

    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee, customer.dormant_since) == ("active", None, None)
    assert customer.last_visit_on == today - dt.timedelta(days=1)
    assert list(visible_customers(beautician_a)) == []
    customer_return = CustomerReturn.objects.get()
    assert (customer_return.customer, customer_return.returned_on, customer_return.bucket) == (
        customer,
        returned_on,
        "m2",
    )
    assert customer_return.visit.visited_on == returned_on
    assert AssignmentChange.objects.get().cause == "returned"


def test_old_visits_do_not_end_a_dormant_spell(store, beautician_a, tmp_path):
    today = store.today()
    customer = CustomerFactory(
        store=store,
        phone="13812345678",
        last_visit_on=today - dt.timedelta(days=70),
        bucket="m2",
        assignee=beautician_a,
    )
    VisitFactory(customer=customer, visited_on=customer.last_visit_on)
    old = (today - dt.timedelta(days=400)).isoformat()
    assert import_rows(tmp_path, "visits", [HEADER, ["MAIN", "13812345678", old, "", "", ""]]).saved
    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee) == ("m2", beautician_a)
    assert customer.last_visit_on == today - dt.timedelta(days=70)
    assert CustomerReturn.objects.count() == 0


def test_last_visits_move_forward_for_every_customer_of_a_large_file(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 7)
    phones = [f"1381234{i:04d}" for i in range(30)]
    for phone in phones:
        CustomerFactory(store=store, phone=phone)
    rows = [
        HEADER,
        *(["MAIN", phone, f"2026-0{1 + i % 3}-1{i % 10}", "", "", ""] for i, phone in enumerate(phones * 3)),
    ]
    rows = [rows[0], *sorted({tuple(r) for r in rows[1:]})]
    assert import_rows(tmp_path, "visits", rows).saved
    for customer in Customer.objects.all():
        latest = Visit.objects.filter(customer=customer).order_by("-visited_on").first().visited_on
        assert customer.last_visit_on == latest


def test_a_bad_row_after_many_written_batches_still_saves_no_visit(store, tmp_path, monkeypatch):
    """Earlier batches are written (on PostgreSQL by the writer thread) before the bad row is read:
    they belong to the same transaction and go with it."""
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    CustomerFactory(store=store, phone="13812345678")
    rows = [HEADER, *(["MAIN", "13812345678", f"2026-02-{day:02d}", "", "", "100"] for day in range(1, 12))]
    rows.append(["MAIN", "13812345678", "2026-02-30", "", "", "100"])
    report = import_rows(tmp_path, "visits", rows)
    assert problems(report) == [(13, "到店日期", p.BAD_DATE)]
    assert Visit.objects.count() == 0
    assert Customer.objects.get().last_visit_on is None
