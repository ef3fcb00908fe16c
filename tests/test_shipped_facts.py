"""The facts of the shipped data that the public figures rest on, each with the source that backs it.

This is the one place a correction of fixtures/data/ should touch. The rules themselves are tested on small
data built by factories (test_state.py, test_register_import.py). Sources:

- REGISTER: fixtures/data/register/, four copies of the Commission's register of infringement decisions
  (24 August 2020, 22 June 2021, 11 January 2023, 24 April 2024); what they say about the Directive is
  summarised, checked by hand, in fixtures/data/register/README.md.
- RESEARCH: fixtures/data/infringements.csv and fixtures/data/README.md (press and Commission news items).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from initiatives import state
from initiatives.choices import ProcedureState, ProcedureType, Stage
from initiatives.models import Decision, InfringementProcedure, RegisterCopy

pytestmark = pytest.mark.django_db

COPIES = [date(2020, 8, 24), date(2021, 6, 22), date(2023, 1, 11), date(2024, 4, 24)]
# REGISTER, copy of 24 April 2024: 20 active cases about the Directive, in 20 Member States.
OPEN_IN_2024 = {"AT", "BE", "BG", "CZ", "EE", "EL", "ES", "FI", "HR", "HU", "IE", "IT", "LU", "LV", "MT", "PL",
                "PT", "RO", "SI", "SK"}


def procedures(day=None):
    return list(state.procedures(day).select_related("member_state"))


def test_the_four_copies_of_the_register_are_loaded_with_what_they_say_about_the_directive():
    # REGISTER README: rows and cases about Directive 2011/93/EU per copy
    copies = {c.taken_on: (c.rows, c.cases_about_act) for c in RegisterCopy.objects.all()}
    assert copies == {COPIES[0]: (2812, 23), COPIES[1]: (1697, 21), COPIES[2]: (1990, 22), COPIES[3]: (1579, 20)}


def test_20_procedures_are_open_in_20_member_states_as_the_register_of_24_april_2024_lists_them():
    # REGISTER, copy of 24 April 2024; no closure is recorded since (the later reasoned opinions are further
    # steps in those cases, recorded by staff when they come)
    open_ = [p for p in procedures() if p.state == ProcedureState.OPEN]
    assert {p.member_state.code for p in open_} == OPEN_IN_2024
    assert len(open_) == 20
    assert state.basis().describe().startswith("as listed in the Commission's register on 24 April 2024")


def test_the_overview_and_the_api_say_20_open_procedures_in_20_member_states(client):
    html = client.get(reverse("initiatives:overview")).content.decode()
    assert "open infringement procedures, in 20 Member States" in html
    assert "as listed in the Commission&#x27;s register on 24 April 2024" in html
    assert client.get("/api/infringement-procedures/", {"state": "open"}).json()["count"] == 20


@pytest.mark.parametrize("code, number, earliest, latest", [
    # REGISTER: listed on 24 August 2020, gone on 22 June 2021
    ("FR", "INFR(2019)2232", date(2020, 8, 24), date(2021, 6, 22)),
    ("LT", "INFR(2019)2134", date(2020, 8, 24), date(2021, 6, 22)),
    # REGISTER: listed on 11 January 2023, gone on 24 April 2024
    ("DE", "INFR(2019)2190", date(2023, 1, 11), date(2024, 4, 24)),
    ("SE", "INFR(2019)2114", date(2023, 1, 11), date(2024, 4, 24)),
])
def test_procedures_the_register_stopped_listing_are_closed_between_two_copies(code, number, earliest, latest):
    procedure = state.procedures().get(infr_number=number)
    assert procedure.member_state.code == code
    assert (procedure.state, procedure.closed_earliest, procedure.closed_latest) == (
        ProcedureState.CLOSED, earliest, latest)


def test_frances_page_shows_its_procedure_closed_between_24_august_2020_and_22_june_2021(client):
    html = client.get(reverse("initiatives:member_state_detail", args=["FR"])).content.decode()
    assert "closed between 24 August 2020 and 22 June 2021" in html


def test_no_non_communication_procedure_is_open_the_2014_cases_closed_before_the_first_copy():
    # RESEARCH: letters in January 2014 and reasoned opinions on 16 July 2015 to EL, ES, IT, MT, PT, RO;
    # REGISTER: none of them in any copy from 24 August 2020 on
    non_communication = [p for p in procedures() if p.type == ProcedureType.NON_COMMUNICATION]
    assert {p.member_state.code for p in non_communication} == {"EL", "ES", "IT", "MT", "PT", "RO"}
    for procedure in non_communication:
        assert (procedure.state, procedure.closed_earliest, procedure.closed_latest) == (
            ProcedureState.CLOSED, date(2015, 7, 16), date(2020, 8, 24)), procedure.member_state.code


def test_on_a_day_inside_the_closing_interval_frances_procedure_is_unknown():
    france = state.procedures(date(2021, 1, 1)).get(infr_number="INFR(2019)2232")
    assert france.state == ProcedureState.UNKNOWN


@pytest.mark.parametrize("code", ["CZ", "EE", "EL", "HR"])
def test_the_additional_letters_of_26_january_2023_are_recorded(code):
    # REGISTER, copy of 24 April 2024 (not 15 February 2023, as the others of that round)
    assert Decision.objects.filter(procedure__member_state__code=code, procedure__type=ProcedureType.NON_CONFORMITY,
                                   stage=Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, date=date(2023, 1, 26)).exists()


def test_every_procedure_in_the_register_has_its_infr_number():
    listed = InfringementProcedure.objects.filter(listings__isnull=False).distinct()
    assert listed.count() == 24  # 23 in 2020 and Ireland's, first listed in 2023
    assert not listed.filter(infr_number__isnull=True).exists()
    # only the 2014 non-communication cases, in no copy, keep an unknown number
    assert set(InfringementProcedure.objects.filter(infr_number__isnull=True).values_list("type", flat=True)) == {
        ProcedureType.NON_COMMUNICATION}


def test_a_decision_found_in_the_register_cites_the_copy_it_came_from():
    letter = Decision.objects.get(procedure__member_state__code="CZ", date=date(2023, 1, 26))
    assert [s.citation for s in letter.sources.all()] == [
        "Commission register of infringement decisions, copy of 24 April 2024"]


def test_a_link_keeps_its_closing_parenthesis_and_a_document_is_cited_once(client):
    """Issue 14, item 13: parltrack links were cut at "(COD"; "INFR no. from <link>" showed beside <link>."""
    from initiatives.models import Source

    source = Source.objects.get(citation="https://parltrack.org/dossier/2020/0259(COD)")
    assert source.url == "https://parltrack.org/dossier/2020/0259(COD)"
    html = client.get(reverse("initiatives:member_state_detail", args=["PT"])).content.decode()
    link = "https://www.europedirectmadeira.pt/comissao-europeia-avanca-com-procedimentos-de-infracao-contra-portugal/"
    assert html.count(f'href="{link}"') >= 1
    for sources in html.split('<details class="sources">')[1:]:  # each fact's list of sources
        assert sources.split("</details>")[0].count(f'href="{link}"') <= 1


def test_frances_factsheet_dates_its_latest_decision_to_the_letter_not_to_the_inferred_closure(client):
    # REGISTER: France's case was closed at some point between 24 August 2020 and 22 June 2021; its latest
    # decision on a known day is the letter of 10 October 2019 (RESEARCH)
    html = client.get(reverse("initiatives:member_state_detail", args=["FR"])).content.decode()
    facts = html[:html.index("Infringement procedures</h2>")]
    assert "10 October 2019" in facts and "24 August 2020" not in facts


def test_a_country_page_compares_its_factsheet_with_the_eu_average_and_the_list_ranks_by_findings(client):
    # 20 open procedures in the 26 bound Member States (REGISTER); 29 findings (fixtures/data/article_findings.csv)
    html = client.get(reverse("initiatives:member_state_detail", args=["DE"])).content.decode()
    assert "(EU average: 0.8)" in html
    ranked = client.get(reverse("initiatives:member_state_list") + "?sort=-findings").content.decode()
    assert "Findings on articles" in ranked
