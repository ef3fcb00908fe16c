"""`python manage.py import KIND FILE [--dry-run]`: all or nothing, a real dry run, idempotent re-imports."""

import io

import pytest
import tablib
from django.core.management import call_command

from initiatives.dates import Precision
from initiatives.importers import run_import
from initiatives.models import Decision, InfringementProcedure, KeyAction, KeyActionEvent, TranspositionReport

pytestmark = pytest.mark.django_db

HEADER = "member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note\n"
NEW_CASE = HEADER + ("DE,INFR(2030)0001,letter_of_formal_notice,2025-01,https://example.org/lfn,high,A new case\n"
                     "DE,INFR(2030)0001,reasoned_opinion,2025-06-12,https://example.org/ro,medium,\n")
REPORTS = ("member_state_code,article,status,as_of,source_url_or_ref,confidence,comment\n"
           "DE,27,complete,2024-05,https://example.org/de,high,Notified in full\n"
           "FR,25,partial,2024,COM(2016) 872,medium,\n")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_dry_run_shows_what_would_change_and_writes_nothing(tmp_path, capsys):
    call_command("import", "infringements", write(tmp_path, "new.csv", NEW_CASE), "--dry-run")
    out = capsys.readouterr().out
    assert "3 created, 0 updated" in out  # one procedure and its two decisions
    assert "Dry run: nothing was saved." in out
    assert not InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").exists()


def test_an_import_writes_and_importing_the_same_file_again_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, "new.csv", NEW_CASE)
    call_command("import", "infringements", path)
    procedure = InfringementProcedure.objects.get(infr_number="INFR(2030)0001")
    assert [d.stage for d in procedure.decisions.all()] == ["letter_of_formal_notice", "reasoned_opinion"]
    capsys.readouterr()
    call_command("import", "infringements", path)
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_a_month_only_date_keeps_its_precision(tmp_path):
    call_command("import", "infringements", write(tmp_path, "new.csv", NEW_CASE))
    letter = Decision.objects.get(procedure__infr_number="INFR(2030)0001", stage="letter_of_formal_notice")
    assert (letter.date.isoformat(), letter.date_precision) == ("2025-01-01", Precision.MONTH)
    assert letter.when.display() == "January 2025"


def test_a_csv_with_a_byte_order_mark_imports_like_one_without(tmp_path, capsys):
    call_command("import", "infringements", write(tmp_path, "bom.csv", NEW_CASE, encoding="utf-8-sig"))
    assert "3 created" in capsys.readouterr().out


def test_an_xlsx_file_imports_like_the_csv(tmp_path, capsys):
    dataset = tablib.Dataset().load(io.StringIO(NEW_CASE), format="csv")
    path = tmp_path / "new.xlsx"
    path.write_bytes(dataset.export("xlsx"))
    call_command("import", "infringements", str(path))
    assert "3 created" in capsys.readouterr().out
    assert InfringementProcedure.objects.get(infr_number="INFR(2030)0001").decisions.count() == 2


def test_the_command_shows_its_progress(tmp_path, capsys):
    call_command("import", "infringements", write(tmp_path, "new.csv", NEW_CASE), "--dry-run")
    assert "checked 2 of 2 rows" in capsys.readouterr().out


def test_an_additional_letter_and_a_procedure_type_can_be_given_as_columns(tmp_path):
    text = ("member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note,type\n"
            "AT,INFR(2019)2226,additional_letter_of_formal_notice,2025-02-01,https://example.org/a,high,,"
            "non_conformity\n")
    call_command("import", "infringements", write(tmp_path, "more.csv", text))
    stages = list(InfringementProcedure.objects.get(infr_number="INFR(2019)2226").decisions.values_list(
        "stage", flat=True))
    assert stages[-1] == "additional_letter_of_formal_notice"


def test_transposition_reports_are_created_then_updated(tmp_path, capsys):
    call_command("import", "transposition", write(tmp_path, "reports.csv", REPORTS))
    report = TranspositionReport.objects.get(member_state__code="DE", article__number=27)
    assert (report.status, report.when.isoformat(), report.comment) == ("complete", "2024-05", "Notified in full")
    assert TranspositionReport.objects.get(member_state__code="FR").when.display() == "2024"
    capsys.readouterr()
    call_command("import", "transposition", write(tmp_path, "again.csv", REPORTS.replace("2024-05", "2024-06")))
    assert "0 created, 1 updated, 1 unchanged" in capsys.readouterr().out


