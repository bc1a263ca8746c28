"""What can be wrong with an import file, in words a salon manager understands.

Problems are stored by their English msgid and parameters (in the import history, as JSON) and
translated when shown, so a report reads in the language of whoever looks at it.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# --- the file as a whole ----------------------------------------------------------
FILE_TOO_BIG = gettext_noop("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
FILE_EMPTY = gettext_noop("The file is empty.")
FILE_OLD_EXCEL = gettext_noop(
    "This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then upload it again."
)
FILE_ZIP_NOT_EXCEL = gettext_noop("This is a zip file but not an Excel workbook (.xlsx).")
FILE_BROKEN_EXCEL = gettext_noop(
    "The Excel file cannot be opened; it may be damaged. Open it in Excel and save it again."
)
FILE_UNPACKS_TOO_BIG = gettext_noop(
    "Unpacked, this Excel file would take %(size)s MB; at most %(limit)s MB can be imported. "
    "Split it into smaller files, or save it as CSV."
)
FILE_TOO_MUCH_TEXT = gettext_noop(
    "This Excel file's table of texts takes %(size)s MB once unpacked; at most %(limit)s MB can be read. "
    "Save it as CSV and upload that, or split it into smaller files."
)
FILE_PACKED_TOO_TIGHTLY = gettext_noop(
    "This Excel file is compressed in a way no spreadsheet program writes (one part would grow %(ratio)s "
    "times when unpacked), so it was not opened. Open it in Excel, save it again and upload that copy."
)
FILE_NOT_TEXT = gettext_noop(
    "The file is neither an Excel workbook (.xlsx) nor a CSV text file (UTF-8 or GBK). Save it from Excel as .xlsx."
)
FILE_DAMAGED_AT = gettext_noop(
    "The file cannot be read beyond row %(row)s; it may be damaged. Save it again and retry."
)
FILE_NO_HEADER = gettext_noop("No header row was found: the first row must name the columns.")
FILE_MISSING_COLUMNS = gettext_noop("Required columns are missing: %(columns)s. The header row found was row %(row)s.")
FILE_DUPLICATE_COLUMN = gettext_noop(
    "The columns “%(first)s” and “%(second)s” both mean “%(meaning)s”; keep only one of them."
)
FILE_NO_ROWS = gettext_noop("The file has a header row but no data rows.")
CONCURRENT_CHANGE = gettext_noop(
    "Someone changed the same records while the file was being imported. Nothing was saved; try again."
)
CHECK_FAILED = gettext_noop(
    "The file could not be checked because of an error on our side; nothing was saved. Upload it again, "
    "and if this happens again, tell whoever runs the system."
)
KIND_NOT_ALLOWED = gettext_noop("Only head office may import %(kind)s.")

# --- one cell ----------------------------------------------------------------------
REQUIRED = gettext_noop("This column is required, but the cell is empty.")
TOO_LONG = gettext_noop("Too long: at most %(limit)s characters.")
BAD_DATE = gettext_noop("“%(value)s” is not a date. Write dates as 2026-03-05, 2026/3/5 or 2026年3月5日.")
DATE_OUT_OF_RANGE = gettext_noop("%(value)s is not a believable date here (it must fall between %(low)s and %(high)s).")
BAD_MONEY = gettext_noop("“%(value)s” is not an amount of money. Write it like 1280 or ¥1,280.50.")
MONEY_NEGATIVE = gettext_noop("The amount cannot be negative.")
MONEY_TOO_LARGE = gettext_noop("The amount is too large.")
MONEY_CENTS = gettext_noop("An amount can have at most two decimal places (fen).")
BAD_WHOLE_NUMBER = gettext_noop("“%(value)s” is not a whole number of 0 or more.")
BAD_YES_NO = gettext_noop("“%(value)s” is not yes or no. Write 是 or 否 (also 1/0, Y/N).")
BAD_GENDER = gettext_noop("“%(value)s” is not a gender. Write 女 or 男 (also F/M).")
BAD_PHONE = gettext_noop("“%(value)s” is not a valid mainland mobile number (11 digits starting with 1).")
BAD_ROLE = gettext_noop(
    "“%(value)s” is not a role. Write 店长, 美容师, 前台 or 老板 (manager, beautician, front_desk, owner)."
)
BAD_CARD_KIND = gettext_noop("“%(value)s” is not a card type. Write 储值 (stored value) or 次卡 (sessions).")
BAD_STORE_CODE = gettext_noop("A store code may use letters, digits, - and _ only.")
BAD_USERNAME = gettext_noop("A user name may use letters, digits and @ . + - _ only.")

# --- a row against what is already in the database -------------------------------
UNKNOWN_STORE = gettext_noop(
    "There is no store with the code “%(value)s”. Import the stores first or correct the code."
)
NOT_YOUR_STORE = gettext_noop("You can import only for your own store (%(store)s).")
UNKNOWN_CUSTOMER = gettext_noop("Store %(store)s has no customer with this phone number. Import the customers first.")
UNKNOWN_BEAUTICIAN = gettext_noop(
    "Store %(store)s has no staff member with this user name or name. Import the staff first "
    "(former staff with 在职 = 否), or leave the cell empty."
)
AMBIGUOUS_BEAUTICIAN = gettext_noop(
    "Several staff members of store %(store)s have this name; use the user name instead."
)
REPEATED_ROW = gettext_noop(
    "An earlier row of the file has the same %(key)s but different values; keep only the right one."
)
STAFF_OF_OTHER_STORE = gettext_noop("This user name belongs to a staff member of another store.")
STAFF_PROTECTED = gettext_noop("Head office accounts cannot be changed by a store's import.")
STAFF_OWNER_BY_MANAGER = gettext_noop("Only head office may create head-office accounts.")
STAFF_NOT_YOURS = gettext_noop(
    "This is a store manager's account: only head office may change it. Leave the row as the account is, or remove it."
)
STAFF_SELF = gettext_noop("You cannot change your own account by an import.")
STAFF_NEEDS_STORE = gettext_noop("Every staff member except head office needs a store.")
DATE_IN_FUTURE = gettext_noop("The date %(value)s is after today.")

# The key of a row, as REPEATED_ROW names it.
KEY_STORE = gettext_noop("store code")
KEY_USERNAME = gettext_noop("user name")
KEY_PHONE = gettext_noop("store and phone number")
KEY_VISIT = gettext_noop("store, phone number, date and service")
KEY_CARD = gettext_noop("store, phone number and card name")


class Problem(Exception):
    """A reason a cell, a row or a file cannot be imported: an untranslated msgid and its parameters."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = {key: str(value) for key, value in params.items()}

    def __str__(self) -> str:
        return explain(self.msgid, self.params)


def explain(msgid: str, params: dict | None = None) -> str:
    """The problem in the active language."""
    text = gettext(msgid)
    if params:
        translated = {key: gettext(value) if value in _TRANSLATED_PARAMS else value for key, value in params.items()}
        return text % translated
    return text


_TRANSLATED_PARAMS = {KEY_STORE, KEY_USERNAME, KEY_PHONE, KEY_VISIT, KEY_CARD}
