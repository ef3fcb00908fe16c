"""Legislative files: the rules (current stage, next step, order, in force), the importer and the shipped files."""

from datetime import date

import pytest

from initiatives.choices import LegislativeStageKind as Kind
from initiatives.dates import PartialDate
from initiatives.importers import run_import
from initiatives.models import LegislativeFile, LegislativeStage
from initiatives.models.legislation import (
    Period,
    current_stage,
    gaps,
    in_force_period,
    next_step,
    order_errors,
    steps_on,
    time_in_stage,
)


def d(text):
    return PartialDate.parse(text)


CSA_REGULATION = [(Kind.PROPOSAL, d("2022-05-11")), (Kind.EP_COMMITTEE_VOTE, d("2023-11-14")),
                  (Kind.EP_PLENARY_FIRST_READING, d("2023-11-22")), (Kind.COUNCIL_GENERAL_APPROACH, d("2025-11-26")),
                  (Kind.TRILOGUE, d("2025-12-09")), (Kind.TRILOGUE, d("2026-06-29"))]


def test_a_file_in_its_fifth_trilogue_has_been_in_trilogue_since_the_first():
    assert current_stage(CSA_REGULATION)[0] == Kind.TRILOGUE
    assert time_in_stage(CSA_REGULATION) == d("2025-12-09")
    assert "provisional agreement" in next_step(CSA_REGULATION)


def test_after_both_positions_the_procedure_expects_trilogues_and_after_one_only_the_other():
    assert next_step(CSA_REGULATION[:4]) == str(Kind.TRILOGUE.label)
    assert next_step(CSA_REGULATION[:1]).startswith(str(Kind.EP_COMMITTEE_VOTE.label))
    assert next_step(CSA_REGULATION[:2]) == str(Kind.EP_PLENARY_FIRST_READING.label)
    assert next_step(CSA_REGULATION[:3]) == str(Kind.COUNCIL_GENERAL_APPROACH.label)


def test_a_council_first_reading_position_waits_for_parliaments_second_reading():
    steps = [(Kind.PROPOSAL, d("2025-12-19")), (Kind.COUNCIL_FIRST_READING_POSITION, d("2026-07-02"))]
    assert next_step(steps) == str(Kind.EP_SECOND_READING.label)
    assert next_step([*steps, (Kind.EP_SECOND_READING, d("2026-07-09"))]) == str(Kind.SIGNATURE.label)


def test_an_expired_or_withdrawn_file_expects_nothing_more():
    assert next_step([(Kind.PROPOSAL, d("2020-09-10")), (Kind.WITHDRAWAL, d("2021"))]) is None
    assert next_step([(Kind.ENTRY_INTO_FORCE, d("2021-08-02")), (Kind.EXPIRY, d("2024-08-03"))]) is None


def test_ties_on_one_day_follow_the_procedures_order():
    steps = [(Kind.SIGNATURE, d("2024-04-29")), (Kind.COUNCIL_ADOPTION, d("2024-04-29"))]
    assert current_stage(steps)[0] == Kind.SIGNATURE
    assert order_errors(steps) == []


def test_a_stage_before_the_proposal_breaks_the_order_rules():
    errors = order_errors([(Kind.PROPOSAL, d("2022-05-11")), (Kind.TRILOGUE, d("2021-12-01"))])
    assert len(errors) == 1 and "before the proposal" in errors[0]


def test_a_publication_before_the_adoption_breaks_the_order_rules():
    errors = order_errors([(Kind.PROPOSAL, d("2020-09-10")), (Kind.OJ_PUBLICATION, d("2021-07-01")),
                           (Kind.COUNCIL_ADOPTION, d("2021-07-12"))])
    assert len(errors) == 1 and "before the adoption" in errors[0]
    assert "no adoption" in order_errors([(Kind.OJ_PUBLICATION, d("2021-07-30"))])[0]


def test_a_stage_known_only_to_the_year_of_the_proposal_is_not_before_it():
    assert order_errors([(Kind.PROPOSAL, d("2023-11-30")), (Kind.PROVISIONAL_AGREEMENT, d("2023"))]) == []


def test_an_entry_into_force_before_the_publication_breaks_the_order_rules():
    errors = order_errors([(Kind.COUNCIL_ADOPTION, d("2021-07-12")), (Kind.OJ_PUBLICATION, d("2021-07-30")),
                           (Kind.ENTRY_INTO_FORCE, d("2021-07-20"))])
    assert len(errors) == 1 and "before the publication" in errors[0]