def test_an_import_is_recorded_in_the_history_with_its_reason(tmp_path):
    call_command("import", "transposition", write(tmp_path, "reports.csv", REPORTS))
    record = TranspositionReport.history.filter(member_state__code="DE").latest("history_date")
    assert record.history_change_reason == "import of reports.csv"


def test_events_are_imported_by_key_action_code(tmp_path, capsys):
    text = ("initiative_number,key_action_code,key_action_short,event_date,event,kind,status,source_url_or_ref,"
            "confidence\n"
            "3,3,,2025-Q2,Study follow-up published,report,,https://example.org/study,medium\n")
    call_command("import", "events", write(tmp_path, "events.csv", text))
    event = KeyActionEvent.objects.get(description="Study follow-up published")
    assert (event.key_action.code, event.when.display(), event.kind) == ("3", "Q2 2025", "report")


def test_a_status_change_through_events_counts_as_an_update(tmp_path, capsys):
    key_action = KeyAction.objects.get(initiative__number=8, code="8")
    text = ("initiative_number,key_action_code,key_action_short,event_date,event,status,source_url_or_ref,"
            "confidence\n8,8,,,,in_progress,,low\n")
    call_command("import", "events", write(tmp_path, "status.csv", text))
    key_action.refresh_from_db()
    assert key_action.status == "in_progress"
    assert "0 created, 1 updated" in capsys.readouterr().out


def test_a_liaison_import_rejects_rows_about_another_member_state(liaison_de):
    text = (b"member_state_code,article,status\nDE,27,none\nFR,27,none\n")
    result = run_import("liaison_transposition", text, "mine.csv", dry_run=False,
                        member_state=liaison_de.liaison.member_state)
    assert [(e.line, e.column) for e in result.errors] == [(3, "member_state_code")]
    assert "you may import only Germany's transposition" in result.errors[0].message
    assert not liaison_de.liaison.member_state.liaison_reports.exists()


def test_a_liaison_import_saves_drafts_for_review_not_public_reports(liaison_de):
    text = (b"member_state_code,article,status,measure_title,measure_reference,measure_date\n"
            b"DE,27,complete,Strafgesetzbuch,BGBl. I S. 10,2015-01\nDE,18,none,,,\n")
    result = run_import("liaison_transposition", text, "mine.csv", dry_run=False,
                        member_state=liaison_de.liaison.member_state)
    assert result.ok and result.created == 2
    drafts = liaison_de.liaison.member_state.liaison_reports.order_by("article__number")
    assert [(d.article.number, d.state) for d in drafts] == [(18, "draft"), (27, "draft")]
    assert drafts[1].measure_when.display() == "January 2015"
    assert not TranspositionReport.objects.filter(member_state__code="DE").exists()


def test_a_liaison_report_naming_no_measure_for_a_notified_article_is_rejected(liaison_de):
    text = b"member_state_code,article,status\nDE,27,complete\n"
    result = run_import("liaison_transposition", text, "mine.csv", dry_run=True,
                        member_state=liaison_de.liaison.member_state)
    assert {(e.line, e.column) for e in result.errors} == {(2, "measure_title"), (2, "measure_reference")}


def history_rows():
    from django.apps import apps

    return {m.__name__: m.objects.count() for m in apps.get_app_config("initiatives").get_models()
            if m.__name__.startswith("Historical")}


@pytest.mark.parametrize(("kind", "path"), [("infringements", "fixtures/data/infringements.csv"),
                                            ("events", "fixtures/data/key_actions_timeline.csv")])
def test_importing_the_shipped_file_again_writes_not_even_a_history_row(kind, path):
    from django.conf import settings

    before = history_rows()
    call_command("import", kind, str(settings.BASE_DIR / path), verbosity=0)
    assert history_rows() == before


def test_a_decision_dated_in_the_future_is_refused_as_the_staff_form_refuses_it():
    """Issue 12, item 11: an import accepted a decision of 2030 that the form refuses."""
    from initiatives.importers import run_import

    data = (HEADER + "DE,INFR(2030)0002,letter_of_formal_notice,2030-01-05,https://example.org/lfn,high,\n").encode()
    result = run_import("infringements", data, "future.csv", dry_run=False)
    assert [(e.line, e.column) for e in result.errors] == [(2, "decision_date")]
    assert "in the future" in result.errors[0].message
    assert not InfringementProcedure.objects.filter(infr_number="INFR(2030)0002").exists()
