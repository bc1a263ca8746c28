"""The columns of each import kind (DESIGN §5.2) and how a header row is recognised.

Headers may be English or Chinese, in any order, with stray spaces, a `*` marking a required
column or a unit in brackets (`消费金额（元）`); columns we do not know are ignored — and never
stored, so nothing the salon did not mean to give us is kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from openpyxl.utils import get_column_letter

from . import cells
from . import problems as p

HEADER_SEARCH_ROWS = 10  # a title row or two above the header is common in exported reports


@dataclass(frozen=True)
class Column:
    field: str
    names: tuple[str, ...]  # the English name of the contract, its Chinese name, then other names seen in exports
    parse: Callable[[object], object]
    required: bool = False  # the header must have the column, and its cells must not be blank…
    blank_ok: bool = False  # …unless blank has a meaning (a head-office account has no store)

    @property
    def english(self) -> str:
        return self.names[0]

    @property
    def chinese(self) -> str:
        return self.names[1]


def _text(limit: int) -> Callable[[object], str]:
    return partial(cells.parse_text, limit=limit)


STORE = Column("store", ("store", "门店编码", "门店代码", "门店", "店铺编码"), cells.parse_store_code, required=True)
PHONE_NAMES = ("phone", "手机号", "手机", "手机号码", "联系电话", "电话", "mobile")
# Visits and cards only look customers up by phone: the full validation waits for a number nobody has.
PHONE = Column("phone", PHONE_NAMES, cells.parse_phone_lookup, required=True)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "stores": (
        Column("code", ("code", "门店编码", "门店代码", "store"), cells.parse_store_code, required=True),
        Column("name", ("name", "门店名称", "门店", "店名"), _text(100), required=True),
    ),
    "staff": (
        Column("username", ("username", "用户名", "账号", "登录名"), cells.parse_username, required=True),
        Column("name", ("name", "姓名", "员工姓名"), _text(50), required=True),
        Column("role", ("role", "角色", "岗位", "职位"), cells.parse_role, required=True),
        Column(
            "store", ("store", "门店编码", "门店代码", "门店"), cells.parse_store_code, required=True, blank_ok=True
        ),
        Column("active", ("active", "在职", "是否在职"), cells.parse_yes_no),
    ),
    "customers": (
        STORE,
        Column("phone", PHONE_NAMES, cells.parse_phone, required=True),
        Column("name", ("name", "姓名", "顾客姓名", "客户姓名", "会员姓名"), _text(50), required=True),
        Column("gender", ("gender", "性别", "sex"), cells.parse_gender),
        Column("birthday", ("birthday", "生日", "出生日期"), cells.parse_date),
        Column("joined_on", ("joined_on", "建档日期", "入会日期", "注册日期", "joined"), cells.parse_date),
        Column("level", ("level", "会员等级", "等级", "会员级别"), _text(30)),
        Column("do_not_contact", ("do_not_contact", "勿扰", "免打扰"), cells.parse_yes_no),
        Column("marketing_consent", ("marketing_consent", "营销同意", "同意营销", "接收营销短信"), cells.parse_yes_no),
        Column("notes", ("notes", "备注", "note", "remark"), _text(2000)),
    ),
    "visits": (
        STORE,
        PHONE,
        Column("visited_on", ("visited_on", "到店日期", "消费日期", "日期", "date"), cells.parse_date, True),
        Column("beautician", ("beautician", "美容师", "服务美容师", "技师"), _text(150)),
        Column("service", ("service", "项目", "服务项目", "护理项目"), _text(100)),
        Column("amount", ("amount", "消费金额", "金额", "实收金额"), cells.parse_money),
    ),
    "cards": (
        STORE,
        PHONE,
        Column("card_name", ("card_name", "卡名", "卡名称", "卡项"), _text(100), required=True),
        Column("kind", ("kind", "类型", "卡类型"), cells.parse_card_kind),
        Column("balance", ("balance", "余额", "卡余额", "储值余额"), cells.parse_money),
        Column("sessions_left", ("sessions_left", "剩余次数", "剩余疗程"), cells.parse_whole_number),
        Column("expires_on", ("expires_on", "到期日", "到期日期", "有效期至"), cells.parse_date),
    ),
}
KINDS = tuple(COLUMNS)

_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_IGNORED = re.compile(r"[\s_\-*:：]+")


def header_key(text: object) -> str:
    """`  手机号* `, `Phone`, `visited on`, `消费金额（元）` → the key a header is matched by."""
    folded = unicodedata.normalize("NFKC", cells.cell_text(text)).lower().replace("必填", "")
    return _IGNORED.sub("", _BRACKETED.sub("", folded))


@dataclass(frozen=True)
class Header:
    """Where each known column sits in the file, and what the file calls it."""

    row: int
    positions: dict[str, int]  # field → 0-based position
    labels: dict[str, str]  # field → the header as written in the file

    def label(self, field: str) -> str:
        return self.labels.get(field, field)

    def letter(self, field: str) -> str:
        return get_column_letter(self.positions[field] + 1) if field in self.positions else ""


def read_header(kind: str, rows: Sequence[tuple[int, Sequence[object]]]) -> Header:
    """The header among the first rows: the first row that names every required column.

    Raises Problem when there is none, naming the missing columns of the first non-empty row.
    """
    columns = COLUMNS[kind]
    candidates = [(number, row) for number, row in rows if any(not cells.is_blank(c) for c in row)]
    if not candidates:
        raise p.Problem(p.FILE_NO_HEADER)
    for number, row in candidates[:HEADER_SEARCH_ROWS]:
        header = _match(columns, number, row)
        if all(column.field in header.positions for column in columns if column.required):
            return header
    number, row = candidates[0]
    header = _match(columns, number, row)
    missing = [f"{c.chinese} ({c.english})" for c in columns if c.required and c.field not in header.positions]
    raise p.Problem(p.FILE_MISSING_COLUMNS, columns="、".join(missing), row=number)


def _match(columns: tuple[Column, ...], number: int, row: Sequence[object]) -> Header:
    by_key = {header_key(name): column for column in columns for name in column.names}
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    for position, cell in enumerate(row):
        column = by_key.get(header_key(cell))
        if column is None:
            continue
        if column.field in positions:
            second = cells.cell_text(cell)
            raise p.Problem(p.FILE_DUPLICATE_COLUMN, first=labels[column.field], second=second, meaning=column.chinese)
        positions[column.field] = position
        labels[column.field] = cells.cell_text(cell)
    return Header(row=number, positions=positions, labels=labels)


class RowParser:
    """Reads the rows of one file: each known column's cell through its parser.

    Dates, store codes, services and amounts repeat row after row, so each column keeps a small
    memo of the cells it has read — a million-row file is read in seconds, not minutes.
    """

    MEMO_SIZE = 4096

    def __init__(self, kind: str, header: Header) -> None:
        self._plan: list[tuple[str, int, Callable[[object], object], bool, dict[tuple[type, object], object]]] = [
            (column.field, header.positions[column.field], column.parse, column.required and not column.blank_ok, {})
            for column in COLUMNS[kind]
            if column.field in header.positions
        ]

    def __call__(self, row: Sequence[object]) -> tuple[dict[str, Any], dict[str, p.Problem]]:
        """The row's values by field (None for a blank optional cell), and the problem of each bad cell."""
        values: dict[str, Any] = {}
        bad: dict[str, p.Problem] = {}
        width = len(row)
        for field, position, parse, required, memo in self._plan:
            raw = row[position] if position < width else None
            if raw is None or (type(raw) is str and (not raw or raw.isspace())):
                values[field] = None
                if required:
                    bad[field] = p.Problem(p.REQUIRED)
                continue
            key = (raw.__class__, raw)  # True, 1 and 1.0 are equal keys otherwise
            value = memo.get(key, memo)
            if value is memo:
                value = _parsed(parse, raw)
                if len(memo) >= self.MEMO_SIZE:
                    memo.clear()
                memo[key] = value
            if type(value) is p.Problem:
                bad[field] = value
            else:
                values[field] = value
        return values, bad


def _parsed(parse: Callable[[object], object], raw: object) -> object:
    try:
        return parse(raw)
    except p.Problem as problem:
        return problem
