"""Reading CSV (UTF-8, with or without BOM) and XLSX files into rows, with clear messages."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiatives.text import control_character_error

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# What an XLSX workbook (a zip of XML parts) may expand to, checked before it is parsed: its 5 MB could hold
# gigabytes. The formats have at most a dozen columns; room is left for styled empty cells at the right.
MAX_COLUMNS = 200
MAX_CELLS = 400_000  # 20,000 rows of 20 cells
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all the parts together
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
MAX_ZIP_PARTS = 1_000
MAX_OTHER_PART = 5 * 1024 * 1024  # any other XML part (styles, workbook, relationships)
# The exports put an apostrophe before a cell that begins with one of these, so that a spreadsheet does not
# run it as a formula (initiatives/exports.py); reading such a cell back removes the apostrophe again.
NEUTRALISED_START = ("=", "+", "-", "@", "\t", "\r")
ZIP_MAGIC = b"PK\x03\x04"


class TableError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


class CellErrors(TableError):
    """Cells that no import accepts, whatever the kind of file (a control character: initiatives.text), each
    with its line and column; nothing is imported."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors[:3]))


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
    removed: int = 0  # loading the shipped data: records it made from rows it no longer has
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
        self.removed += other.removed
        self.errors.extend(other.errors)
        self.changes.extend(other.changes)
        self.conflicts.extend(other.conflicts)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.removed:
            text += ngettext(", %(count)s removed", ", %(count)s removed", self.removed) % {"count": self.removed}
        if self.conflicts:
            text += ngettext(", %(count)s conflict (a person's edit kept)", ", %(count)s conflicts (people's edits "
                             "kept)", len(self.conflicts)) % {"count": len(self.conflicts)}
        return text


def check_size(data: bytes) -> None:
    """Refuse a file over the size limit, or empty, before anything reads it."""
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {
            "size": len(data), "limit": MAX_BYTES})
    if not data.strip():
        raise TableError(_("The file is empty."))


def read_table(data: bytes, filename: str, *, required: set[str], optional: set[str] = frozenset()
               ) -> list[Row]:
    """Read a CSV or XLSX file's bytes; check its columns; raise TableError with a readable reason."""
    check_size(data)
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
    bad_cells = []
    for line, record in records:
        if not any(restore(cell).strip() for cell in record):
            continue
        if len(record) > len(header):
            raise TableError(_("Line %(line)s has more cells than the header has columns.") % {"line": line})
        values = {name: restore(cell) for name, cell in zip(header, record, strict=False)}
        bad_cells += [RowError(line, name, control_character_error(value)) for name, value in values.items()
                      if control_character_error(value)]
        rows.append(Row(line, values))
        if len(rows) > MAX_ROWS:
            raise TableError(_("The file has more than %(limit)s rows; split it into smaller files.") % {
                "limit": MAX_ROWS})
    if not rows:
        raise TableError(_("The file has a header but no rows."))
    if bad_cells:
        raise CellErrors(bad_cells)
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
    # strict: a quote that opens a cell must close it, right before a comma or the end of the line; a cell
    # left open at the end of the file is an error, not the rest of the file in one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        header = next(reader)
        records = []
        start = reader.line_num + 1
        for record in reader:
            records.append((start, reader.line_num, record))
            start = reader.line_num + 1
    except StopIteration as error:
        raise TableError(_("The file is empty.")) from error
    except csv.Error as error:
        raise CellErrors([RowError(start, "", _(
            "A quote opens a cell and is not closed where the cell ends (%(error)s). Inside a quoted cell, write a "
            "quote as two quotes (\"\").") % {"error": error})]) from error
    _check_cells_over_lines(header, records)
    return header, [(line, record) for line, _end, record in records]


def _check_cells_over_lines(header: list[str], records: list[tuple[int, int, list[str]]]) -> None:
    """A row that runs over several lines must add up: as many cells as the header, and no line inside a
    cell that begins like a row of the file ("LU,"): that is a stray quote swallowing the rows after it."""
    starts = {record[0].strip() + "," for _start, _end, record in records if record and record[0].strip()}
    for start, end, record in records:
        if end == start:
            continue
        swallowed = any(line.startswith(tuple(starts)) for cell in record if "\n" in cell
                        for line in cell.splitlines()[1:])
        if swallowed or len(record) != len(header):
            raise CellErrors([RowError(start, "", _(
                "Lines %(start)s to %(end)s are read as one row: a quote opens a cell on line %(start)s and only "
                "closes on line %(end)s, so the rows between would be lost. Remove the stray quote, or write a "
                "quote inside a quoted cell as two quotes (\"\").") % {"start": start, "end": end})])


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not data.startswith(ZIP_MAGIC):
        raise TableError(_("The file is named .xlsx but is not an XLSX workbook."))
    try:
        _check_workbook_bounds(data)
        # Streaming (read_only), and formulas as formulas (not data_only): a formula is refused, not read as
        # its cached value or, when the file was never opened in a spreadsheet, as an empty cell.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        if not workbook.worksheets:
            raise TableError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size was checked; rows are read as they are, never padded to it
        rows = []
        for row in sheet.iter_rows():
            formula = next((cell for cell in row if getattr(cell, "data_type", None) == "f"), None)
            if formula is not None:
                column = rows[0][formula.column - 1] if rows and formula.column <= len(rows[0]) else None
                raise TableError(_("Cell %(cell)s (column %(column)s) holds a formula. Import values only: copy "
                                   "the cells and paste them as values, then save.") % {
                    "cell": formula.coordinate, "column": column or "?"})
            rows.append(tuple(cell.value for cell in row))
            if len(rows) > MAX_ROWS + 1:
                raise TableError(_("The file has more than %(limit)s rows; split it into smaller files.") % {
                    "limit": MAX_ROWS})
        workbook.close()
    except TableError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError,
            AttributeError, IndexError, EOFError, zlib.error) as error:
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


