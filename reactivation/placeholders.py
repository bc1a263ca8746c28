"""Placeholders in unified scripts (`{name}`, `{card_balance}` …), filled per customer.

Pure functions of plain values. Filling is one regular-expression pass over the
script text that only ever replaces the known names with plain strings: no
`str.format`, no template engine, so neither a script nor a customer's name can
reach an attribute (`{name.__class__}`) or run template code (`{{ 7*7 }}`), and
a value that itself looks like a placeholder is never expanded again. HTML
escaping is left to the template that shows the text (autoescape).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PLACEHOLDERS: dict[str, StrOrPromise] = {
    "name": _("her name with a polite form of address (王姐, 李先生)"),
    "staff": _("the staff member speaking or sending"),
    "beautician": _("her beautician"),
    "months": _("whole months since her last visit"),
    "card_left": _("what is left on her cards, naming only what there is: money, sessions or both"),
    "card_balance": _("money left on her cards"),
    "sessions_left": _("sessions left on her cards"),
    "card_expiry": _("when her card runs out"),
    "store": _("the store's name"),
    "featured": _("the store's current featured treatment or package"),
    "appointment": _("the date and time of her next booked visit"),
}
CARD_PLACEHOLDERS = frozenset({"card_left", "card_balance", "sessions_left", "card_expiry"})

TOKEN = re.compile(r"\{([^{}]*)\}")
# Two-character surnames common enough to matter when addressing a customer.
_COMPOUND_SURNAMES = frozenset(
    {
        *("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙"),
        *("宇文", "司徒", "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "万俟", "轩辕"),
    }
)


@dataclass(frozen=True)
class CustomerFacts:
    """What a script may say about one customer, gathered by a selector, as plain values."""

    name: str
    gender: str = ""
    staff: str = ""
    beautician: str = ""
    store: str = ""
    months: int = 0
    never_visited: bool = False
    card_balance: Decimal = Decimal("0.00")
    sessions_left: int = 0
    card_expiry: dt.date | None = None
    has_live_card: bool = False
    expired_card_on: dt.date | None = None
    featured: str = ""
    appointment_at: dt.datetime | None = None  # in the store's time zone


def placeholders_in(text: str) -> list[str]:
    """Every `{…}` in `text`, in order, as written between the braces."""
    return TOKEN.findall(text)


def placeholder_errors(text: str) -> list[StrOrPromise]:
    """Why `text` cannot be saved as a script, or [] when every brace encloses a known placeholder."""
    errors: list[StrOrPromise] = []
    unknown = list(dict.fromkeys(t for t in placeholders_in(text) if t not in PLACEHOLDERS))
    if unknown:
        errors.append(
            _("Unknown placeholder: %(unknown)s. You can use: %(known)s.")
            % {"unknown": ", ".join(_braced(u) for u in unknown), "known": known_placeholders_text()}
        )
    if "{" in TOKEN.sub("", text) or "}" in TOKEN.sub("", text):
        errors.append(_("Braces { } are only for placeholders such as {name}: remove the lone brace."))
    return errors


def known_placeholders_text() -> str:
    return " ".join(_braced(name) for name in PLACEHOLDERS)


def _braced(name: str) -> str:
    return "{" + name + "}"


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known placeholder once; anything else stays exactly as written."""
    return TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def polite_name(name: str, gender: str, language: str) -> str:
    """How staff address her: 王姐 / 王先生 in Chinese, Ms Wang's surname in English.

    A salon's customers are mostly women and a blank gender is nearly always a
    skipped field, so only a recorded male gender gets 先生 / Mr.
    """
    name = " ".join(name.split())
    male = gender == "M"
    if not name:
        return ("先生" if male else "女士") if language.startswith("zh") else ("Sir" if male else "Madam")
    surname = _surname(name)
    if language.startswith("zh"):
        if surname is None:
            return name
        return surname + ("先生" if male else "姐")
    return ("Mr " if male else "Ms ") + (surname if surname is not None else name.split()[-1])


