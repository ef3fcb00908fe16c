"""Copies of the Commission's register: read in every shape it has had, and reconciled with the records by the
rules of initiatives/importers/register.py, on a legal act of the tests' own (factories)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from initiatives import state
from initiatives.choices import ProcedureState, ProcedureType, Stage
from initiatives.importers.register import classify, read_infr_number, run_file
from initiatives.models import Decision, InfringementProcedure, RegisterCopy
from tests.factories import DecisionFactory, LegalActFactory, ProcedureFactory
from tests.test_staff_queries import STAFF_REQUEST

pytestmark = pytest.mark.django_db


@pytest.fixture
def act():
    return LegalActFactory(register_patterns="2099/7")


def title(extra=""):
    return f"NON-COMPLIANCE WITH DIRECTIVE 2099/7/EU {extra}".strip()


def shape_b(*cases, other=1):
    """One row per case, decisions one per line (the 2021-2023 shape), plus `other` cases about other acts."""
    rows = [{"Infringement_number": number, "Decision": "\n".join(decisions), "Country": country,
             "Policy_area___Department_in_charge": "Justice", "Title": title(),
             "Active_infringement_cases": "Yes", "Non_communication_cases": nc}
            for number, country, nc, decisions in cases]
    rows += [{"Infringement_number": f"INFR(2020){i:04d}", "Decision": "23/11/2020 Formal notice Art. 258 TFEU\n",
              "Country": "Spain", "Policy_area___Department_in_charge": "Environment", "Title": "Birds and habitats",
              "Active_infringement_cases": "Yes", "Non_communication_cases": "No"} for i in range(other)]
    return json.dumps(rows).encode()


def load(act, data, taken_on, name="copy.json", **kwargs):
    return run_file(data, name, taken_on=taken_on, dry_run=kwargs.pop("dry_run", False), legal_act=act, **kwargs)


def on(procedure, day=None):
    return state.procedures(day, InfringementProcedure.objects.filter(pk=procedure.pk)).get()


# --- reading ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, stage", [
    ("Formal notice Art. 258 TFEU", Stage.LETTER_OF_FORMAL_NOTICE),
    ("Letter of formal notice Article 258 TFEU - Article 260(3) TFEU", Stage.LETTER_OF_FORMAL_NOTICE),
    ("Formal notice Art. 260 TFEU", Stage.ART_260_2_LETTER),
    ("2nd additional formal notice Art. 258 TFEU + Press release", Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE),
    ("Kompletterande formell underrättelse art. 258 FEUF", Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE),
    ("Formell underrättelse art. 258 FEUF + pressmeddelande", Stage.LETTER_OF_FORMAL_NOTICE),
    ("Reasoned opinion Article 258 TFEU + Article 260(3) TFEU", Stage.REASONED_OPINION),
    ("Motiverat yttrande art. 258 FEUF", Stage.REASONED_OPINION),
    ("Additional reasoned opinion Art. 258 TFEU", Stage.ADDITIONAL_REASONED_OPINION),
    ("Avis motivé art. 258 TFUE", Stage.REASONED_OPINION),
    ("Lettre de mise en demeure art. 258 TFUE", Stage.LETTER_OF_FORMAL_NOTICE),
    ("Referral to Court Art. 258 TFEU", Stage.REFERRAL),
    ("Referral to Court Art. 258 TFEU + Art. 260(3) TFEU", Stage.REFERRAL_WITH_SANCTIONS),
    ("Hänskjutande till domstol art. 258 FEUF", Stage.REFERRAL),
    ("Referral to Court Art. 260 TFEU", Stage.ART_260_2_REFERRAL),
])
def test_decision_types_are_recognised_by_meaning_in_english_swedish_and_french(text, stage):
    assert classify(text) == (stage, "")


@pytest.mark.parametrize("text", ["Referral to Court Art. 258 TFEU - Deferral", "Modified financial sanction",
                                  "Ändrad ekonomisk påföljd", "Partial withdrawal"])
def test_steps_the_tracker_does_not_record_are_named_not_guessed(text):
    stage, why = classify(text)
    assert stage is None and why and why != "?"


def test_an_unknown_decision_type_is_not_guessed():
    assert classify("Something else entirely") == (None, "?")


@pytest.mark.parametrize("value", [20192230, "20192230", "INFR(2019)2230", "2019/2230", 20192230.0])
def test_infr_numbers_are_read_in_every_form_the_register_has_used(value):
    assert read_infr_number(value) == "INFR(2019)2230"


def test_shape_a_one_row_per_decision_with_numeric_numbers_builds_one_case(act):
    rows = [{"Infringement_number": 20992001, "Decision_date": day, "Decision_type": kind, "Press_release": "",
             "Memo": "", "Member_state": "Luxemburg", "Policy_area___Department_in_charge": "Justice",
             "Title": title(), "Active_infringement_cases": "Yes", "Non_communication": "No"}
            for day, kind in [("2019/10/10", "Formal notice Art. 258 TFEU"),
                              ("2023/02/15", "Additional formal notice Art. 258 TFEU")]]
    result = load(act, json.dumps(rows).encode(), date(2024, 4, 24))
    assert result.ok, result.errors
    procedure = InfringementProcedure.objects.get(infr_number="INFR(2099)2001")
    assert procedure.member_state.code == "LU" and procedure.type == ProcedureType.NON_CONFORMITY
    assert [(d.stage, d.date) for d in procedure.decisions.all()] == [
        (Stage.LETTER_OF_FORMAL_NOTICE, date(2019, 10, 10)),
        (Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, date(2023, 2, 15))]


def test_shape_c_swedish_headings_and_names(act):
    rows = [{"Överträdelse nummer": "INFR(2099)2002", "Décision": "10/10/2019 Formell underrättelse art. 258 FEUF\n"
             "26/01/2023 Kompletterande formell underrättelse art. 258 FEUF", "Medlemsland": "Tjeckien",
             "Politikområde": {"ansvarig avdelning": "GD Rättsliga frågor"}, "Titel": title(), "Pågående": "Ja",
             "Ärenden om utebliven anmälan": "Nej"}]
    result = load(act, json.dumps(rows).encode(), date(2024, 4, 24))
    assert result.ok, result.errors
    procedure = InfringementProcedure.objects.get(infr_number="INFR(2099)2002")
    assert procedure.member_state.code == "CZ"
    assert procedure.decisions.last().date == date(2023, 1, 26)


def test_a_csv_copy_with_bom_and_semicolons_and_an_xlsx_copy_read_the_same(act):
    header = ["Infringement number", "Decision", "Member state", "Title", "Non-communication cases"]
    row = ["INFR(2099)2003", "10/10/2019 Formal notice Art. 258 TFEU", "Croatia", title(), "No"]
    csv_bytes = ("\ufeff" + ";".join(header) + "\r\n" + ";".join(row) + "\r\n").encode("utf-8")
    result = load(act, csv_bytes, date(2021, 6, 22), "copy.csv")
    assert result.ok, result.errors and result.cases_about_act == 1
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(["INFR(2099)2004", *row[1:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = load(act, buffer.getvalue(), date(2021, 6, 23), "copy.xlsx")
    assert result.ok, result.errors
    assert InfringementProcedure.objects.filter(infr_number__in=["INFR(2099)2003", "INFR(2099)2004"]).count() == 2


def test_an_unrecognised_heading_is_reported_by_name_and_a_missing_one_refuses_the_file(act):
    rows = json.loads(shape_b(("INFR(2099)2005", "Malta", "No", ["10/10/2019 Formal notice Art. 258 TFEU"])))
    rows[0]["Colour of the sky"] = "blue"
    result = load(act, json.dumps(rows).encode(), date(2021, 6, 22), dry_run=True)
    assert result.ok and any("'Colour of the sky'" in warning for warning in result.warnings)
    for row in rows:
        del row["Country"]
    result = load(act, json.dumps(rows).encode(), date(2021, 6, 22))
    assert not result.ok and "member state" in str(result.errors[0])
    assert not RegisterCopy.objects.filter(taken_on=date(2021, 6, 22), legal_act=act).exists()


def test_one_unreadable_decision_and_nothing_is_written(act):
    data = shape_b(("INFR(2099)2006", "Malta", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]),
                   ("INFR(2099)2007", "Malta", "No", ["10/10/2019 Something nobody knows"]))
    result = load(act, data, date(2021, 6, 22))
    assert not result.ok and "Something nobody knows" in str(result.errors[0])
    assert not InfringementProcedure.objects.filter(legal_act=act).exists()
    assert not RegisterCopy.objects.filter(legal_act=act).exists()


def test_cases_about_other_acts_are_counted_and_ignored(act):
    result = load(act, shape_b(("INFR(2099)2008", "Malta", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]),
                               other=3), date(2021, 6, 22))
    assert (result.cases, result.cases_about_act) == (4, 1)
    assert InfringementProcedure.objects.filter(legal_act=act).count() == 1


def test_a_copy_from_the_future_is_refused(act):
    result = load(act, shape_b(), date(2999, 1, 1))
    assert not result.ok and "future" in str(result.errors[0])


# --- reconciling -----------------------------------------------------------------------------------------------


def test_a_case_is_matched_by_its_first_letter_and_its_number_recorded(act):
    procedure = ProcedureFactory(legal_act=act)
    DecisionFactory(procedure=procedure, when="2019-10-10")
    result = load(act, shape_b(("INFR(2099)2010", "France", "No", ["10/10/2019 Formal notice Art. 258 TFEU"])),
                  date(2020, 8, 24))
    assert result.ok, result.errors
    procedure.refresh_from_db()
    assert procedure.infr_number == "INFR(2099)2010"
    assert InfringementProcedure.objects.filter(legal_act=act).count() == 1
    assert on(procedure).last_listed == date(2020, 8, 24)


def test_a_procedure_the_next_copy_no_longer_lists_is_closed_between_its_last_listing_and_that_copy(act):
    procedure = ProcedureFactory(legal_act=act, infr_number="INFR(2099)2011")
    DecisionFactory(procedure=procedure, when="2019-10-10")
    listed = shape_b(("INFR(2099)2011", "France", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]))
    assert load(act, listed, date(2020, 8, 24)).ok
    result = load(act, shape_b(), date(2021, 6, 22))
    assert result.ok and result.sections["closed"]
    seen = on(procedure)
    assert (seen.state, seen.closed_earliest, seen.closed_latest) == (
        ProcedureState.CLOSED, date(2020, 8, 24), date(2021, 6, 22))
    closure = procedure.decisions.get(stage=Stage.CLOSED)
    assert [s.citation for s in closure.sources.all()] == [
        "Commission register of infringement decisions, copy of 22 June 2021"]


def test_copies_in_any_order_narrow_the_interval_and_never_reopen(act):
    procedure = ProcedureFactory(legal_act=act, infr_number="INFR(2099)2012")
    DecisionFactory(procedure=procedure, when="2019-10-10")
    assert load(act, shape_b(), date(2024, 4, 24), "newest.json").ok  # not listed: closed 2019-10-10 .. 2024-04-24
    assert (on(procedure).closed_earliest, on(procedure).closed_latest) == (date(2019, 10, 10), date(2024, 4, 24))
    assert load(act, shape_b(other=2), date(2021, 6, 22), "older.json").ok  # not listed either: narrows the end
    assert on(procedure).closed_latest == date(2021, 6, 22)
    listed = shape_b(("INFR(2099)2012", "France", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]))
    assert load(act, listed, date(2020, 8, 24), "oldest.json").ok  # listed: narrows the start, never reopens
    seen = on(procedure)
    assert (seen.state, seen.closed_earliest, seen.closed_latest) == (
        ProcedureState.CLOSED, date(2020, 8, 24), date(2021, 6, 22))
    listed_again = shape_b(("INFR(2099)2012", "France", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]), other=3)
    later = load(act, listed_again, date(2023, 1, 11), "again.json")  # listed after its closure: shown, not applied
    assert later.ok and later.sections["disagreements"]
    assert on(procedure).state == ProcedureState.CLOSED


def test_the_same_copy_twice_changes_nothing(act):
    data = shape_b(("INFR(2099)2013", "Malta", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]))
    assert load(act, data, date(2021, 6, 22)).ok
    before = (Decision.objects.count(), InfringementProcedure.objects.count(), RegisterCopy.objects.count())
    again = load(act, data, date(2021, 6, 22))
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert (Decision.objects.count(), InfringementProcedure.objects.count(), RegisterCopy.objects.count()) == before


def test_a_new_decision_is_added_in_date_order_and_a_disagreeing_date_is_shown_not_overwritten(act):
    procedure = ProcedureFactory(legal_act=act, infr_number="INFR(2099)2014")
    DecisionFactory(procedure=procedure, when="2019-10-10")
    DecisionFactory(procedure=procedure, stage=Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, when="2023-02-16")
    data = shape_b(("INFR(2099)2014", "France", "No", [
        "10/10/2019 Formal notice Art. 258 TFEU", "15/07/2022 Additional formal notice Art. 258 TFEU",
        "15/02/2023 Additional formal notice Art. 258 TFEU"]))
    result = load(act, data, date(2024, 4, 24))
    assert result.ok, result.errors
    assert [(d.position, d.date) for d in procedure.decisions.order_by("position")] == [
        (1, date(2019, 10, 10)), (2, date(2022, 7, 15)), (3, date(2023, 2, 16))]
    assert any("15 February 2023" in line and "16 February 2023" in line for line in result.sections["disagreements"])


def test_a_month_known_decision_is_narrowed_to_the_registers_day(act):
    procedure = ProcedureFactory(legal_act=act, infr_number="INFR(2099)2015")
    DecisionFactory(procedure=procedure, when="2019-10")
    assert load(act, shape_b(("INFR(2099)2015", "France", "No", ["10/10/2019 Formal notice Art. 258 TFEU"])),
                date(2020, 8, 24)).ok
    assert procedure.decisions.get().when.isoformat() == "2019-10-10"


def test_an_ambiguous_case_is_reported_and_its_candidates_left_alone(act):
    twins = [ProcedureFactory(legal_act=act) for _ in range(2)]
    for twin in twins:
        DecisionFactory(procedure=twin, when="2019-10-10")
    result = load(act, shape_b(("INFR(2099)2016", "France", "No", ["10/10/2019 Formal notice Art. 258 TFEU"])),
                  date(2020, 8, 24))
    assert result.ok and result.sections["unmatched"]
    assert all(on(twin).state == ProcedureState.OPEN and on(twin).infr_number is None for twin in twins)


def test_a_dry_run_writes_nothing(act):
    result = load(act, shape_b(("INFR(2099)2017", "Malta", "No", ["10/10/2019 Formal notice Art. 258 TFEU"])),
                  date(2021, 6, 22), dry_run=True)
    assert result.ok and result.created == 2  # the procedure and its letter
    assert not InfringementProcedure.objects.filter(legal_act=act).exists()
    assert not RegisterCopy.objects.filter(legal_act=act).exists()


def test_the_command_needs_the_day_the_copy_was_taken(tmp_path: Path, capsys):
    copy = tmp_path / "register.json"
    copy.write_bytes(shape_b())
    with pytest.raises(CommandError, match="--taken-on"):
        call_command("import", "register", str(copy))
    call_command("import", "register", str(copy), "--taken-on", "2021-06-22", "--dry-run")
    assert "Dry run: nothing was saved." in capsys.readouterr().out


def test_staff_see_the_list_of_copies_with_their_day_file_and_checksum(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/staff/register-copies/").content.decode()
    copy = RegisterCopy.objects.get(taken_on=date(2024, 4, 24))
    assert "24 April 2024" in html and copy.file_name in html and copy.sha256[:16] in html
    assert "with the shipped data" in html


@pytest.mark.parametrize("extra", [0, 5])
def test_the_list_of_copies_costs_the_same_queries_however_many_there_are(client, staff_user, act, extra,
                                                                          django_assert_num_queries):
    from tests.factories import RegisterCopyFactory

    for _ in range(extra):
        RegisterCopyFactory(legal_act=act)
    client.force_login(staff_user)
    # 1-5 every logged-in staff page (tests/test_staff_queries.py: STAFF_REQUEST), 6 the copies with their act,
    # importer and source
    with django_assert_num_queries(STAFF_REQUEST + 1):
        assert client.get("/staff/register-copies/").status_code == 200


def test_a_copy_with_only_the_acts_cases_may_be_filtered_and_closes_nothing(act):
    procedure = ProcedureFactory(legal_act=act, infr_number="INFR(2099)2020")
    DecisionFactory(procedure=procedure, when="2019-10-10")
    result = load(act, shape_b(("INFR(2099)2021", "Malta", "No", ["10/10/2019 Formal notice Art. 258 TFEU"]), other=0),
                  date(2021, 6, 22))
    assert result.ok and any("filtered" in warning for warning in result.warnings)
    assert on(procedure).state == ProcedureState.OPEN


def test_staff_preview_then_apply_a_copy_of_the_register_from_the_import_page(client, staff_user):
    whole = json.loads((Path(__file__).parent.parent / "fixtures/data/register/register_2024-04-24.json").read_text())
    data = json.dumps(whole, indent=2).encode()  # the same register, saved again: another file
    client.force_login(staff_user)
    missing_day = client.post("/staff/import/", {"kind": "register", "file": _upload(data)})
    assert "Give the day the copy of the register was taken." in missing_day.content.decode()
    preview = client.post("/staff/import/", {"kind": "register", "taken_on": "2024-05-01", "file": _upload(data)})
    html = preview.content.decode()
    assert "Listed as active (20)" in html and "Closed (no longer listed)" not in html
    assert not RegisterCopy.objects.filter(taken_on=date(2024, 5, 1)).exists()
    applied = client.post("/staff/import/", {"token": preview.context["token"]})
    assert applied.status_code == 200
    copy = RegisterCopy.objects.get(taken_on=date(2024, 5, 1))
    assert (copy.imported_by, copy.cases_about_act) == (staff_user, 20)
    assert state.basis().describe().startswith("as listed in the Commission's register on 1 May 2024")


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("register-copy.json", data, content_type="application/json")


@pytest.mark.parametrize("text", ["٢٠١٩/٢٢٣٠", "2019/223٠"])
def test_numbers_and_dates_in_other_scripts_digits_are_not_read_as_ascii_ones(text):
    from initiatives.dates import DateParseError, PartialDate
    from initiatives.importers.register import read_day

    assert read_infr_number(text) is None
    assert read_day("٢٤/٠١/٢٠١٩ Formal notice")[0] is None
    with pytest.raises(DateParseError):
        PartialDate.parse("٢٠١٩-٠١-٢٤")