# What the bounds look for in the XML parts, read in pieces of decompressed bytes (never the whole part).
ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
CHUNK = 1024 * 1024


def _check_workbook_bounds(data: bytes) -> None:
    """Refuse a workbook that would expand beyond what an import needs, before any XML is parsed: the size of
    its parts once decompressed, the rows, columns and cells of its sheets (declared and present) and the
    number and size of its shared strings. Reads each part as a stream and counts with regular expressions,
    so a refusal costs little time and memory whatever the part holds."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = archive.infolist()
    if len(parts) > MAX_ZIP_PARTS:
        raise TableError(_("The workbook has %(count)s parts; a workbook to import has far fewer.") % {
            "count": len(parts)})
    expanded = sum(part.file_size for part in parts)
    if expanded > MAX_UNCOMPRESSED:
        raise TableError(_("The workbook expands to %(size)s MB when opened; the limit is %(limit)s MB. Save "
                           "only the rows and columns to import, or save it as CSV UTF-8.") % {
            "size": expanded // (1024 * 1024), "limit": MAX_UNCOMPRESSED // (1024 * 1024)})
    for part in parts:
        name = part.filename.lower()
        if name.endswith("sharedstrings.xml"):
            _check_shared_strings(archive, part)
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _check_sheet(archive, part)
        elif name.endswith((".xml", ".rels")) and part.file_size > MAX_OTHER_PART:
            # styles, workbook, relationships: a few kilobytes in a real workbook, and parsed whole.
            raise TableError(_("The workbook part %(part)s expands to %(size)s MB; the limit is %(limit)s MB.") % {
                "part": part.filename, "size": part.file_size // (1024 * 1024),
                "limit": MAX_OTHER_PART // (1024 * 1024)})


def _pieces(archive: zipfile.ZipFile, part: zipfile.ZipInfo):
    """The decompressed bytes of `part` in pieces of about CHUNK bytes, each cut before a "<", so that no tag
    is cut in two."""
    rest = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            text = rest + chunk
            cut = text.rfind(b"<")
            if cut <= 0:
                rest = text
                continue
            yield text[:cut]
            rest = text[cut:]
    if rest:
        yield rest


def _count(piece: bytes, name: bytes, begin: int = 0, end: int | None = None) -> int:
    """How many elements `name` open in piece[begin:end] (<c>, <c r="A1">, <c/>, or with a namespace prefix
    such as <x:c>), counted at the speed of bytes.count."""
    end = len(piece) if end is None else end
    count = sum(piece.count(b"<" + name + after, begin, end) for after in (b" ", b">", b"/", b"\t", b"\r", b"\n"))
    if b":" + name in piece:
        count += len(re.findall(rb"<\w+:" + name + rb"[\s/>]", piece[begin:end]))
    return count


def _too_many_cells():
    return TableError(_("The sheet has more than %(limit)s cells; a file to import has far fewer. Save only the "
                        "rows and columns to import, or save it as CSV UTF-8.") % {"limit": MAX_CELLS})


def _check_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    rows = cells = in_row = 0
    for piece in _pieces(archive, part):
        if rows == 0 and (declared := DIMENSION.search(piece)) is not None:
            _check_dimension(declared)
        starts = [match.start() for match in ROW.finditer(piece)]
        segments = [(0, starts[0] if starts else len(piece))] + [
            (start, starts[index + 1] if index + 1 < len(starts) else len(piece))
            for index, start in enumerate(starts)]
        for index, (begin, end) in enumerate(segments):
            if index > 0:  # a new row begins
                rows, in_row = rows + 1, 0
                if rows > MAX_ROWS + 1:
                    raise TableError(_("The file has more than %(limit)s rows; split it into smaller files.") % {
                        "limit": MAX_ROWS})
            count = _count(piece, b"c", begin, end)
            cells, in_row = cells + count, in_row + count
            if in_row > MAX_COLUMNS:
                raise TableError(_("Row %(row)s has more than %(limit)s cells (columns); a file to import has "
                                   "a dozen.") % {"row": rows, "limit": MAX_COLUMNS})
            if cells > MAX_CELLS:
                raise _too_many_cells()


def _check_dimension(declared) -> None:
    """The size a sheet declares for itself (<dimension ref="A1:F20"/>): a reader that trusts it pads every row."""
    from openpyxl.utils import column_index_from_string

    last_column = declared[3] or declared[1]
    last_row = declared[4] or declared[2]
    columns = column_index_from_string(last_column.decode()) if last_column else 1
    rows = int(last_row) if last_row else 1
    if columns > MAX_COLUMNS:
        raise TableError(_("The sheet declares %(count)s columns; the limit is %(limit)s.") % {
            "count": columns, "limit": MAX_COLUMNS})
    if rows > MAX_ROWS + 1:
        raise TableError(_("The file has more than %(limit)s rows; split it into smaller files.") % {
            "limit": MAX_ROWS})
    if rows * columns > MAX_CELLS:
        raise _too_many_cells()


def _check_shared_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_SHARED_STRINGS_BYTES:
        raise TableError(_("The workbook's shared strings (its text) take %(size)s MB; the limit is %(limit)s MB.")
                         % {"size": part.file_size // (1024 * 1024),
                            "limit": MAX_SHARED_STRINGS_BYTES // (1024 * 1024)})
    count = 0
    for piece in _pieces(archive, part):
        count += _count(piece, b"si")
        if count > MAX_CELLS:
            raise TableError(_("The workbook has more than %(limit)s shared strings (texts); a file to import "
                               "has far fewer.") % {"limit": MAX_CELLS})
