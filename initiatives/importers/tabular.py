"""Reading CSV (UTF-8, with or without BOM) and XLSX files into rows, with clear messages."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024


class TableError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass
class Row:
    line: int  # the line (CSV) or row (XLSX) number a person sees, the header being line 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


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

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def add(self, other: ImportResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)
        self.changes.extend(other.changes)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def read_table(data: bytes, filename: str, *, required: set[str], optional: set[str] = frozenset()
               ) -> list[Row]:
    """Read a CSV or XLSX file's bytes; check its columns; raise TableError with a readable reason."""
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {
            "size": len(data), "limit": MAX_BYTES})
    if not data.strip():
        raise TableError(_("The file is empty."))
    if filename.lower().endswith(".xlsx"):
        header, records = _read_xlsx(data)
    else:
        header, records = _read_csv(data)
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
        values = {name: ("" if cell is None else str(cell)) for name, cell in zip(header, record, strict=False)}
        rows.append(Row(line, values))
    if not rows:
        raise TableError(_("The file has a header but no rows."))
    return rows


def _read_csv(data: bytes):
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

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(_("The file is not a valid XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    if not rows:
        raise TableError(_("The file is empty."))
    header = [str(cell) if cell is not None else "" for cell in rows[0]]
    records = []
    for number, record in enumerate(rows[1:], start=2):
        cells = []
        for cell in record:
            if hasattr(cell, "date") and hasattr(cell, "isoformat"):
                cell = cell.date().isoformat() if hasattr(cell, "hour") else cell.isoformat()
            cells.append(cell)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        records.append((number, cells))
    return header, records
