"""Blank files to fill in: one per kind, as CSV and as an Excel workbook, with Chinese headers.

Required columns carry a `*` (the importer ignores it). The CSV starts with a byte-order mark so
that Excel on Windows opens it as UTF-8 rather than garbling the Chinese. The workbook has a
second sheet explaining each column with an example; only the first sheet is ever imported.
"""

from __future__ import annotations

import io

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..spreadsheets import SafeCsvWriter, xlsx_append
from .columns import COLUMNS, Column

EXAMPLES = {
    "code": "SH01",
    "name": "王丽",
    "store": "SH01",
    "username": "xiaomei",
    "role": "美容师",
    "active": "是",
    "phone": "13812345678",
    "gender": "女",
    "birthday": "1988-05-20",
    "joined_on": "2021-03-05",
    "level": "金卡会员",
    "do_not_contact": "否",
    "marketing_consent": "是",
    "notes": "",
    "visited_on": "2026-03-05",
    "beautician": "xiaomei",
    "service": "深层清洁面部护理",
    "amount": "298.00",
    "card_name": "金卡储值卡",
    "kind": "储值",
    "balance": "3,000.00",
    "sessions_left": "",
    "expires_on": "2027-12-31",
}
HELP = {
    "code": gettext_lazy("Short store code: letters, digits, - and _."),
    "store": gettext_lazy("The store code, as in the store list."),
    "username": gettext_lazy("The sign-in name. Staff set their password with the manager afterwards."),
    "role": gettext_lazy("店长, 美容师, 前台 or 老板."),
    "active": gettext_lazy("是 while working here, 否 for former staff (their history stays)."),
    "phone": gettext_lazy("Mainland mobile number; spaces, dashes and +86 are fine."),
    "gender": gettext_lazy("女 or 男."),
    "birthday": gettext_lazy("A date: 2026-03-05, 2026/3/5 or 2026年3月5日."),
    "joined_on": gettext_lazy("The day her file was opened; today when empty."),
    "do_not_contact": gettext_lazy("是 if she asked not to be called."),
    "marketing_consent": gettext_lazy("是 if she agreed to receive offers and greetings (marketing messages)."),
    "visited_on": gettext_lazy("The day of the visit."),
    "beautician": gettext_lazy("The user name (or the name) of the beautician who served her."),
    "service": gettext_lazy("The service; new names are added to the menu."),
    "amount": gettext_lazy("Amount paid in yuan; ¥ and thousands separators are fine."),
    "card_name": gettext_lazy("The card's name; one customer cannot hold two cards of the same name."),
    "kind": gettext_lazy("储值 (stored value) or 次卡 (sessions)."),
    "balance": gettext_lazy("Money left on the card, in yuan."),
    "sessions_left": gettext_lazy("Sessions left on a session card."),
    "expires_on": gettext_lazy("The day the card expires, if it does."),
}


def header(column: Column) -> str:
    return f"{column.chinese}*" if column.required else column.chinese


def template_csv(kind: str) -> bytes:
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator="\r\n").writerow([header(column) for column in COLUMNS[kind]])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]  # a new workbook's one (active) sheet
    sheet.title = _("Fill in here")[:31]
    xlsx_append(sheet, [header(column) for column in COLUMNS[kind]])
    for position, column in enumerate(COLUMNS[kind], start=1):
        sheet.cell(row=1, column=position).font = Font(bold=True)
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(12, len(header(column)) * 2 + 4)
        # Phones and codes stay text: Excel would turn 13812345678 into 1.38E+10.
        if column.field in {"phone", "code", "store", "username"}:
            sheet.column_dimensions[letter].number_format = "@"
    _explain(workbook.create_sheet(_("Columns")[:31]), kind)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _explain(sheet, kind: str) -> None:
    xlsx_append(sheet, [_("Column"), _("Also accepted"), _("Required"), _("Example"), _("What to write")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS[kind]:
        xlsx_append(
            sheet,
            [
                column.chinese,
                " / ".join(name for name in column.names if name != column.chinese),
                _("yes") if column.required and not column.blank_ok else "",
                EXAMPLES.get(column.field, ""),
                str(HELP.get(column.field, "")),
            ],
        )
    for letter, width in zip("ABCDE", (14, 36, 8, 20, 60), strict=True):
        sheet.column_dimensions[letter].width = width
