"""Customers: keyed by store + phone; a file with any bad row saves nothing."""

import datetime as dt

import pytest

from customers.imports import problems as p
from customers.imports import runner
from customers.models import AuditEvent, Customer, ImportBatch
from tests.factories import CustomerFactory

from .files import import_rows, problems

HEADER = ["门店编码", "手机号", "姓名", "性别", "生日", "建档日期", "会员等级", "勿扰", "备注"]


def customers():
    return sorted(
        Customer.objects.values_list("phone", "name", "gender", "birthday", "joined_on", "level", "do_not_contact")
    )


def test_customers_are_added_with_everything_the_file_says(store, tmp_path):
    rows = [HEADER, ["MAIN", "13812345678", "王丽", "女", "1985-03-05", "2019-06-01", "金卡会员", "是", "怕痛"]]
    report = import_rows(tmp_path, "customers", rows)
    assert (report.added, report.updated, report.unchanged) == (1, 0, 0)
    customer = Customer.objects.get()
    assert (customer.store, customer.phone, customer.name, customer.gender) == (store, "13812345678", "王丽", "F")
    assert (customer.birthday, customer.joined_on) == (dt.date(1985, 3, 5), dt.date(2019, 6, 1))
    assert (customer.level, customer.do_not_contact, customer.notes) == ("金卡会员", True, "怕痛")
    assert (customer.bucket, customer.assignee) == ("active", None)


def test_a_customer_without_a_joining_date_joined_today(store, tmp_path):
    import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"]])
    assert Customer.objects.get().joined_on == store.today()


def test_importing_the_same_file_twice_changes_nothing(store, tmp_path):
    rows = [HEADER, ["MAIN", "13812345678", "王丽", "女", "1985-03-05", "2019-06-01", "金卡会员", "否", ""]]
    import_rows(tmp_path, "customers", rows)
    before = customers()
    report = import_rows(tmp_path, "customers", rows)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    assert customers() == before
    assert Customer.objects.count() == 1


def test_an_updated_file_updates_the_customer_in_place(store, tmp_path):
    import_rows(tmp_path, "customers", [HEADER, ["MAIN", "13812345678", "王丽", "女", "", "2019-06-01", "", "否", ""]])
    first_id = Customer.objects.get().pk
    # The same number written another way, a new name and level: the same customer, updated.
    rows = [HEADER, ["MAIN", "+86 138-1234-5678", "王丽华", "女", "", "2019-06-01", "钻石会员", "否", ""]]
    report = import_rows(tmp_path, "customers", rows)
    assert (report.added, report.updated) == (0, 1)
    customer = Customer.objects.get()
    assert (customer.pk, customer.name, customer.level) == (first_id, "王丽华", "钻石会员")


def test_columns_the_file_does_not_have_are_left_alone(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678", name="王丽", notes="对精油过敏", level="金卡会员")
    report = import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"]])
    assert report.unchanged == 1
    assert Customer.objects.values_list("notes", "level").get() == ("对精油过敏", "金卡会员")


def test_a_bad_row_anywhere_saves_nothing_and_every_bad_row_is_reported(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 3)  # so that good rows are written in earlier batches first
    good = [["MAIN", f"1381234{i:04d}", f"顾客{i}", "", "", "", "", "", ""] for i in range(7)]
    bad = [
        ["MAIN", "12345", "号码不对", "", "", "", "", "", ""],
        ["MAIN", "13900001111", "", "外星人", "", "", "", "", ""],
    ]
    report = import_rows(tmp_path, "customers", [HEADER, *good, *bad])
    assert not report.saved and report.bad_rows == 2
    assert problems(report) == [(9, "手机号", p.BAD_PHONE), (10, "姓名", p.REQUIRED), (10, "性别", p.BAD_GENDER)]
    assert Customer.objects.count() == 0


def test_the_same_phone_twice_in_one_file_is_a_bad_row_even_far_apart(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    rows = [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"], ["MAIN", "13900001111", "李娜"]]
    rows += [["MAIN", "13700001111", "张敏"], ["MAIN", "138 1234 5678", "王丽的女儿"]]
    report = import_rows(tmp_path, "customers", rows)
    assert problems(report) == [(5, "手机号", p.REPEATED_ROW)]
    assert report.errors[0].value == "138 1234 5678"  # the cell as she wrote it, to find it by
    assert Customer.objects.count() == 0


def test_a_customer_listed_twice_alike_is_one_customer(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    row = ["MAIN", "13812345678", "王丽"]
    rows = [
        ["门店编码", "手机号", "姓名"],
        row,
        row,
        ["MAIN", "13900001111", "李娜"],
        ["MAIN", "138 1234 5678", "王丽"],
    ]
    report = import_rows(tmp_path, "customers", rows)
    assert (report.added, report.unchanged, report.bad_rows) == (2, 2, 0)
    assert Customer.objects.count() == 2


def test_a_row_for_an_unknown_store_is_a_bad_row(store, tmp_path):
    report = import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["NOPE", "13812345678", "王丽"]])
    assert problems(report) == [(2, "门店编码", p.UNKNOWN_STORE)]


def test_a_manager_imports_only_for_her_own_store(store, other_store, manager, tmp_path):
    rows = [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"], ["OTHER", "13900001111", "李娜"]]
    report = import_rows(tmp_path, "customers", rows, by=manager)
    assert problems(report) == [(3, "门店编码", p.NOT_YOUR_STORE)]
    assert Customer.objects.count() == 0


def test_a_birthday_after_today_is_a_bad_row(store, tmp_path):
    tomorrow = (store.today() + dt.timedelta(days=1)).isoformat()
    report = import_rows(tmp_path, "customers", [HEADER, ["MAIN", "13812345678", "王丽", "", tomorrow, "", "", "", ""]])
    assert problems(report) == [(2, "生日", p.DATE_IN_FUTURE)]


def test_a_dry_run_counts_but_saves_nothing_not_even_history(store, tmp_path):
    report = import_rows(
        tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"]], dry_run=True
    )
    assert report.ok and report.added == 1 and not report.saved
    assert (Customer.objects.count(), ImportBatch.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)


def test_an_import_is_recorded_in_the_history_and_audited(store, tmp_path):
    import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"]])
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.status, batch.store, batch.added, batch.file_name) == (
        "customers",
        "imported",
        store,
        1,
        "customers.csv",
    )
    audit = AuditEvent.objects.get()
    assert (audit.action, audit.store, audit.detail["rows"]) == ("import", store, 1)


def test_a_rejected_file_is_in_the_history_but_not_audited(store, tmp_path):
    import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["MAIN", "1", "王丽"]])
    assert ImportBatch.objects.get().status == "rejected"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["O'Brien", 'say "hi"', "back\\slash", "a,b{c}", "NULL", "  前后空格  ", "emoji 💆‍♀️", "tab\there"]
)
def test_text_of_any_shape_arrives_exactly_as_written(store, tmp_path, name):
    import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名", "备注"], ["MAIN", "13812345678", "王丽", name]])
    assert Customer.objects.get().notes == name.strip()
