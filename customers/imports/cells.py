"""Reading one cell the way a person wrote it: pure functions from a raw cell to a value.

A raw cell is whatever the file gave: text from a CSV, or a number, date, datetime or bool from an
Excel workbook. Each parser either returns the value or raises `Problem` with the reason; none of
them raises anything else, whatever it is given (tests drive them with arbitrary strings).
Blank cells never reach a parser: the caller decides what blank means for its column.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import Decimal

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from ..models import Card, Customer, Staff
from ..phones import normalize_phone, phone_digits
from . import problems as p

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
CENT = Decimal("0.01")
MONEY_LIMIT = Decimal("10000000000")  # fits max_digits=12, decimal_places=2
SESSIONS_LIMIT = 100_000

_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,6}(?:\.\d+)?")
_MONEY_MARKS = re.compile(r"[¥$\s]|元|rmb|cny", re.IGNORECASE)
_MONEY_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_MONEY_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
MOBILE_SHAPE = r"1[3-9][0-9]{9}"  # a mainland mobile number's digits, before its block is checked
_MOBILE_SHAPE = re.compile(MOBILE_SHAPE)
_STORE_CODE = re.compile(r"[A-Za-z0-9_-]+")
_USERNAME = re.compile(UnicodeUsernameValidator.regex)
_EXCEL_EPOCH = dt.date(1899, 12, 30)

YES = frozenset({"是", "1", "y", "yes", "true", "t", "对", "√", "✓", "在职", "有"})
NO = frozenset({"否", "0", "n", "no", "false", "f", "不", "×", "✗", "离职", "无"})
GENDERS = {
    "女": Customer.Gender.FEMALE,
    "f": Customer.Gender.FEMALE,
    "female": Customer.Gender.FEMALE,
    "男": Customer.Gender.MALE,
    "m": Customer.Gender.MALE,
    "male": Customer.Gender.MALE,
}
ROLES = {
    "manager": Staff.Role.MANAGER,
    "店长": Staff.Role.MANAGER,
    "beautician": Staff.Role.BEAUTICIAN,
    "美容师": Staff.Role.BEAUTICIAN,
    "front_desk": Staff.Role.FRONT_DESK,
    "frontdesk": Staff.Role.FRONT_DESK,
    "前台": Staff.Role.FRONT_DESK,
    "owner": Staff.Role.OWNER,
    "老板": Staff.Role.OWNER,
    "总部": Staff.Role.OWNER,
}
CARD_KINDS = {
    "value": Card.Kind.VALUE,
    "储值": Card.Kind.VALUE,
    "储值卡": Card.Kind.VALUE,
    "sessions": Card.Kind.SESSIONS,
    "次卡": Card.Kind.SESSIONS,
    "疗程卡": Card.Kind.SESSIONS,
    "计次卡": Card.Kind.SESSIONS,
}


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw: object) -> str:
    """The cell as the person sees it: Excel's 3.0 is "3", a date cell is 2026-03-05."""
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time.min else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return "" if raw is None else str(raw).strip()


def _plain(raw: object) -> str:
    """Full-width characters folded to ASCII (１２３ → 123, ￥ → ¥), lower-cased, trimmed."""
    return unicodedata.normalize("NFKC", cell_text(raw)).strip().lower()


def parse_text(raw: object, *, limit: int) -> str:
    text = cell_text(raw)
    if len(text) > limit:
        raise p.Problem(p.TOO_LONG, limit=limit)
    return text


def parse_date(raw: object) -> dt.date:
    """A real Excel date, an Excel serial number, 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 or 20260305."""
    if isinstance(raw, dt.datetime):
        return _in_range(raw.date())
    if isinstance(raw, dt.date):
        return _in_range(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _from_serial(float(raw), raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    found = _DATE_TEXT.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if found:
        try:
            return _in_range(dt.date(int(found[1]), int(found[2]), int(found[3])))
        except ValueError:
            raise p.Problem(p.BAD_DATE, value=_shown(raw)) from None
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text), raw)
    raise p.Problem(p.BAD_DATE, value=_shown(raw))


def _from_serial(serial: float, raw: object) -> dt.date:
    """Excel's day number: 1 is 1900-01-01; 60 is the 29 February 1900 that Excel invents."""
    if not math.isfinite(serial) or not 1 <= serial < 2958466 or int(serial) == 60:
        raise p.Problem(p.BAD_DATE, value=_shown(raw))
    days = int(serial) if serial > 60 else int(serial) + 1
    return _in_range(_EXCEL_EPOCH + dt.timedelta(days=days))


