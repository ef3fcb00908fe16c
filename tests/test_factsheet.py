"""The factsheet that opens a Member State's page: built from what the page already read."""

from datetime import date
from types import SimpleNamespace

import pytest

from initiatives.views.factsheet import factsheet


def procedure(state, *stages):
    return SimpleNamespace(state=state, decision_list=[SimpleNamespace(stage=stage, date=day, date_precision="day")
                                                       for stage, day in stages])


def test_the_factsheet_counts_open_procedures_their_furthest_stage_and_the_time_since_the_last_decision():
    procedures = [procedure("open", ("letter_of_formal_notice", date(2019, 1, 24)), ("reasoned_opinion", None)),
                  procedure("closed", ("letter_of_formal_notice", date(2014, 1, 1)), ("referral", date(2015, 1, 1)),
                            ("closed", date(2023, 2, 15)))]
    sheet = factsheet(procedures, ["a", "b"], reported=3, obliging=25, reference_day=date(2024, 2, 20))
    assert (sheet.open_procedures, sheet.furthest_stage) == (1, "reasoned_opinion")  # the closed referral not
    assert (sheet.last_decision, sheet.since_last_decision) == (date(2023, 2, 15), "1 year")
    assert (sheet.findings, sheet.reported, sheet.obliging) == (2, 3, 25)


def test_a_member_state_with_no_procedure_has_nothing_open_and_no_decision():
    sheet = factsheet([], [], reported=0, obliging=25, reference_day=date(2024, 2, 20))
    assert (sheet.open_procedures, sheet.furthest_stage, sheet.last_decision) == (0, None, None)


@pytest.mark.django_db
def test_irelands_page_opens_with_its_factsheet(client):
    text = client.get("/member-states/IE/").content.decode()
    facts = text.split('id="factsheet-heading"')[1].split("</section>")[0]
    assert "Open infringement procedures" in facts and "furthest stage: letter of formal notice" in facts
    assert "15 July 2022" in facts and "ago" in facts
    assert "of the 25 articles that oblige Member States" in facts
