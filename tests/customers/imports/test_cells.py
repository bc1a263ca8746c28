"""Reading one cell the way a person wrote it (pure functions, no database)."""

import datetime as dt
import io
from decimal import Decimal

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from customers.imports import cells
from customers.imports import problems as p
from customers.imports.columnar import ROW, SPACE, read_checked
from customers.imports.columns import COLUMNS, RowParser, header_key, read_header
from customers.imports.problems import Problem
from customers.imports.report import ImportReport
from customers.phones import normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        "2026年03月05日",
        "２０２６－０３－０５",
        " 2026-3-5 ",
        "2026/3/5 0:00",
        "2026-03-05 00:00:00",
        "20260305",
        46086,
        46086.0,
        "46086",
        dt.date(2026, 3, 5),
        dt.datetime(2026, 3, 5, 14, 30),
    ],
)
def test_every_way_salons_write_a_date_reads_as_that_date(raw):
    assert cells.parse_date(raw) == dt.date(2026, 3, 5)


def test_excel_serials_count_from_1900_like_excel_does():
    assert cells.parse_date(1) == dt.date(1900, 1, 1)
    assert cells.parse_date(61) == dt.date(1900, 3, 1)  # after Excel's phantom 29 February 1900


@pytest.mark.parametrize("raw", ["3/5/2026", "26/3/5", "2026-02-30", "明天", "2026-13-01", "0", "-5", True])
def test_dates_that_are_ambiguous_or_impossible_are_refused(raw):
    with pytest.raises(Problem) as refused:
        cells.parse_date(raw)
    assert refused.value.msgid in {p.BAD_DATE, p.DATE_OUT_OF_RANGE}


def test_a_date_outside_believable_years_is_refused():
    with pytest.raises(Problem) as refused:
        cells.parse_date("1850-01-01")
    assert refused.value.msgid == p.DATE_OUT_OF_RANGE


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("1280", "1280.00"),
        ("1,280.50", "1280.50"),
        ("¥1,280.50", "1280.50"),
        ("￥1280", "1280.00"),
        ("１，２８０．５", "1280.50"),
        ("1280元", "1280.00"),
        ("RMB 12,345,678.9", "12345678.90"),
        (298, "298.00"),
        (298.5, "298.50"),
        (0.1 + 0.2, "0.30"),
        ("0", "0.00"),
    ],
)
def test_money_reads_with_yuan_signs_and_thousands_separators(raw, amount):
    assert cells.parse_money(raw) == Decimal(amount)


@pytest.mark.parametrize(
    ("raw", "msgid"),
    [
        ("-5", p.MONEY_NEGATIVE),
        ("12.345", p.MONEY_CENTS),
        ("12,5", p.BAD_MONEY),  # a decimal comma would silently become 125
        ("1,2345", p.BAD_MONEY),
        ("abc", p.BAD_MONEY),
        ("1e5", p.BAD_MONEY),
        ("99999999999", p.MONEY_TOO_LARGE),
        (float("nan"), p.BAD_MONEY),
        (True, p.BAD_MONEY),
    ],
)
def test_money_that_cannot_be_meant_exactly_is_refused(raw, msgid):
    with pytest.raises(Problem) as refused:
        cells.parse_money(raw)
    assert refused.value.msgid == msgid


@pytest.mark.parametrize("raw", ["是", "1", "Y", "y", "yes", "TRUE", "在职", 1, 1.0, True])
def test_yes_reads_as_true(raw):
    assert cells.parse_yes_no(raw) is True


@pytest.mark.parametrize("raw", ["否", "0", "N", "no", "false", "离职", 0, False])
def test_no_reads_as_false(raw):
    assert cells.parse_yes_no(raw) is False


@pytest.mark.parametrize(("raw", "gender"), [("女", "F"), ("男", "M"), ("F", "F"), ("m", "M"), ("Female", "F")])
def test_genders_read_in_chinese_and_english(raw, gender):
    assert cells.parse_gender(raw) == gender


@pytest.mark.parametrize(
    "raw",
    ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "008613812345678", "１３８１２３４５６７８", 13812345678],
)
def test_phones_are_stored_as_eleven_digits(raw):
    assert cells.parse_phone(raw) == "13812345678"
    assert cells.parse_phone_lookup(raw) == "13812345678"


def test_a_phone_spreadsheets_turned_into_a_float_still_reads():
    assert cells.parse_phone(13812345678.0) == "13812345678"


@pytest.mark.parametrize(("raw", "role"), [("店长", "manager"), ("美容师", "beautician"), ("前台", "front_desk")])
def test_roles_read_in_chinese(raw, role):
    assert cells.parse_role(raw) == role


def test_sessions_may_say_how_many_times():
    assert cells.parse_whole_number("10次") == 10
    assert cells.parse_whole_number(10.0) == 10
    with pytest.raises(Problem):
        cells.parse_whole_number("1" * 5000)


@pytest.mark.parametrize(
    ("header", "key"),
    [(" 手机号* ", "手机号"), ("Phone", "phone"), ("visited on", "visitedon"), ("消费金额（元）", "消费金额")],
)
def test_headers_match_despite_spaces_case_stars_and_units(header, key):
    assert header_key(header) == key


def test_every_header_name_means_one_column_only_within_a_kind():
    for kind, columns in COLUMNS.items():
        keys = [header_key(name) for column in columns for name in column.names]
        assert len(keys) == len(set(keys)), kind


