"""Stores and staff: head office imports stores; staff arrive without a usable password."""

from customers.imports import problems as p
from customers.models import Staff, Store
from tests.factories import StaffFactory

from .files import import_rows, problems

STAFF = ["用户名", "姓名", "角色", "门店编码", "在职"]


def test_head_office_imports_stores_and_a_reimport_updates_names(db, owner, tmp_path):
    rows = [["门店编码", "门店名称"], ["SH01", "上海一店"], ["SH02", "上海二店"]]
    assert import_rows(tmp_path, "stores", rows, by=owner).added == 2
    report = import_rows(tmp_path, "stores", [["code", "name"], ["SH01", "上海旗舰店"], ["sh02", "上海二店"]], by=owner)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert dict(Store.objects.values_list("code", "name")) == {"SH01": "上海旗舰店", "SH02": "上海二店"}


def test_a_manager_cannot_import_stores(store, manager, tmp_path):
    report = import_rows(tmp_path, "stores", [["门店编码", "门店名称"], ["SH01", "上海一店"]], by=manager)
    assert report.file_problem.msgid == p.KIND_NOT_ALLOWED
    assert not Store.objects.filter(code="SH01").exists()


def test_staff_are_created_without_a_usable_password(store, tmp_path):
    rows = [
        STAFF,
        ["xiaomei", "小美", "美容师", "MAIN", "是"],
        ["afang", "阿芳", "前台", "MAIN", ""],
        ["lin", "林总", "老板", "", ""],
    ]
    report = import_rows(tmp_path, "staff", rows)
    assert report.added == 3, report.errors
    xiaomei = Staff.objects.get(username="xiaomei")
    assert (xiaomei.name, xiaomei.role, xiaomei.store, xiaomei.is_active) == ("小美", "beautician", store, True)
    assert not xiaomei.has_usable_password()
    assert Staff.objects.get(username="lin").store is None


def test_staff_who_left_are_imported_as_inactive_and_updated_in_place(store, tmp_path):
    import_rows(tmp_path, "staff", [STAFF, ["xiaomei", "小美", "美容师", "MAIN", "是"]])
    report = import_rows(tmp_path, "staff", [STAFF, ["xiaomei", "小美", "美容师", "MAIN", "离职"]])
    assert report.updated == 1
    assert not Staff.objects.get(username="xiaomei").is_active


def test_reimporting_staff_keeps_the_password_they_set(store, beautician_a, password, tmp_path):
    import_rows(tmp_path, "staff", [STAFF, ["beautician_a", "小美", "店长", "MAIN", "是"]])
    beautician_a.refresh_from_db()
    assert beautician_a.role == "manager" and beautician_a.check_password(password)


def test_a_manager_imports_staff_of_her_own_store_only(store, other_store, manager, stranger, owner, tmp_path):
    rows = [
        STAFF,
        ["xiaomei", "小美", "美容师", "MAIN", "是"],
        ["elsewhere", "别人", "美容师", "OTHER", "是"],
        ["stranger", "外店美容师", "美容师", "MAIN", "是"],
        ["boss", "老板", "老板", "MAIN", "是"],
        ["owner", "林总", "美容师", "MAIN", "是"],
        ["manager", "周店长", "前台", "MAIN", "否"],
    ]
    report = import_rows(tmp_path, "staff", rows, by=manager)
    assert problems(report) == [
        (3, "门店编码", p.NOT_YOUR_STORE),
        (4, "用户名", p.STAFF_OF_OTHER_STORE),
        (5, "角色", p.STAFF_OWNER_BY_MANAGER),
        (6, "用户名", p.STAFF_PROTECTED),
        (7, "用户名", p.STAFF_SELF),
    ]
    assert not Staff.objects.filter(username="xiaomei").exists()


def test_only_the_command_line_may_change_a_superuser(store, owner, tmp_path):
    StaffFactory(username="root", is_superuser=True, store=None, role="owner")
    report = import_rows(tmp_path, "staff", [STAFF, ["root", "管理员", "美容师", "MAIN", "是"]], by=owner)
    assert problems(report) == [(2, "用户名", p.STAFF_PROTECTED)]


def test_staff_other_than_head_office_need_a_store(db, tmp_path):
    report = import_rows(tmp_path, "staff", [STAFF, ["xiaomei", "小美", "美容师", "", "是"]])
    assert problems(report) == [(2, "门店编码", p.STAFF_NEEDS_STORE)]


def test_a_superuser_counts_as_head_office(db, tmp_path):
    admin = StaffFactory(username="admin", is_superuser=True, role=Staff.Role.BEAUTICIAN, store=None)
    report = import_rows(tmp_path, "stores", [["门店编码", "门店名称"], ["SH01", "上海一店"]], by=admin)
    assert report.saved