def _surname(name: str) -> str | None:
    """The family name of a Chinese name, or None when the name is not written in Chinese characters."""
    if not _is_han(name[0]):
        return None
    if name[:2] in _COMPOUND_SURNAMES and len(name) > 2:
        return name[:2]
    return name[0]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def placeholder_values(facts: CustomerFacts, language: str) -> dict[str, str]:
    """The text each placeholder becomes for this customer, in `language` ("zh-hans" or "en")."""
    zh = language.startswith("zh")
    return {
        "name": polite_name(facts.name, facts.gender, language),
        "staff": facts.staff,
        "beautician": facts.beautician or facts.staff,
        "months": str(facts.months),
        "card_left": card_left_text(facts.card_balance, facts.sessions_left, language),
        "card_balance": format_money(facts.card_balance, language),
        "sessions_left": str(facts.sessions_left),
        "card_expiry": _expiry_text(facts, zh),
        "store": facts.store,
        "featured": facts.featured or ("本季新项目" if zh else "this season's new treatment"),
        "appointment": format_appointment(facts.appointment_at, language) if facts.appointment_at else "—",
    }


def _expiry_text(facts: CustomerFacts, zh: bool) -> str:
    if facts.card_expiry is not None:
        return format_date(facts.card_expiry, "zh-hans" if zh else "en")
    if facts.has_live_card:
        return "长期有效" if zh else "no expiry date"
    return "—"


def format_money(amount: Decimal | int, language: str) -> str:
    """¥1,280 / 1,280元; cents only when there are any."""
    text = f"{Decimal(amount).quantize(Decimal('0.01')):,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text}元" if language.startswith("zh") else f"¥{text}"


def card_left_text(balance: Decimal, sessions: int, language: str) -> str:
    """What her cards still hold, naming only what there is: 1,280元和3次护理 / 1,280元 / 3次护理
    (¥1,280 and 3 sessions). With nothing on them it says 0元, as `{card_balance}` does (and a
    warning tells the staff member to leave the card out)."""
    zh = language.startswith("zh")
    parts = [format_money(balance, language)] if balance or not sessions else []
    if sessions:
        parts.append(f"{sessions}次护理" if zh else f"{sessions} session" + ("" if sessions == 1 else "s"))
    return ("和" if zh else " and ").join(parts)


def format_date(day: dt.date, language: str) -> str:
    if language.startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_appointment(when: dt.datetime, language: str) -> str:
    """12月1日（周二）10:00 / Tue 1 Dec, 10:00 — `when` already in the store's time zone."""
    if language.startswith("zh"):
        return f"{when.month}月{when.day}日（周{'一二三四五六日'[when.weekday()]}）{when:%H:%M}"
    return f"{_WEEKDAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]}, {when:%H:%M}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class FillWarning:
    """Something the staff member should know before using a filled-in text.

    `blocks_sending`: the text would tell her something untrue (a balance of 0,
    an appointment that does not exist), so it may be read with care but not sent.
    """

    text: StrOrPromise  # translated when shown
    blocks_sending: bool = False

    def __str__(self) -> str:
        return str(self.text)


def fill_warnings(text: str, facts: CustomerFacts) -> list[FillWarning]:
    """What to know before reading `text` to this customer or sending it (edge cases of her file)."""
    used = set(placeholders_in(text))
    warnings = []
    if used & CARD_PLACEHOLDERS and not facts.has_live_card:
        if facts.expired_card_on is not None:
            note = _(
                "Her card ran out on %(date)s with something still on it: agree an extension with the manager first."
            )
            warnings.append(FillWarning(note % {"date": facts.expired_card_on.isoformat()}, blocks_sending=True))
        else:
            warnings.append(FillWarning(_("She has nothing left on any card: leave the card details out."), True))
    elif "sessions_left" in used and not facts.sessions_left:
        warnings.append(
            FillWarning(_("She has no sessions left, only money: leave the sessions out, or use {card_left}."))
        )
    elif "card_balance" in used and not facts.card_balance and facts.sessions_left:
        warnings.append(
            FillWarning(_("She has no money left, only sessions: leave the money out, or use {card_left}."))
        )
    if "appointment" in used and facts.appointment_at is None:
        warnings.append(FillWarning(_("She has no booked visit: book one before sending this."), True))
    if "months" in used and facts.never_visited:
        warnings.append(FillWarning(_("She has never visited: the months count from the day she joined.")))
    if "featured" in used and not facts.featured:
        warnings.append(
            FillWarning(
                _("No featured treatment or package is on offer today: the manager sets one under Store offers.")
            )
        )
    return warnings