def test_the_header_may_sit_below_a_title_row_and_list_columns_in_any_order():
    header = read_header(
        "customers", [(1, ["顾客资料导出"]), (2, []), (3, ["姓名", "备注", "微信号", "手机号", "门店编码"])]
    )
    assert header.row == 3
    assert header.positions == {"name": 0, "notes": 1, "phone": 3, "store": 4}  # 微信号 is not kept


def test_a_header_missing_a_required_column_names_it():
    with pytest.raises(Problem) as refused:
        read_header("visits", [(1, ["门店编码", "手机号"])])
    assert refused.value.msgid == p.FILE_MISSING_COLUMNS
    assert "到店日期" in refused.value.params["columns"]


anything = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789-/.年月日 ¥,，+元次是否女男"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
PARSERS = [
    cells.parse_date,
    cells.parse_money,
    cells.parse_whole_number,
    cells.parse_yes_no,
    cells.parse_gender,
    cells.parse_role,
    cells.parse_card_kind,
    cells.parse_phone,
    cells.parse_phone_lookup,
    cells.parse_store_code,
    cells.parse_username,
]


@given(raw=anything, parser=st.sampled_from(PARSERS))
def test_a_parser_returns_a_value_or_a_problem_whatever_the_cell_holds(raw, parser):
    try:
        parser(raw)
    except Problem as problem:
        assert str(problem)  # and the reason can be told


@given(kind=st.sampled_from(list(COLUMNS)), row=st.lists(anything, max_size=12))
def test_the_row_parser_never_crashes_on_arbitrary_cells(kind, row):
    header_cells = [column.chinese for column in COLUMNS[kind]]
    header = read_header(kind, [(1, header_cells)])
    values, bad = RowParser(kind, header)(row)
    assert set(values) | set(bad) <= {column.field for column in COLUMNS[kind]}
    for column in COLUMNS[kind]:
        if column.required and not column.blank_ok:
            assert column.field in bad or values[column.field] is not None


@given(
    number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    style=st.sampled_from(
        [lambda n: n, lambda n: f"+86 {n}", lambda n: f"{n[:3]}-{n[3:7]}-{n[7:]}", lambda n: f"0086{n}"]
    ),
)
def test_the_importer_accepts_exactly_the_phones_the_customer_model_accepts(number, style):
    """parse_phone checks one number per allocation block; normalize_phone checks every number."""
    written = style(number)
    try:
        expected = normalize_phone(written)
    except ValidationError:
        expected = None
    try:
        parsed = cells.parse_phone(written)
    except Problem:
        parsed = None
    assert parsed == expected


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
phone_cell = st.one_of(
    st.from_regex(r"1[0-9]{10}", fullmatch=True),  # as stored: most cells of most files, some invalid blocks
    st.sampled_from(["17400001234", "17999991234", "19912345678", "12012345678", "16612345678"]),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True).map(lambda n: f"+86 {n[:3]}-{n[3:7]}-{n[7:]}"),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True).map(lambda n: n.translate(FULL_WIDTH)),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True).map(lambda n: f" {n} "),
    st.text(alphabet="0123456789+- 一", max_size=14),
)


@given(st.lists(phone_cell, min_size=1, max_size=30))
def test_a_files_phones_read_in_columns_exactly_as_the_parser_reads_each(written):
    """Cells written as stored skip the parser (their blocks checked once each); every cell still reads as
    `parse_phone` reads it, or is the same bad row."""
    text = "门店编码,手机号,姓名\n" + "".join(f"MAIN,{cell},顾客\n" for cell in written)
    checked = read_checked("customers", io.BytesIO(text.encode()), ImportReport(kind="customers"))
    read = dict(zip(checked.frame[ROW].to_list(), checked.frame["phone"].to_list(), strict=True))
    for row, cell in enumerate(written, start=2):
        try:
            expected = cells.parse_phone(cell)
        except Problem:
            expected = None
        assert read.get(row) == expected, cell


def test_the_columns_idea_of_space_is_what_python_strips():
    every = pl.Series([chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000])  # no lone surrogates
    assert sorted(every.filter(every.str.contains(f"^{SPACE}$")).to_list()) == [
        chr(c) for c in range(0x110000) if chr(c).isspace()
    ]


name_cell = st.one_of(
    st.text(alphabet="王李张丽娜敏ab", min_size=1, max_size=8),
    st.text(alphabet=st.sampled_from("王丽 \t\u3000\xa0\x1f\u2028x"), max_size=8),
    st.text(alphabet="丽", min_size=49, max_size=52),  # about the 50-character limit
)


@given(st.lists(name_cell, min_size=1, max_size=30))
def test_a_files_names_read_in_columns_exactly_as_the_parser_reads_each(written):
    """Names with nothing to trim skip the parser; every cell still reads as `parse_text` reads it."""
    text = "门店编码,手机号,姓名\n" + "".join(f'MAIN,13812345678,"{cell}"\n' for cell in written)
    checked = read_checked("customers", io.BytesIO(text.encode()), ImportReport(kind="customers"))
    read = dict(zip(checked.frame[ROW].to_list(), checked.frame["name"].to_list(), strict=True))
    for row, cell in enumerate(written, start=2):
        try:
            expected = cells.parse_text(cell, limit=50) or None
        except Problem:
            expected = None
        assert read.get(row) == expected, repr(cell)
