"""Hostile or careless files are refused with a clear message (line, column, cell) and write nothing: workbooks
that expand to gigabytes, a stray quote, future dates, non-ASCII digits, formulas, over-long comments,
control characters. And an enforcement step is read as one, not as a report."""

import functools
import io
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from initiatives.choices import EventKind
from initiatives.importers import LIAISON_KIND, run_import
from initiatives.importers.events import classify
from initiatives.importers.tabular import TableError, read_table
from initiatives.importers.transposition import OPTIONAL, REQUIRED
from initiatives.models import KeyActionEvent, LiaisonReport, MemberState, TranspositionReport

REPORT_HEADER = "member_state_code,article,status,as_of,source_url_or_ref,confidence,comment\n"
EVENT_HEADER = "initiative_number,key_action_code,key_action_short,event_date,event,source_url_or_ref,confidence\n"


def workbook_bytes(rows, formula_cells=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for address, formula in formula_cells:
        sheet[address] = formula
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def with_parts(data: bytes, parts: dict) -> bytes:
    """The workbook `data` with some of its zip parts replaced or added (the part's path: its content, as bytes
    or as an iterable of byte chunks, written as a stream so that a bomb never sits whole in memory)."""
    replace = dict(parts)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()

    def write(target, name, content):
        with target.open(name, "w", force_zip64=True) as stream:
            for chunk in [content] if isinstance(content, bytes) else content:
                stream.write(chunk)

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            write(target, item.filename, replace.pop(item.filename, source.read(item.filename)))
        for name, content in replace.items():
            write(target, name, content)
    return out.getvalue()


HEADER_CELLS = sorted(REQUIRED)
SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


@functools.cache
def one_row_of_2_000_000_cells() -> bytes:
    """The issue's bomb: a small XLSX whose second row holds 2,000,000 cells."""
    header = b"<row r=\"1\">" + b"".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>'.encode()
                                         for name in HEADER_CELLS) + b"</row>"
    body = b'<row r="2">' + b"<c><v>1</v></c>" * 2_000_000 + b"</row>"
    sheet = SHEET_START + header + body + b"</sheetData></worksheet>"
    return with_parts(workbook_bytes([HEADER_CELLS]), {"xl/worksheets/sheet1.xml": sheet})


def with_shared_strings(one: bytes, count: int) -> bytes:
    """A workbook whose shared strings are `count` copies of `one`; its one data cell uses the first."""
    def sst():
        yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, count))
        for _ in range(count // 10_000):
            yield one * 10_000
        yield b"</sst>"

    header = b'<row r="1">' + b"".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>'.encode()
                                       for name in HEADER_CELLS) + b"</row>"
    sheet = SHEET_START + header + b'<row r="2"><c t="s"><v>0</v></c></row></sheetData></worksheet>'
    data = workbook_bytes([HEADER_CELLS])
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    return with_parts(data, {"xl/sharedStrings.xml": sst(), "xl/worksheets/sheet1.xml": sheet,
                             "[Content_Types].xml": types})


@functools.cache
def shared_strings_bomb() -> bytes:
    """600,000 shared strings of 200 characters (123 MB of text) in a file of 600 KB (the issue's: 657 KB)."""
    return with_shared_strings(b"<si><t>" + b"x" * 200 + b"</t></si>", 600_000)


@functools.cache
def many_shared_strings() -> bytes:
    """1,200,000 empty shared strings: 16 MB, under the size bound, but each one an object in memory."""
    return with_shared_strings(b"<si><t/></si>", 1_200_000)


@functools.cache
def declared_wide() -> bytes:
    """3,000 rows that declare themselves A1:XFD3001: a reader that trusts it pads every row to 16,384 cells."""
    data = workbook_bytes([HEADER_CELLS] + [["x"] * len(HEADER_CELLS)] * 3000)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    wide = sheet[:start] + b'<dimension ref="A1:XFD3001"/>' + sheet[end:]
    return with_parts(data, {"xl/worksheets/sheet1.xml": wide})