def test_the_interim_regulations_chain_leaves_no_legal_basis_from_4_april_to_30_july_2026():
    first = in_force_period([(Kind.ENTRY_INTO_FORCE, d("2021-08-02")), (Kind.EXPIRY, d("2024-08-03"))])
    extension = in_force_period([(Kind.ENTRY_INTO_FORCE, d("2024-05-15")), (Kind.EXPIRY, d("2026-04-03"))])
    # the reinstating file records the old act's expiry before its own entry into force: not its own end
    reinstated = in_force_period([(Kind.REJECTED, d("2026-03-26")), (Kind.EXPIRY, d("2026-04-03")),
                                  (Kind.ENTRY_INTO_FORCE, d("2026-07-31")), (Kind.EXPIRY, d("2028-04-03"))])
    assert reinstated == Period(date(2026, 7, 31), date(2028, 4, 3))
    assert gaps([first, extension, reinstated], date(2026, 11, 30)) == [Period(date(2026, 4, 4), date(2026, 7, 30))]
    # on 1 June 2026 the lapse had not ended yet
    assert gaps([first, extension], date(2026, 6, 1)) == [Period(date(2026, 4, 4), None)]


def test_an_act_not_yet_in_force_has_no_period():
    assert in_force_period(CSA_REGULATION) is None


def test_a_future_expiry_does_not_count_today():
    steps = [(Kind.ENTRY_INTO_FORCE, d("2026-07-31")), (Kind.EXPIRY, d("2028-04-03"))]
    assert current_stage(steps_on(steps, date(2026, 11, 30)))[0] == Kind.ENTRY_INTO_FORCE


# --- the shipped files ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_five_shipped_files_load_with_their_acts_and_mapped_stages():
    files = {f.reference: f for f in LegislativeFile.objects.with_related()}
    assert set(files) == {"2020/0259(COD)", "2023/0452(COD)", "2025/0429(COD)", "2022/0155(COD)", "2024/0035(COD)"}
    reinstating = files["2025/0429(COD)"]
    assert reinstating.act_number == "Regulation (EU) 2026/1881" and reinstating.act_celex == "32026R1881"
    stages = {s.stage for s in reinstating.stage_list}
    assert Kind.COUNCIL_FIRST_READING_POSITION in stages and Kind.EP_SECOND_READING in stages
    assert files["2022/0155(COD)"].proposal_reference == "COM(2022) 209"
    assert [ka.code for ka in files["2022/0155(COD)"].key_action_list] == ["2b"]
    assert files["2024/0035(COD)"].replaces.celex == "32011L0093"
    interim = files["2020/0259(COD)"]
    assert (interim.act_number, interim.act_celex, interim.act_oj) == (
        "Regulation (EU) 2021/1232", "32021R1232", "OJ L 274, 30.7.2021")


HEADER = "procedure_ref,short_title,legal_act,key_action,stage,date,detail,source_url_or_ref,confidence\n"


def csv(*rows):
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


NEW_FILE = csv("2030/0001(COD),A further file,,2b,proposal,2030-01-15,COM(2030) 1 proposed.,https://example.org/a,high",
               "2030/0001(COD),A further file,,2b,ep_committee_vote,2030-06,LIBE voted.,https://example.org/b,medium",
               "2030/0001(COD),A further file,,2b,trilogue,2030-09-01,First trilogue.,https://example.org/c,low")


