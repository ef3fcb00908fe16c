"""Reading CSV (UTF-8, with or without BOM) and XLSX files into rows, with clear messages."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# The exports put an apostrophe before a cell that begins with one of these, so that a spreadsheet does not
# run it as a formula (initiatives/exports.py); reading such a cell back removes the apostrophe again.
NEUTRALISED_START = ("=", "+", "-", "@", "\t", "\r")
ZIP_MAGIC = b"PK\x03\x04"


class TableError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass
class Row:
    line: int  # the line (CSV) or row (XLSX) number a person sees, the header being line 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def has(self, column: str) -> bool:
        """True when the file has this (optional) column at all."""
        return column in self.values


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        where = _("line %(line)s") % {"line": self.line}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    # Loading the shipped data: records a person changed, where the shipped data says otherwise (kept as edited).
    conflicts: list[str] = field(default_factory=list)

    def conflict(self, message: str) -> None:
        self.conflicts.append(message)

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def add(self, other: ImportResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)
        self.changes.extend(other.changes)
        self.conflicts.extend(other.conflicts)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.conflicts:
            text += ngettext(", %(count)s conflict (a person's edit kept)", ", %(count)s conflicts (people's edits "
                             "kept)", len(self.conflicts)) % {"count": len(self.conflicts)}
        return text


def read_table(data: bytes, filename: str, *, required: set[str], optional: set[str] = frozenset()
               ) -> list[Row]:
    """Read a CSV or XLSX file's bytes; check its columns; raise TableError with a readable reason."""
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {
            "size": len(data), "limit": MAX_BYTES})
    if not data.strip():
        raise TableError(_("The file is empty."))
    name = filename.lower()
    if name.endswith(".xls"):
        raise TableError(_("The file is in the old Excel format (.xls). Save it as .xlsx or as CSV UTF-8."))
    if name.endswith(".xlsx"):
        header, records = _read_xlsx(data)
    elif name.endswith(".csv"):
        if data.startswith(ZIP_MAGIC):
            raise TableError(_("The file is named .csv but is a zip archive (an XLSX workbook?). Name it .xlsx "
                               "or save it as CSV UTF-8."))
        header, records = _read_csv(data)
    else:
        raise TableError(_("Upload a .csv (UTF-8) or an .xlsx file."))
    header = [(name or "").strip() for name in header]
    missing = sorted(required - set(header))
    if missing:
        raise TableError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = sorted(set(header) - required - set(optional) - {""})
    if unknown:
        raise TableError(_("Unknown columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(unknown), "expected": ", ".join(sorted(required | set(optional)))})
    if len(set(header)) != len(header):
        raise TableError(_("A column name appears twice in the header."))
    rows = []
    for line, record in records:
        if not any((cell or "").strip() for cell in record):
            continue
        if len(record) > len(header):
            raise TableError(_("Line %(line)s has more cells than the header has columns.") % {"line": line})
        values = {name: restore(cell) for name, cell in zip(header, record, strict=False)}
        rows.append(Row(line, values))
        if len(rows) > MAX_ROWS:
            raise TableError(_("The file has more than %(limit)s rows; split it into smaller files.") % {
                "limit": MAX_ROWS})
    if not rows:
        raise TableError(_("The file has a header but no rows."))
    return rows


def restore(cell) -> str:
    """A cell as text, without the apostrophe an export put before a leading =, +, -, @."""
    text = "" if cell is None else str(cell)
    if text.startswith("'") and text[1:2] and text[1:].startswith(NEUTRALISED_START):
        return text[1:]
    return text


def _read_csv(data: bytes):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(_("The file is UTF-16 text. Save it as CSV UTF-8 and try again."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The file is not UTF-8 text (byte %(position)s cannot be read). Save it as "
                           "CSV UTF-8 and try again.") % {"position": error.start}) from error
    if "\x00" in text:
        raise TableError(_("The file is not a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        records = [(reader.line_num, record) for record in reader]
    except StopIteration as error:
        raise TableError(_("The file is empty.")) from error
    except csv.Error as error:
        raise TableError(_("The CSV cannot be read: %(error)s.") % {"error": error}) from error
    return header, records


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not data.startswith(ZIP_MAGIC):
        raise TableError(_("The file is named .xlsx but is not an XLSX workbook."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise TableError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise TableError(_("The file has more than %(limit)s rows; split it into smaller files.") % {
                    "limit": MAX_ROWS})
        workbook.close()
    except TableError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError,
            AttributeError, IndexError) as error:
        raise TableError(_("The file is not a valid XLSX workbook.")) from error
    if not rows:
        raise TableError(_("The file is empty."))
    header = [str(cell) if cell is not None else "" for cell in rows[0]]
    records = []
    for number, record in enumerate(rows[1:], start=2):
        cells = []
        for cell in record:
            if hasattr(cell, "date") and hasattr(cell, "isoformat"):
                cell = cell.date().isoformat() if hasattr(cell, "hour") else cell.isoformat()
            elif isinstance(cell, float) and cell.is_integer():
                cell = int(cell)  # a spreadsheet stores the article number 27 as 27.0
            cells.append(cell)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        records.append((number, cells))
    return header, records