def _in_range(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise p.Problem(p.DATE_OUT_OF_RANGE, value=value.isoformat(), low=EARLIEST.year, high=LATEST.year)
    return value


def parse_money(raw: object) -> Decimal:
    """Yuan with at most two decimals: 1280, 1,280.50, ¥1280, ￥1 280, 1280元, or an Excel number."""
    if isinstance(raw, bool):
        raise p.Problem(p.BAD_MONEY, value=_shown(raw))
    if isinstance(raw, float):
        value = _money_from_float(raw)
    elif isinstance(raw, int):
        value = Decimal(raw)
    else:
        text = _MONEY_MARKS.sub("", _plain(raw))
        if not (_MONEY_PLAIN.fullmatch(text) or _MONEY_GROUPED.fullmatch(text)):
            raise p.Problem(p.BAD_MONEY, value=_shown(raw))
        value = Decimal(text.replace(",", ""))
    if value < 0:
        raise p.Problem(p.MONEY_NEGATIVE)
    if value >= MONEY_LIMIT:
        raise p.Problem(p.MONEY_TOO_LARGE)
    if value != value.quantize(CENT):
        raise p.Problem(p.MONEY_CENTS)
    return value.quantize(CENT)


def _money_from_float(raw: float) -> Decimal:
    if not math.isfinite(raw):
        raise p.Problem(p.BAD_MONEY, value=_shown(raw))
    value = Decimal(repr(raw))
    # Excel stores 1280.5 as a binary float; a sum like 0.1+0.2 comes back as 0.30000000000000004.
    rounded = value.quantize(CENT) if abs(value) < MONEY_LIMIT else value
    return rounded if abs(value - rounded) < Decimal("0.000001") else value


def parse_whole_number(raw: object) -> int:
    """0 or more: 10, 10.0 from Excel, "10次"."""
    text = _plain(raw).removesuffix("次").strip()
    if isinstance(raw, bool) or not text.isascii() or not text.isdigit() or len(text) > 6 or int(text) > SESSIONS_LIMIT:
        raise p.Problem(p.BAD_WHOLE_NUMBER, value=_shown(raw))
    return int(text)


def parse_yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _plain(raw)
    if text in YES:
        return True
    if text in NO:
        return False
    raise p.Problem(p.BAD_YES_NO, value=_shown(raw))


def parse_gender(raw: object) -> str:
    try:
        return GENDERS[_plain(raw)]
    except KeyError:
        raise p.Problem(p.BAD_GENDER, value=_shown(raw)) from None


def parse_role(raw: object) -> str:
    try:
        return ROLES[_plain(raw).replace(" ", "_")]
    except KeyError:
        raise p.Problem(p.BAD_ROLE, value=_shown(raw)) from None


def parse_card_kind(raw: object) -> str:
    try:
        return CARD_KINDS[_plain(raw)]
    except KeyError:
        raise p.Problem(p.BAD_CARD_KIND, value=_shown(raw)) from None


def parse_phone(raw: object) -> str:
    """A mainland mobile number, validated as `normalize_phone` validates it (customers are created with it)."""
    digits = phone_digits(cell_text(raw))
    if not (_MOBILE_SHAPE.fullmatch(digits) and valid_mobile_block(digits[:7])):
        raise p.Problem(p.BAD_PHONE, value=_shown(raw))
    return digits


@functools.lru_cache(maxsize=1 << 18)  # a chain's customers come from tens of thousands of blocks at most
def valid_mobile_block(block: str) -> bool:
    """Mainland mobile numbers are allocated in blocks of ten thousand (the first seven digits:
    network and home-location register), and a number's validity is its block's. One full check
    per block instead of per number takes a third off a large customer import (tested against
    `normalize_phone` in tests/customers/imports/test_cells.py)."""
    try:
        normalize_phone(block + "0000")
    except ValidationError:
        return False
    return True


def parse_phone_lookup(raw: object) -> str:
    """The stored form of a phone number used to find an existing customer.

    Only the shape is checked here (11 digits starting with 1): the customer lookup that follows
    finds nobody for an invalid number, and only then is the number validated in full, for the message.
    """
    if type(raw) is str and len(raw) == 11 and raw.isascii() and raw.isdigit() and raw[0] == "1":
        return raw  # already in the stored form: most rows of most files
    digits = phone_digits(cell_text(raw))
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit() or digits[0] != "1":
        raise p.Problem(p.BAD_PHONE, value=_shown(raw))
    return digits


def parse_store_code(raw: object) -> str:
    code = unicodedata.normalize("NFKC", cell_text(raw)).strip()
    if len(code) > 20:
        raise p.Problem(p.TOO_LONG, limit=20)
    if not _STORE_CODE.fullmatch(code):
        raise p.Problem(p.BAD_STORE_CODE)
    return code


def parse_username(raw: object) -> str:
    name = cell_text(raw)
    if len(name) > 150:
        raise p.Problem(p.TOO_LONG, limit=150)
    if not _USERNAME.match(name):
        raise p.Problem(p.BAD_USERNAME)
    return name


def _shown(raw: object) -> str:
    """The cell as quoted back in a message: short enough to read."""
    text = cell_text(raw)
    return text if len(text) <= 40 else text[:39] + "…"