@pytest.mark.django_db
def test_a_further_file_of_stages_imports_in_order_and_again_changes_nothing():
    result = run_import("legislation", NEW_FILE, "more.csv", dry_run=False)
    assert result.ok, result.errors
    assert result.created == 4
    file = LegislativeFile.objects.get(reference="2030/0001(COD)")
    assert file.proposal_reference == "COM(2030) 1"
    assert [s.stage for s in file.stages.order_by("date")] == [Kind.PROPOSAL, Kind.EP_COMMITTEE_VOTE, Kind.TRILOGUE]
    again = run_import("legislation", NEW_FILE, "more.csv", dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_a_dry_run_previews_and_writes_nothing():
    result = run_import("legislation", NEW_FILE, "more.csv", dry_run=True)
    assert result.ok and result.created == 4 and any("2030/0001(COD)" in change for change in result.changes)
    assert not LegislativeFile.objects.filter(reference="2030/0001(COD)").exists()


@pytest.mark.django_db
def test_a_publication_before_the_adoption_is_refused_and_nothing_is_written():
    data = csv("2030/0002(COD),Bad order,,2b,proposal,2030-01-15,COM(2030) 2.,https://example.org/a,high",
               "2030/0002(COD),Bad order,Regulation (EU) 2031/1,2b,oj_publication,2031-01-10,Published.,"
               "https://example.org/b,high",
               "2030/0002(COD),Bad order,Regulation (EU) 2031/1,2b,council_adoption,2031-02-01,Adopted.,"
               "https://example.org/c,high")
    result = run_import("legislation", data, "bad.csv", dry_run=False)
    assert any("before the adoption" in error.message for error in result.errors)
    assert not LegislativeFile.objects.filter(reference="2030/0002(COD)").exists()


@pytest.mark.django_db
def test_a_stage_before_a_recorded_proposal_is_refused():
    title = "Regulation laying down rules to prevent and combat child sexual abuse (CSA Regulation, incl. EU Centre)"
    data = csv(f'2022/0155(COD),"{title}",,2b,trilogue,2021-01-05,Too early.,https://example.org/a,high')
    result = run_import("legislation", data, "early.csv", dry_run=False)
    assert any("before the proposal" in error.message for error in result.errors)
    assert not LegislativeStage.objects.filter(date=date(2021, 1, 5)).exists()


@pytest.mark.django_db
def test_bad_cells_are_named_by_line_and_column():
    data = csv("2030-0003,T,,9z,adopted,03/04/2030,,,sure")
    result = run_import("legislation", data, "bad.csv", dry_run=False)
    columns = {error.column for error in result.errors}
    assert {"procedure_ref", "key_action", "stage", "date", "source_url_or_ref", "confidence"} <= columns
    assert all(error.line == 2 for error in result.errors)


@pytest.mark.django_db
def test_the_title_must_agree_across_a_files_rows():
    data = csv("2030/0004(COD),One title,,2b,proposal,2030-01-15,COM(2030) 4.,https://example.org/a,high",
               "2030/0004(COD),Another title,,2b,trilogue,2030-03-15,T.,https://example.org/b,high")
    result = run_import("legislation", data, "titles.csv", dry_run=False)
    assert [(e.line, e.column) for e in result.errors] == [(3, "short_title")]


@pytest.mark.django_db
def test_the_staff_export_imports_back_unchanged(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/staff/import/current/legislation/")
    assert response.status_code == 200
    result = run_import("legislation", response.content, "legislation.csv", dry_run=True)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)


# --- the pages ---------------------------------------------------------------------------------------------------


def add_files(count):
    from initiatives.models import KeyAction
    from tests.factories import LegislativeStageFactory

    action = KeyAction.objects.get(code="2b")
    for _n in range(count):
        proposal = LegislativeStageFactory(stage=Kind.PROPOSAL, date=date(2031, 1, 2))
        proposal.file.key_actions.add(action)
        LegislativeStageFactory(file=proposal.file, stage=Kind.TRILOGUE, date=date(2031, 3, 2))


@pytest.mark.django_db
def test_a_reader_sees_the_five_files_with_their_current_stage(client):
    response = client.get("/legislation/")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("(COD)</a>") == 5
    assert "trilogue since 9 December 2025" in text
    assert "no legal basis from 4 April 2026 to 30 July 2026" in text
    # the first act's recorded end was not the end: a later file of 2a extended it before then
    assert "to 3 August 2024; extended to 3 April 2026 by 2023/0452(COD)" in text
    assert 'href="/legislation/"' in text  # the navigation link


@pytest.mark.django_db
def test_on_a_past_day_the_list_shows_the_stage_then_and_leaves_out_files_not_yet_proposed(client):
    text = client.get("/legislation/?as_of=2024-01-01").content.decode()
    assert "2025/0429(COD)" not in text and "2024/0035(COD)" not in text
    assert "Parliament plenary: first-reading position or mandate since 22 November 2023" in text


@pytest.mark.django_db
def test_the_file_page_shows_its_stages_the_official_records_and_its_key_action(client):
    response = client.get("/legislation/2025-0429-COD/")
    text = response.content.decode()
    assert "Regulation (EU) 2026/1881 applies" in text
    assert "oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2025/0429(COD)" in text
    assert "eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32026R1881" in text
    assert "consilium.europa.eu" in text
    assert "Council position at first reading" in text and "Parliament second reading" in text
    assert 'id="chart-legislation"' in text


@pytest.mark.django_db
def test_the_file_page_on_a_day_before_the_proposal_says_so(client):
    text = client.get("/legislation/2025-0429-COD/?as_of=2024-01-01").content.decode()
    assert "had not proposed this file by that day" in text
    assert "2026/1881" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/legislation/nothing/", "/legislation/2099-0001-COD/", "/legislation/2022-0155-cod/"])
def test_an_unknown_file_is_a_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/legislation/", "/legislation/2022-0155-COD/"])
def test_the_pages_make_the_same_number_of_queries_with_more_files(client, django_assert_num_queries, url):
    client.get(url)  # warm caches (session, site)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add_files(20)
    with django_assert_num_queries(len(small)):
        client.get(url)


@pytest.mark.django_db
def test_staff_user_adds_a_stage_and_it_is_audited(client, staff_user):
    file = LegislativeFile.objects.get(reference="2022/0155(COD)")
    client.force_login(staff_user)
    response = client.post(f"/staff/legislation/{file.pk}/stages/add/", {
        "stage": Kind.PROVISIONAL_AGREEMENT, "date": "2026-10", "detail": "Agreement reported.",
        "sources": "https://example.org/agreement", "confidence": "low", "reason": "new report", "version": 0})
    assert response.status_code == 302
    stage = file.stages.get(stage=Kind.PROVISIONAL_AGREEMENT)
    assert stage.date_precision == "month"
    record = stage.history.first()
    assert record.history_user == staff_user and record.history_change_reason == "new report"


@pytest.mark.django_db
def test_staff_user_cannot_add_a_publication_before_any_adoption(client, staff_user):
    file = LegislativeFile.objects.get(reference="2022/0155(COD)")
    client.force_login(staff_user)
    response = client.post(f"/staff/legislation/{file.pk}/stages/add/", {
        "stage": Kind.OJ_PUBLICATION, "date": "2026-10-01", "detail": "", "sources": "https://example.org/x",
        "confidence": "low", "version": 0})
    assert response.status_code == 200
    assert "no adoption" in response.content.decode()
    assert not file.stages.filter(stage=Kind.OJ_PUBLICATION).exists()


@pytest.mark.django_db
def test_liaison_de_cannot_edit_stages(client, liaison_de):
    client.force_login(liaison_de)
    assert client.get("/staff/legislation/").status_code in (403, 404)


# --- key actions: the commitment and its outcome -----------------------------------------------------------------


@pytest.mark.django_db
def test_key_action_2b_reads_delivered_late_on_11_may_2022_with_its_regulation_in_trilogue():
    from django.template.loader import render_to_string

    from initiatives.models import KeyAction
    from initiatives.views.legislation import attach_outcomes

    action = KeyAction.objects.select_related("initiative__strategy").get(code="2b")
    assert action.status == "delivered_late" and action.when == d("2022-05-11")
    attach_outcomes([action], None)
    assert [state.file.reference for state in action.outcome_states] == ["2022/0155(COD)"]
    action.source_list, action.slippage = [], ""
    block = render_to_string("initiatives/includes/key_action.html", {"action": action})
    assert "delivered late" in block and "11 May 2022" in block
    assert "2022/0155(COD)" in block and "trilogue since 9 December 2025" in block


@pytest.mark.django_db
def test_the_shipped_statuses_of_2a_and_3_follow_the_corrections():
    from initiatives.models import KeyAction

    statuses = {ka.code: (ka.status, ka.when) for ka in KeyAction.objects.filter(code__in=["2a", "3"])}
    assert statuses["2a"] == ("delivered", d("2020-09-10"))
    assert statuses["3"] == ("delivered_late", d("2021-09"))


@pytest.mark.django_db
def test_a_key_action_cannot_be_delivered_without_a_delivery_date_or_late_without_a_deadline():
    from django.core.exceptions import ValidationError

    from initiatives.models import KeyAction

    action = KeyAction.objects.get(code="8")
    action.status = "delivered_late"
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert {"date", "status"} <= set(error.value.message_dict)


@pytest.mark.django_db
def test_the_initiative_page_shows_2b_delivered_late_beside_its_regulation_in_trilogue(client):
    text = client.get("/initiatives/2/").content.decode()
    block = text.split('id="action-2b"')[1].split("</article>")[0]
    assert "delivered late" in block and "11 May 2022" in block
    assert "2022/0155(COD)" in block and "trilogue since 9 December 2025" in block


# --- API, open data, feed ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_lists_the_files_with_their_state_and_stages(client):
    body = client.get("/api/legislative-files/").json()
    files = {f["reference"]: f for f in body["results"]}
    assert len(files) == 5
    csa = files["2022/0155(COD)"]
    assert (csa["current_stage"], csa["current_since"], csa["key_actions"]) == ("trilogue", "2025-12-09", ["2b"])
    reinstating = files["2025/0429(COD)"]
    assert (reinstating["in_force_from"], reinstating["in_force_until"]) == ("2026-07-31", "2028-04-03")
    assert reinstating["stages"][0]["sources"]


@pytest.mark.django_db
def test_the_api_on_a_past_day_leaves_out_files_not_yet_proposed_and_refuses_a_bad_day(client):
    body = client.get("/api/legislative-files/?as_of=2021-01-01").json()
    assert [f["reference"] for f in body["results"]] == ["2020/0259(COD)"]
    assert body["results"][0]["current_stage"] == "proposal"
    assert client.get("/api/legislative-files/?as_of=someday").status_code == 400


@pytest.mark.django_db
def test_the_api_detail_is_addressed_by_the_reference_and_an_unknown_one_is_a_404(client):
    assert client.get("/api/legislative-files/2024-0035-COD/").json()["replaces"] == "32011L0093"
    assert client.get("/api/legislative-files/2024-0035/").status_code == 404


@pytest.mark.django_db
def test_the_open_data_table_of_stages_imports_back_unchanged(client):
    response = client.get("/open-data/legislative_stages.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    result = run_import("legislation", content, "legislative_stages.csv", dry_run=True)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 46)


@pytest.mark.django_db
def test_a_stage_staff_add_appears_in_the_feed(client, staff_user):
    file = LegislativeFile.objects.get(reference="2022/0155(COD)")
    client.force_login(staff_user)
    client.post(f"/staff/legislation/{file.pk}/stages/add/", {
        "stage": Kind.TRILOGUE, "date": "2026-11-20", "detail": "Seventh trilogue.",
        "sources": "https://example.org/seventh", "confidence": "low", "version": 0})
    client.logout()
    text = client.get("/feed/").content.decode()
    assert "Legislative file 2022/0155(COD): trilogue, 20 November 2026" in text


@pytest.mark.django_db
def test_the_directive_page_says_where_its_recast_stands(client):
    text = client.get("/directive/").content.decode()
    assert "Its successor:" in text and "2024/0035(COD)" in text
    assert "provisional agreement since 22 June 2026" in text
    past = client.get("/directive/?as_of=2024-12-31").content.decode()
    assert "Council general approach or mandate since 13 December 2024" in past
    assert "Its successor:" not in client.get("/directive/?as_of=2023-12-31").content.decode()


# --- the commitment, its derived status and staff's override ----------------------------------------------------


def test_a_propose_commitment_is_delivered_on_its_files_proposal_and_late_after_its_deadline():
    from initiatives.models import KeyAction

    action = KeyAction(commitment="propose", deadline=date(2021, 4, 1), deadline_precision="quarter")
    assert action.derived_status([d("2022-05-11"), d("2023-11-30")]) == ("delivered_late", d("2022-05-11"))
    assert action.derived_status([d("2021-06-30")]) == ("delivered", d("2021-06-30"))
    assert KeyAction(commitment="propose").derived_status([d("2020-09-10")]) == ("delivered", d("2020-09-10"))
    assert KeyAction(commitment="launch").derived_status([d("2020-09-10")]) is None
    assert action.derived_status([]) is None


@pytest.mark.django_db
def test_the_shipped_key_actions_state_their_commitment_and_outcome(client):
    from initiatives.models import KeyAction

    commitments = dict(KeyAction.objects.values_list("code", "commitment"))
    assert (commitments["2a"], commitments["2b"], commitments["3"], commitments["5"]) == (
        "propose", "propose", "launch", "set_up")
    block = client.get("/initiatives/2/").content.decode().split('id="action-2b"')[1].split("</article>")[0]
    assert "to propose" in block and 'what should come of it: <span lang="en">the CSA Regulation' in block


@pytest.mark.django_db
def test_a_proposal_staff_add_to_a_propose_commitments_file_delivers_it(client, staff_user):
    from initiatives.models import KeyAction

    action = KeyAction.objects.get(code="2-europol")  # commitment: propose; no file yet
    file = LegislativeFile.objects.create(reference="2020/0400(COD)", title="Europol mandate")
    file.key_actions.add(action)
    client.force_login(staff_user)
    client.post(f"/staff/legislation/{file.pk}/stages/add/", {
        "stage": Kind.PROPOSAL, "date": "2021-02-01", "detail": "A proposal.", "sources": "https://example.org/p",
        "confidence": "high", "version": 0})
    action.refresh_from_db()  # its deadline is Q4 2020
    assert (action.status, action.when) == ("delivered_late", d("2021-02-01"))


def key_action_post(client, action, **changes):
    from tests.test_review_flow import form_values

    url = f"/staff/key-actions/{action.pk}/"
    return client.post(url, form_values(client.get(url), **changes))


@pytest.mark.django_db
def test_staff_user_cannot_override_a_derived_status_without_a_reason_and_a_source(client, staff_user):
    from initiatives.models import KeyAction

    action = KeyAction.objects.get(code="2b")
    client.force_login(staff_user)
    response = key_action_post(client, action, status="partially_delivered")
    assert response.status_code == 200 and "needs a reason and a source" in response.content.decode()
    assert KeyAction.objects.get(pk=action.pk).status == "delivered_late"


@pytest.mark.django_db
def test_a_status_staff_set_with_a_reason_and_a_source_says_so_and_survives_a_reimport(client, staff_user):
    from initiatives.models import KeyAction

    action = KeyAction.objects.get(code="2b")
    client.force_login(staff_user)
    response = key_action_post(client, action, status="partially_delivered", status_reason="Only part proposed.",
                               status_source="https://example.org/why")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status_set_by_staff and action.status == "partially_delivered"
    run_import("legislation", NEW_FILE, "more.csv", dry_run=False)
    assert KeyAction.objects.get(pk=action.pk).status == "partially_delivered"
    client.logout()
    block = client.get("/initiatives/2/").content.decode().split('id="action-2b"')[1].split("</article>")[0]
    assert "set by staff" in block and "Only part proposed." in block


@pytest.mark.django_db
@pytest.mark.parametrize("changes,message", [
    ({"stage": "adopted"}, "Select a valid choice"),
    ({"date": "03/04/2026"}, "is not a date"),
    ({"date": "2026-13"}, "is not a date"),
    ({"sources": ""}, "Give at least one source"),
    ({"detail": "d" * 2001}, "at most 2000 characters"),
])
def test_staff_user_gets_a_clear_message_for_a_bad_stage_and_nothing_is_saved(client, staff_user, changes, message):
    file = LegislativeFile.objects.get(reference="2022/0155(COD)")
    before = LegislativeStage.history.count()
    client.force_login(staff_user)
    values = {"stage": Kind.TRILOGUE, "date": "2026-10-01", "detail": "", "sources": "https://example.org/x",
              "confidence": "low", "version": 0, **changes}
    response = client.post(f"/staff/legislation/{file.pk}/stages/add/", values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LegislativeStage.history.count() == before


@pytest.mark.django_db
def test_a_stage_edited_in_between_refuses_the_later_save(client, staff_user):
    stage = LegislativeStage.objects.filter(file__reference="2022/0155(COD)", stage=Kind.TRILOGUE).first()
    client.force_login(staff_user)
    url = f"/staff/legislation/stages/{stage.pk}/"
    from tests.test_review_flow import form_values

    stale = form_values(client.get(url), detail="My change.")
    client.post(url, form_values(client.get(url), detail="Someone else's change."))
    response = client.post(url, stale)
    assert response.status_code == 409
    stage.refresh_from_db()
    assert stage.detail == "Someone else's change."


@pytest.mark.django_db
def test_the_overview_shows_each_commitment_apart_from_what_came_of_it(client):
    text = client.get("/").content.decode()
    block = text.split('id="commitments-heading"')[1].split("</section>")[0]
    line = block.split('href="/initiatives/2/#action-2b"')[1].split("</li>")[0]
    assert "to propose" in line and "delivered late" in line and "11 May 2022" in line
    assert "2022/0155(COD)" in line and "trilogue since 9 December 2025" in line
    past = client.get("/?as_of=2021-12-31").content.decode().split('id="commitments-heading"')[1]
    assert "2022/0155(COD)" not in past.split("</section>")[0]  # not yet proposed then
