"""The corpus of malformed files (tests/fixtures_bad_files/): each is rejected with its own clear message,
and not one row is written, through the command as through the upload page."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from initiatives.importers import run_import
from initiatives.importers.tabular import MAX_BYTES

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "fixtures_bad_files"

# file -> (kind, what the message says, the line and column it points at; line 0 means the whole file)
EXPECTED = {
    "infringements_latin1.csv": ("infringements", "not UTF-8 text", 0, ""),
    "infringements_utf16.csv": ("infringements", "UTF-16", 0, ""),
    "infringements_missing_column.csv": ("infringements", "Missing columns: source_url_or_ref", 0, ""),
    "infringements_unknown_column.csv": ("infringements", "Unknown columns: colour", 0, ""),
    "infringements_unknown_member_state.csv": ("infringements", "'XX' is not an EU Member State code", 2,
                                               "member_state_code"),
    "infringements_not_bound.csv": ("infringements", "Denmark is not bound by the Directive", 2, "member_state_code"),
    "infringements_unknown_stage.csv": ("infringements", "'warning_letter' is not a stage", 2, "stage"),
    "infringements_bad_date.csv": ("infringements", "is not a real date", 2, "decision_date"),
    "infringements_ambiguous_date.csv": ("infringements", "ambiguous", 2, "decision_date"),
    "infringements_order_rules.csv": ("infringements", "no reasoned opinion comes before it", 2, "stage"),
    "infringements_after_closure.csv": ("infringements", "a closure must be the last decision", 2, "stage"),
    "infringements_duplicate_rows.csv": ("infringements", "This row repeats line 2", 3, ""),
    "infringements_no_source.csv": ("infringements", "needs at least one source", 2, "source_url_or_ref"),
    "infringements_bad_confidence.csv": ("infringements", "'certain' is not a confidence", 2, "confidence"),
    "infringements_bad_infr_number.csv": ("infringements", "is not an INFR number", 2, "infr_number"),
    "infringements_ragged_row.csv": ("infringements", "more cells than the header", 0, ""),
    "infringements_empty.csv": ("infringements", "The file is empty", 0, ""),
    "infringements_blank_lines.csv": ("infringements", "The file is empty", 0, ""),
    "infringements_header_only.csv": ("infringements", "a header but no rows", 0, ""),
    "infringements_fake.xlsx": ("infringements", "is not an XLSX workbook", 0, ""),
    "infringements_zip_not_workbook.xlsx": ("infringements", "not a valid XLSX workbook", 0, ""),
    "infringements_zip_named_csv.csv": ("infringements", "is a zip archive", 0, ""),
    "infringements_old_excel.xls": ("infringements", "old Excel format", 0, ""),
    "infringements_unknown_extension.txt": ("infringements", "Upload a .csv", 0, ""),
    "transposition_unknown_article.csv": ("transposition", "has no article '31'", 2, "article"),
    "transposition_unknown_status.csv": ("transposition", "'mostly' is not a notification status", 2, "status"),
    "transposition_no_date.csv": ("transposition", "A date is required", 2, "as_of"),
    "transposition_duplicate_rows.csv": ("transposition", "This row repeats line 2", 3, ""),
    "events_unknown_key_action.csv": ("events", "No key action 'Build a moon base' in initiative 1", 2,
                                      "key_action_short"),
    "events_unknown_kind.csv": ("events", "'party' is not an event kind", 2, "kind"),
    "events_unknown_status.csv": ("events", "'finished' is not a status", 2, "status"),
}


def row_counts():
    """How many rows every table of the app holds, history tables included."""
    return {model.__name__: model.objects.count() for model in apps.get_app_config("initiatives").get_models()}


def test_every_file_of_the_corpus_has_an_expected_message():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malformed_file_is_rejected_with_its_message_and_writes_nothing(name, capsys):
    kind, message, line, column = EXPECTED[name]
    before = row_counts()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import", kind, str(CORPUS / name))
    assert message in capsys.readouterr().err
    assert row_counts() == before

    result = run_import(kind, (CORPUS / name).read_bytes(), name, dry_run=False)
    assert any(message in e.message and e.line == line and e.column == column for e in result.errors), result.errors
    assert row_counts() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys):
    big = tmp_path / "big.csv"
    big.write_bytes(b"member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note\n"
                    + b"x" * MAX_BYTES)
    with pytest.raises(CommandError, match="the limit is"):
        call_command("import", "infringements", str(big))
    result = run_import("infringements", big.read_bytes(), "big.csv", dry_run=False)
    assert "the limit is" in result.errors[0].message


def test_one_bad_row_among_good_ones_writes_none_of_them(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note\n"
                    "DE,INFR(2030)0100,letter_of_formal_notice,2025-01-05,https://example.org/a,high,\n"
                    "FR,INFR(2030)0101,letter_of_formal_notice,2025-01-05,https://example.org/a,high,\n"
                    "XX,INFR(2030)0102,letter_of_formal_notice,2025-01-05,https://example.org/a,high,\n",
                    encoding="utf-8")
    before = row_counts()
    with pytest.raises(CommandError):
        call_command("import", "infringements", str(path))
    assert row_counts() == before


def test_a_missing_file_is_a_clear_command_error():
    with pytest.raises(CommandError, match="no such file"):
        call_command("import", "events", "/nonexistent/file.csv")
