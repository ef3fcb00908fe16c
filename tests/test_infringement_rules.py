"""The order rules of infringement decisions: a violation is a validation error that names the rule."""

import pytest
from django.core.exceptions import ValidationError

from initiatives.choices import ProcedureType, Stage
from initiatives.dates import PartialDate
from initiatives.importers import infringements
from initiatives.importers.tabular import read_table
from initiatives.models import Decision, InfringementProcedure, sequence_errors


def d(text):
    return PartialDate.parse(text) if text else None


def test_a_valid_sequence_has_no_error():
    assert sequence_errors([
        (Stage.LETTER_OF_FORMAL_NOTICE, d("2019-07-25")),
        (Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, d("2023-02-15")),
        (Stage.REASONED_OPINION, d("2024-01")),
        (Stage.REFERRAL, d("2025-03-01")),
        (Stage.JUDGMENT, d("2026")),
        (Stage.CLOSED, None),
    ]) == []


def test_no_reasoned_opinion_before_a_letter_of_formal_notice():
    [error] = sequence_errors([(Stage.REASONED_OPINION, d("2015-07-16"))])
    assert "must start with a letter of formal notice" in error


def test_a_judgment_needs_a_referral():
    [error] = sequence_errors([(Stage.LETTER_OF_FORMAL_NOTICE, d("2014-01")), (Stage.JUDGMENT, d("2016"))])
    assert "no referral to the Court" in error


def test_closure_is_last():
    errors = sequence_errors([(Stage.LETTER_OF_FORMAL_NOTICE, d("2014-01")), (Stage.CLOSED, d("2015")),
                              (Stage.REASONED_OPINION, d("2016-01-01"))])
    assert any("must be the last decision" in error for error in errors)


def test_dates_never_go_backwards():
    [error] = sequence_errors([(Stage.LETTER_OF_FORMAL_NOTICE, d("2019-10-10")),
                               (Stage.REASONED_OPINION, d("2019-09-01"))])
    assert "dates cannot go backwards" in error


def test_a_month_and_a_day_in_that_month_are_not_out_of_order():
    assert sequence_errors([(Stage.LETTER_OF_FORMAL_NOTICE, d("2014-01-27")),
                            (Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, d("2014-01"))]) == []


def test_article_260_3_is_only_for_non_communication():
    steps = [(Stage.LETTER_OF_FORMAL_NOTICE, d("2014")), (Stage.REASONED_OPINION, d("2015")),
             (Stage.REFERRAL_WITH_SANCTIONS, d("2016"))]
    assert sequence_errors(steps, ProcedureType.NON_COMMUNICATION) == []
    [error] = sequence_errors(steps, ProcedureType.NON_CONFORMITY)
    assert "260(3)" in error


@pytest.mark.django_db
def test_a_decision_that_breaks_the_order_is_a_validation_error_not_a_crash():
    procedure = InfringementProcedure.objects.get(member_state__code="DE")
    decision = Decision(procedure=procedure, position=2, stage=Stage.JUDGMENT, date=d("2020-01-01").value)
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "no referral to the Court" in str(error.value)


def import_rows(text):
    return infringements.run(read_table(text.encode(), "x.csv", required=infringements.REQUIRED,
                                        optional=infringements.OPTIONAL))


HEADER = "member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note\n"


@pytest.mark.django_db
def test_an_import_that_breaks_the_order_names_the_rule_and_is_rolled_back_by_the_caller():
    result = import_rows(HEADER + "NL,,reasoned_opinion,2020-01-01,https://example.org/a,high,\n")
    assert not result.ok
    assert "a procedure starts with a letter of formal notice" in str(result.errors[0])


@pytest.mark.django_db
def test_an_import_adds_a_reasoned_opinion_to_the_open_procedure():
    # Ireland's procedure (INFR(2019)2235): a letter of 15 July 2022, still listed by the register in 2024
    result = import_rows(HEADER + "IE,INFR(2019)2235,reasoned_opinion,2024-05,https://example.org/a,high,\n")
    assert result.ok, result.errors
    procedure = InfringementProcedure.objects.get(member_state__code="IE")
    assert [(x.position, x.stage) for x in procedure.decisions.all()] == [
        (1, Stage.LETTER_OF_FORMAL_NOTICE), (2, Stage.REASONED_OPINION)]


@pytest.mark.django_db
def test_an_import_with_a_decision_dated_before_the_letter_is_refused():
    result = import_rows(HEADER + "DE,,reasoned_opinion,2018-05,https://example.org/a,high,\n")
    assert not result.ok
    assert "must start with a letter of formal notice" in str(result.errors[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("line", "column", "message"), [
    ("XX,,letter_of_formal_notice,2020-01-01,https://e.org,high,", "member_state_code", "not an EU Member State"),
    ("DK,,letter_of_formal_notice,2020-01-01,https://e.org,high,", "member_state_code", "not bound"),
    ("NL,,letter_of_formal_notice,2020-13-01,https://e.org,high,", "decision_date", "not a real date"),
    ("NL,,letter_of_formal_notice,01/02/2020,https://e.org,high,", "decision_date", "not a date"),
    ("NL,,warning_letter,2020-01-01,https://e.org,high,", "stage", "not a stage"),
    ("NL,,letter_of_formal_notice,2020-01-01,,high,", "source_url_or_ref", "at least one source"),
    ("NL,,letter_of_formal_notice,2020-01-01,https://e.org,sure,", "confidence", "not a confidence"),
    ("NL,2019/2136,letter_of_formal_notice,2020-01-01,https://e.org,high,", "infr_number", "INFR(2019)2136"),
])
def test_a_bad_row_is_rejected_with_line_column_and_reason(line, column, message):
    result = import_rows(HEADER + line + "\n")
    [error] = result.errors
    assert (error.line, error.column) == (2, column)
    assert message in error.message


@pytest.mark.django_db
def test_a_duplicate_row_is_rejected():
    row = "NL,,letter_of_formal_notice,2020-01-01,https://e.org,high,\n"
    result = import_rows(HEADER + row + row)
    assert [e.line for e in result.errors] == [3]
    assert "repeats line 2" in result.errors[0].message


@pytest.mark.django_db
def test_the_load_command_writes_nothing_when_a_file_has_a_bad_row(tmp_path, settings):
    import shutil

    from django.core.management import CommandError, call_command

    shutil.copytree(settings.REAL_DATA_DIR, tmp_path, dirs_exist_ok=True)
    with (tmp_path / "infringements.csv").open("a", encoding="utf-8") as stream:
        stream.write("NL,,reasoned_opinion,2020-01-01,https://e.org,high,\n")
    count = Decision.objects.count()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_real_data", data_dir=str(tmp_path), stdout=open("/dev/null", "w"),
                     stderr=open("/dev/null", "w"))
    assert Decision.objects.count() == count