@pytest.mark.parametrize("build, reason", [
    (one_row_of_2_000_000_cells, "cells"),
    (shared_strings_bomb, "expands to"),
    (many_shared_strings, "shared strings"),
    (declared_wide, "columns"),
])
def test_a_workbook_that_expands_beyond_the_bounds_is_refused_before_it_is_parsed(build, reason):
    data = build()
    assert len(data) < 5 * 1024 * 1024  # under the upload limit: only what it expands to is too much
    tracemalloc.start()
    try:
        with pytest.raises(TableError) as refused:
            read_table(data, "bomb.xlsx", required=set(REQUIRED), optional=OPTIONAL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason in str(refused.value)
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while refusing"


def test_the_bombs_are_refused_in_a_fresh_process_within_the_budget(tmp_path):
    """What a worker spends on each bomb, measured as the issue measured it (peak RSS of a process). The time
    is printed for the record, not asserted (the machine's load decides it); memory is asserted."""
    for build in (one_row_of_2_000_000_cells, shared_strings_bomb, many_shared_strings, declared_wide):
        path = tmp_path / f"{build.__name__}.xlsx"
        path.write_bytes(build())
        script = textwrap.dedent(f"""
            import time, django, os
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
            django.setup()
            from initiatives.importers.tabular import read_table, TableError
            from initiatives.importers.transposition import REQUIRED, OPTIONAL

            def peak_mb():  # this process's own high-water mark (ru_maxrss would carry the parent's over exec)
                status = open("/proc/self/status").read()
                return int(status.split("VmHWM:")[1].split()[0]) // 1024

            before = peak_mb()
            start = time.perf_counter()
            try:
                read_table(open({str(path)!r}, "rb").read(), "bomb.xlsx", required=REQUIRED, optional=OPTIONAL)
            except TableError as error:
                print("refused:", error)
            print("seconds", round(time.perf_counter() - start, 2))
            print("peak_mb", peak_mb(), "before_mb", before)
        """)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        print(build.__name__, done.stdout, done.stderr[-500:])
        assert "refused:" in done.stdout
        peak = int(done.stdout.split("peak_mb ")[1].split()[0])
        assert peak < 150


def test_a_well_formed_workbook_still_imports():
    data = workbook_bytes([["member_state_code", "article", "status", "as_of", "source_url_or_ref", "confidence"],
                           ["DE", 27, "complete", "2024-05", "https://example.org/de", "high"]])
    rows = read_table(data, "ok.xlsx", required=set(REQUIRED), optional=OPTIONAL)
    assert rows[0].get("article") == "27"


# Item 13: a formula is refused by name and cell address, not read as empty.
def test_a_formula_cell_is_refused_with_its_column_and_cell_address():
    data = workbook_bytes([["member_state_code", "article", "status", "as_of", "source_url_or_ref", "confidence",
                            "comment"],
                           ["DE", 27, "complete", "2024-05", "https://example.org/de", "high", ""]],
                          formula_cells=[("G2", '=CONCAT("a","b")')])
    with pytest.raises(TableError) as refused:
        read_table(data, "formula.xlsx", required=set(REQUIRED), optional=OPTIONAL)
    assert "G2" in str(refused.value) and "comment" in str(refused.value) and "formula" in str(refused.value)


# Item 10: one stray quote must not swallow the rows after it.
@pytest.mark.django_db
def test_a_stray_quote_that_swallows_rows_is_refused_with_its_line_numbers():
    text = (REPORT_HEADER
            + 'LU,5,complete,2024-01,https://example.org/lu,high,"He said so\n'
            + "LU,6,complete,2024-01,https://example.org/lu,high,\n"
            + "LU,7,complete,2024-01,https://example.org/lu,high,\n")
    before = TranspositionReport.objects.count()
    result = run_import("transposition", text.encode(), "28_unbalanced_quote.csv", dry_run=False)
    assert not result.ok
    message = str(result.errors[0])
    assert message.startswith("line 2") and "quote" in message
    assert TranspositionReport.objects.count() == before


@pytest.mark.django_db
def test_a_quoted_cell_over_several_lines_is_still_one_cell():
    text = REPORT_HEADER + 'DE,27,complete,2024-05,https://example.org/de,high,"First line\nsecond line"\n'
    result = run_import("transposition", text.encode(), "multiline.csv", dry_run=True)
    assert result.ok, result.errors


def test_a_row_whose_quote_closes_in_a_later_row_is_refused():
    text = (REPORT_HEADER
            + 'LU,5,"complete,2024-01,https://example.org/lu,high,\n'
            + 'LU,6,complete",2024-01,https://example.org/lu,high,\n')
    with pytest.raises(TableError) as refused:
        read_table(text.encode(), "quote.csv", required=set(REQUIRED), optional=OPTIONAL)
    assert "line 2" in str(refused.value)


# Item 11: one rule for future dates, the forms' rule.
@pytest.mark.django_db
def test_an_event_dated_in_the_future_is_refused_as_the_form_refuses_it():
    text = EVENT_HEADER + "3,3,,2031-01-10,Study published,https://example.org/s,medium\n"
    result = run_import("events", text.encode(), "future.csv", dry_run=False)
    assert any(e.column == "event_date" and "in the future" in e.message for e in result.errors), result.errors
    assert not KeyActionEvent.objects.filter(description="Study published").exists()


@pytest.mark.django_db
def test_a_report_as_of_a_future_day_is_refused():
    text = REPORT_HEADER + "DE,27,complete,2031-05,https://example.org/de,high,\n"
    result = run_import("transposition", text.encode(), "future.csv", dry_run=False)
    assert any(e.column == "as_of" and "in the future" in e.message for e in result.errors), result.errors


@pytest.mark.django_db
def test_a_liaison_measure_dated_in_the_future_is_refused():
    germany = MemberState.objects.get(code="DE")
    text = "member_state_code,article,status,measure_title,measure_reference,measure_date\n" \
           "DE,18,complete,Law,BGBl. I 2031/1,2031-02-01\n"
    result = run_import(LIAISON_KIND, text.encode(), "future.csv", dry_run=False, member_state=germany)
    assert any(e.column == "measure_date" and "in the future" in e.message for e in result.errors), result.errors


# Item 12: numbers are ASCII digits.
@pytest.mark.django_db
@pytest.mark.parametrize("article", ["²", "٢٧", "２７"])
def test_an_article_written_with_non_ascii_digits_is_a_clear_error_not_a_crash(article):
    text = REPORT_HEADER + f"DE,{article},complete,2024-05,https://example.org/de,high,\n"
    result = run_import("transposition", text.encode(), "digits.csv", dry_run=True)
    assert [e.column for e in result.errors] == ["article"]
    germany = MemberState.objects.get(code="DE")
    liaison = f"member_state_code,article,status\nDE,{article},complete\n"
    result = run_import(LIAISON_KIND, liaison.encode(), "digits.csv", dry_run=True, member_state=germany)
    assert [e.column for e in result.errors] == ["article"]


@pytest.mark.django_db
def test_an_initiative_number_in_non_ascii_digits_is_a_clear_error():
    text = EVENT_HEADER + "٣,3,,2024-01-10,Study published,https://example.org/s,medium\n"
    result = run_import("events", text.encode(), "digits.csv", dry_run=True)
    assert [e.column for e in result.errors] == ["initiative_number"]


# Item 14: one limit for a comment: the model's.
@pytest.mark.django_db
def test_a_liaison_comment_longer_than_the_models_limit_is_refused():
    limit = LiaisonReport._meta.get_field("comment").max_length
    germany = MemberState.objects.get(code="DE")
    text = f"member_state_code,article,status,comment\nDE,18,none,{'x' * (limit + 1)}\n"
    result = run_import(LIAISON_KIND, text.encode(), "long.csv", dry_run=False, member_state=germany)
    assert [(e.column, str(limit) in e.message) for e in result.errors] == [("comment", True)]
    assert not LiaisonReport.objects.filter(member_state=germany, article__number=18).exists()
    exactly = f"member_state_code,article,status,comment\nDE,18,none,{'x' * limit}\n"
    assert run_import(LIAISON_KIND, exactly.encode(), "long.csv", dry_run=True, member_state=germany).ok


@pytest.mark.django_db
def test_a_report_comment_longer_than_the_models_limit_is_refused():
    limit = TranspositionReport._meta.get_field("comment").max_length
    text = REPORT_HEADER + f"DE,27,complete,2024-05,https://example.org/de,high,{'x' * (limit + 1)}\n"
    result = run_import("transposition", text.encode(), "long.csv", dry_run=True)
    assert [(e.column, str(limit) in e.message) for e in result.errors] == [("comment", True)]


# Item 9, import side: a control character is refused with its line and column.
@pytest.mark.django_db
@pytest.mark.parametrize("kind, text", [
    ("transposition", REPORT_HEADER + "DE,27,complete,2024-05,https://example.org/de,high,Bad\x0bcomment\n"),
    ("events", EVENT_HEADER + "3,3,,2024-01-10,Study\x0b published,https://example.org/s,medium\n"),
])
def test_a_control_character_in_an_imported_cell_is_refused_with_line_and_column(kind, text):
    result = run_import(kind, text.encode(), "control.csv", dry_run=False)
    assert [(e.line, "U+000B" in e.message) for e in result.errors] == [(2, True)]
    assert result.errors[0].column in ("comment", "event")
    assert not KeyActionEvent.objects.filter(description__startswith="Study").exists()


# Item 19: enforcement wording wins over the report rule.
@pytest.mark.parametrize("description", [
    "Reasoned opinions to Bulgaria, Ireland and Spain on the Directive",
    "Commission sends a reasoned opinion to Malta",
    "Letter of formal notice to Poland; report to follow",
    "Infringement procedure opened against Italy (study of national law)",
    "Referral of Portugal to the Court of Justice published",
])
def test_enforcement_wording_makes_an_event_an_enforcement_step_not_a_report(description):
    assert classify(description) == EventKind.DECISION


def test_a_report_is_still_a_report():
    assert classify("Commission publishes its implementation report") == EventKind.REPORT
