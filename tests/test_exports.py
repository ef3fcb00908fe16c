"""Exports: formulas neutralised, and every importable table round-trips: export, import, nothing changes."""

import csv
import io

import pytest

from initiatives import exports
from initiatives.importers import run_import
from initiatives.models import (
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    TranspositionReport,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cell", ["=SUM(A1:A2)", "+1", "-2+3", "@cmd", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(cell):
    assert exports.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "2014-01", "COM(2020) 607", "", "'quoted"])
def test_an_ordinary_cell_is_left_alone(cell):
    assert exports.neutralise(cell) == cell


def test_the_csv_export_neutralises_formulas():
    dataset = exports.build_dataset(["note"], [["=HYPERLINK(\"http://evil\")"], ["fine"]])
    rows = list(csv.reader(io.StringIO(exports.render(dataset, "csv").decode())))
    assert rows == [["note"], ["'=HYPERLINK(\"http://evil\")"], ["fine"]]


def infringements_csv() -> bytes:
    decisions = Decision.objects.filter(procedure__in=InfringementProcedure.objects.published())
    return exports.render(exports.infringement_dataset(decisions), "csv")


def test_the_infringement_export_is_in_the_import_format_of_the_shipped_file():
    header = infringements_csv().decode().splitlines()[0]
    assert header.startswith("member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note,"
                             "type")
    assert "additional_letter_of_formal_notice" in infringements_csv().decode()


def test_the_infringement_export_imports_back_unchanged():
    result = run_import("infringements", infringements_csv(), "export.csv", dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Decision.objects.count()


def test_the_infringement_export_rebuilds_the_same_procedures_from_nothing():
    exported = infringements_csv()
    Decision.objects.all().delete()
    InfringementProcedure.objects.all().delete()
    result = run_import("infringements", exported, "export.csv", dry_run=False)
    assert result.ok, result.errors
    assert infringements_csv() == exported


def test_the_infringement_export_in_xlsx_imports_back_unchanged():
    decisions = Decision.objects.all()
    content = exports.render(exports.infringement_dataset(decisions), "xlsx")
    result = run_import("infringements", content, "export.xlsx", dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)


def test_a_note_that_starts_like_a_formula_survives_the_round_trip():
    decision = Decision.objects.filter(procedure__member_state__code="MT").first()
    decision.note = "-2 months late; =not a formula"
    decision.save()
    exported = infringements_csv()
    assert b"'-2 months late" in exported
    result = run_import("infringements", exported, "export.csv", dry_run=False)
    assert result.ok and result.updated == 0, result.changes
    decision.refresh_from_db()
    assert decision.note == "-2 months late; =not a formula"


def events_csv() -> bytes:
    return exports.render(exports.event_dataset(KeyAction.objects.published()), "csv")


def test_the_event_export_imports_back_unchanged():
    result = run_import("events", events_csv(), "events.csv", dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, KeyActionEvent.objects.count())


def test_the_event_export_rebuilds_the_same_events_from_nothing():
    exported = events_csv()
    KeyActionEvent.objects.all().delete()
    result = run_import("events", exported, "events.csv", dry_run=False)
    assert result.ok, result.errors
    assert events_csv() == exported


def make_reports():
    text = (b"member_state_code,article,status,as_of,source_url_or_ref,confidence,comment\n"
            b"DE,27,complete,2024-05,https://example.org/de ; COM(2016) 871,high,+ notified in 2015\n"
            b"FR,25,partial,2024-Q1,COM(2016) 872,medium,\n")
    assert run_import("transposition", text, "reports.csv", dry_run=False).ok


def reports_csv() -> bytes:
    return exports.render(exports.transposition_dataset(TranspositionReport.objects.published()), "csv")


def test_the_transposition_export_imports_back_unchanged_and_rebuilds_from_nothing():
    make_reports()
    exported = reports_csv()
    assert b"'+ notified in 2015" in exported and b"2024-Q1" in exported
    result = run_import("transposition", exported, "reports.csv", dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    TranspositionReport.objects.all().delete()
    assert run_import("transposition", exported, "reports.csv", dry_run=False).created == 2
    assert reports_csv() == exported


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_control_character_already_stored_is_left_out_of_every_export(fmt):
    """Issue 12, item 9: a \x0b in an event's description made the XLSX exports answer 500."""
    from initiatives.models import KeyActionEvent

    event = KeyActionEvent.objects.published().first()
    KeyActionEvent.objects.filter(pk=event.pk).update(description="Adopted\x0b by\x01 the Commission")
    content = exports.render(exports.event_dataset(KeyAction.objects.published()), fmt)
    text = content.decode("utf-8") if fmt != "xlsx" else _xlsx_text(content)
    assert "Adopted by the Commission" in text
    assert "\x0b" not in text and "\\u000b" not in text


def _xlsx_text(content: bytes) -> str:
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def test_the_staff_xlsx_export_and_the_open_data_zip_survive_a_stored_control_character(client, staff_user):
    published = Decision.objects.filter(procedure__in=InfringementProcedure.objects.published())
    Decision.objects.filter(pk=published.first().pk).update(note="see\x0b annex")
    assert client.get("/open-data/eu-csa-strategy-tracker.zip").status_code == 200
    client.force_login(staff_user)
    response = client.get("/staff/import/current/infringements/", {"format": "xlsx"})
    assert response.status_code == 200
    assert "see annex" in _xlsx_text(response.content)
