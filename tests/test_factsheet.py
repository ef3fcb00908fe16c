"""The factsheet that opens a Member State's page: built from what the page already read."""

from datetime import date

import pytest

from initiatives.views.factsheet import StageFigures, average_time_since, decision_stages, factsheet
from tests.factories import member_state


def test_the_factsheet_counts_open_procedures_their_furthest_stage_and_the_time_since_the_last_decision():
    # one open procedure (a letter of 24 January 2019, an undated reasoned opinion) and one closed (a letter,
    # a referral, a closure of 15 February 2023), as decision_stages() counts them
    stages = [StageFigures("letter_of_formal_notice", 2, 1, date(2019, 1, 24)),
              StageFigures("reasoned_opinion", 1, 1, None), StageFigures("referral", 1, 0, date(2015, 1, 1)),
              StageFigures("closed", 1, 0, date(2023, 2, 15))]
    sheet = factsheet(1, stages, ["a", "b"], reported=3, obliging=25, reference_day=date(2024, 2, 20))
    assert (sheet.open_procedures, sheet.furthest_stage) == (1, "reasoned_opinion")  # the closed referral not
    assert (sheet.last_decision, sheet.since_last_decision) == (date(2023, 2, 15), "1 year")
    assert (sheet.findings, sheet.reported, sheet.obliging) == (2, 3, 25)


def test_a_member_state_with_no_procedure_has_nothing_open_and_no_decision():
    sheet = factsheet(0, [], [], reported=0, obliging=25, reference_day=date(2024, 2, 20))
    assert (sheet.open_procedures, sheet.furthest_stage, sheet.last_decision) == (0, None, None)


@pytest.mark.django_db
def test_the_decisions_are_counted_by_stage_in_sql_on_the_day_shown():
    """decision_stages(): the stages reached by the open procedures' decisions (the ids of those the state engine
    found open, as a Member State's page gives them), and the latest decision on a known day (a closure known
    only between two days is none), as they stood on the day."""
    from initiatives import state
    from initiatives.models import InfringementProcedure
    from tests.factories import DecisionFactory, ProcedureFactory

    open_ = ProcedureFactory(member_state=member_state("PT"))
    DecisionFactory(procedure=open_, stage="letter_of_formal_notice", when="2019-01-24")
    DecisionFactory(procedure=open_, stage="reasoned_opinion", when="2021-03")
    closed = ProcedureFactory(member_state=member_state("PT"))
    DecisionFactory(procedure=closed, stage="letter_of_formal_notice", when="2014-01-01")
    DecisionFactory(procedure=closed, stage="referral", when="2015-01-01")
    DecisionFactory(procedure=closed, stage="closed", when="2022-08-24/2023-06-22")

    def sheet(day):
        theirs = InfringementProcedure.objects.filter(pk__in=[open_.pk, closed.pk])
        open_ids = list(state.procedures(day, theirs).filter(state="open").values_list("pk", flat=True))
        stages = decision_stages(day, theirs, open_ids)
        open_count = state.procedures(day, theirs).filter(state="open").count()
        return factsheet(open_count, stages, [], reported=0, obliging=25, reference_day=day or date(2024, 2, 20))

    today = sheet(None)
    assert (today.open_procedures, today.furthest_stage, today.last_decision) == (1, "reasoned_opinion",
                                                                                 date(2021, 3, 1))
    # on 31 December 2020 the reasoned opinion of March 2021 had not been sent, and the referral was open
    past = sheet(date(2020, 12, 31))
    assert (past.open_procedures, past.furthest_stage, past.last_decision) == (2, "referral", date(2019, 1, 24))
    # before the first letter nothing is open (no id to give), and no stage is reached
    early = sheet(date(2013, 12, 31))
    assert (early.open_procedures, early.furthest_stage, early.last_decision) == (0, None, None)
    # decisions counted, none of an open procedure: every stage is counted, none in an open one
    theirs = InfringementProcedure.objects.filter(pk__in=[open_.pk, closed.pk])
    none_open = decision_stages(None, theirs, [])
    assert sum(row.decisions for row in none_open) == 5 and {row.in_open for row in none_open} == {0}


@pytest.mark.django_db
def test_irelands_page_opens_with_its_factsheet(client):
    text = client.get("/member-states/IE/").content.decode()
    facts = text.split('id="factsheet-heading"')[1].split("</section>")[0]
    assert "Open infringement procedures" in facts and "furthest stage: letter of formal notice" in facts
    assert "15 July 2022" in facts and "ago" in facts
    assert "of the 25 articles that oblige Member States" in facts


def test_a_latest_decision_dated_after_the_day_shown_is_not_said_to_be_so_long_ago():
    """A decision typed with a day after today read "23 March 2027, less than a month ago" (seen on synthetic
    data): its day is shown, and no time since it, here or in the EU average."""
    import pandas as pd

    from initiatives import aggregates

    today = date(2026, 11, 30)
    sheet = factsheet(1, [StageFigures("letter_of_formal_notice", 1, 1, date(2027, 3, 23))], [], reported=0,
                      obliging=25, reference_day=today)
    assert sheet.last_decision == date(2027, 3, 23) and sheet.since_last_decision == ""
    summary = pd.DataFrame({"bound": [True, True, True], "open_procedures": [1, 0, 0], "findings": [0, 0, 0],
                            "articles_reported": [0, 0, 0],
                            "latest_date": [date(2027, 3, 23), date(2026, 11, 20), None]})
    assert aggregates.eu_averages(summary, today)["days_since_decision"] == 10


@pytest.mark.django_db
def test_the_page_shows_a_future_dated_decision_without_a_time_ago(client):
    from tests.factories import DecisionFactory, ProcedureFactory

    DecisionFactory(procedure=ProcedureFactory(member_state=member_state("CY")), when="2099-03-23")
    html = client.get("/member-states/CY/").content.decode()
    assert "23 March 2099" in html
    assert "23 March 2099, " not in html


def test_the_eu_average_time_since_the_latest_decision_reads_as_the_member_states_own():
    """The page read "26 January 2023, 3 years 10 months ago (EU average: 1638 days)": two units side by side."""
    today = date(2026, 11, 30)
    assert average_time_since(1638, today) == "4 years 5 months"  # since 6 June 2022
    assert average_time_since(20, today) == "less than a month"
    assert average_time_since(None, today) == ""


@pytest.mark.django_db
def test_the_page_gives_the_eu_average_time_since_in_years_and_months(client):
    import re

    facts = client.get("/member-states/EL/").content.decode().split('id="factsheet-heading"')[1].split("</section>")[0]
    decision = facts.split("Latest dated decision of the Commission")[1].split("</dd>")[0]
    assert re.search(r"ago <span class=\"muted eu-average\">\(EU average: (\d+ years?( \d+ months?)?|\d+ months?)\)",
                     decision), decision
    assert " days)" not in decision
