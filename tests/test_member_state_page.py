"""The Member State page as the data grows: procedures counted in SQL and listed a page at a time (open ones
first), a bounded number of decisions per procedure and of national measures, each shortened list saying how
many there are in all and where to read them all; the same number of queries whatever the volume."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import aggregates
from initiatives.models import InfringementProcedure, NationalMeasure
from initiatives.views.public import DECISIONS_SHOWN, MEASURES_SHOWN, PROCEDURES_PER_PAGE, eu_averages
from tests.factories import DecisionFactory, ProcedureFactory, member_state

pytestmark = pytest.mark.django_db
CODE = "NL"  # no procedure of it is shipped


def add_procedures(n, *, start=0, when="2019-01"):
    for i in range(start, start + n):
        procedure = ProcedureFactory(member_state=member_state(CODE), infr_number=f"INFR(2099){3000 + i}")
        DecisionFactory(procedure=procedure, stage="letter_of_formal_notice", when=when)


def html(client, query=""):
    response = client.get(f"/member-states/{CODE}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def listed(text):
    return text.count('<article class="procedure"')


def test_no_procedure_of_the_test_member_state_is_shipped():
    assert not InfringementProcedure.objects.filter(member_state__code=CODE).exists()


def test_the_page_lists_one_page_of_procedures_and_says_how_many_there_are_and_where_all_are(client):
    add_procedures(PROCEDURES_PER_PAGE + 3)
    total = PROCEDURES_PER_PAGE + 3
    first = html(client)
    assert listed(first) == PROCEDURES_PER_PAGE
    assert f"{total} procedures in all: {total} open, 0 closed" in first
    assert f'href="/infringements/?member_state={CODE}"' in first
    assert f"Procedures 1 to {PROCEDURES_PER_PAGE} of {total}" in first
    assert "page=2#procedures-heading" in first and 'rel="next"' in first
    second = html(client, "?page=2")
    assert listed(second) == 3 and f"Procedures {PROCEDURES_PER_PAGE + 1} to {total} of {total}" in second
    assert html(client, "?page=99").count('<article class="procedure"') == 3  # the last page
    numbers = {n for page in (first, second) for n in range(3000, 3000 + total) if f"INFR(2099){n}" in page}
    assert len(numbers) == total  # every procedure on one page or the other


def test_open_procedures_come_first_then_the_newest_decision(client):
    add_procedures(PROCEDURES_PER_PAGE - 1, when="2015-01")
    newest = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)4000")
    DecisionFactory(procedure=newest, stage="letter_of_formal_notice", when="2020-01")
    DecisionFactory(procedure=newest, stage="closed", when="2024-05-02")
    old_open = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)4001")
    DecisionFactory(procedure=old_open, stage="letter_of_formal_notice", when="2012-01")
    first = html(client)
    assert "INFR(2099)4001" in first  # open, though its decision is the oldest
    assert "INFR(2099)4000" not in first  # closed: after every open one
    assert "INFR(2099)4000" in html(client, "?page=2")


def test_the_procedures_whose_state_is_unknown_come_between_the_open_and_the_closed(client):
    """The order holds whatever each state's newest decision: open, unknown, closed, each newest first."""
    closed = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)4100")
    DecisionFactory(procedure=closed, stage="closed", when="2025-01-02")  # the newest decision of all
    unknown = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)4101")
    DecisionFactory(procedure=unknown, stage="reasoned_opinion")  # undated, never listed: unknown
    old_open = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)4102")
    DecisionFactory(procedure=old_open, stage="letter_of_formal_notice", when="2012-01")
    new_open = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)4103")
    DecisionFactory(procedure=new_open, stage="letter_of_formal_notice", when="2020-01")
    text = html(client)
    assert "4 procedures in all: 2 open, 1 closed, 1 whose state" in text
    assert order_shown(text, range(4100, 4104)) == [4103, 4102, 4101, 4100]
    past = html(client, "?as_of=2025-06-30")  # on a past day, of the procedures known by then
    assert order_shown(past, range(4100, 4104)) == [n for n in [4103, 4102, 4101, 4100] if f"(2099){n}" in past]
    assert "<h3>INFR(2099)4100 (non-conformity): closed</h3>" in past


def order_shown(text, numbers):
    return sorted((n for n in numbers if f"<h3>INFR(2099){n}" in text), key=lambda n: text.index(f"<h3>INFR(2099){n}"))


def test_a_procedure_named_in_the_address_is_shown_alone(client):
    add_procedures(PROCEDURES_PER_PAGE + 2)
    last = InfringementProcedure.objects.filter(member_state__code=CODE).order_by("id").first()
    text = html(client, f"?procedure={last.pk}")
    assert listed(text) == 1 and f'id="procedure-{last.pk}"' in text
    assert f"Back to the list ({PROCEDURES_PER_PAGE + 2} procedures in all)" in text
    assert last.get_absolute_url().startswith(f"/member-states/{CODE}/?procedure={last.pk}#procedure-{last.pk}")


def test_the_decisions_of_a_procedure_are_bounded_and_say_how_many(client):
    procedure = ProcedureFactory(member_state=member_state(CODE), infr_number="INFR(2099)5000")
    for year in range(2000, 2000 + DECISIONS_SHOWN + 2):
        DecisionFactory(procedure=procedure, stage="reasoned_opinion", when=str(year))
    text = html(client)
    table = text.split(f'id="procedure-{procedure.pk}"')[1].split("</article>")[0]
    assert table.count("<tr><td class=\"number\">") == DECISIONS_SHOWN
    assert f"(the latest {DECISIONS_SHOWN} of {DECISIONS_SHOWN + 2})" in table
    assert "2001" not in table.split("<tbody>")[1] and str(2000 + DECISIONS_SHOWN + 1) in table  # the latest
    assert f"/api/decisions/?procedure={procedure.pk}" in table


def test_the_national_measures_are_bounded_and_say_how_many(client):
    country = member_state(CODE)
    before = NationalMeasure.objects.filter(member_state=country).count()
    for i in range(MEASURES_SHOWN + 5):
        NationalMeasure.objects.create(member_state=country, title=f"Test act {i}", reference=f"Mém. {i}",
                                       date=date(2000 + i, 1, 1))
    text = html(client).split('id="measures-heading"')[1].split("</section>")[0]
    assert text.count("<li>") == MEASURES_SHOWN
    assert f"The newest {MEASURES_SHOWN} of {before + MEASURES_SHOWN + 5} measures." in text
    assert "/open-data/national_measures.csv" in text and f"Test act {MEASURES_SHOWN + 4}" in text


def test_a_past_day_leaves_out_the_procedures_not_yet_known(client):
    add_procedures(3, when="2019-01")
    add_procedures(2, start=10, when="2023-06")
    past = html(client, "?as_of=2021-12-31")
    assert "3 procedures in all: 3 open" in past and listed(past) == 3
    assert "INFR(2099)3010" not in past
    assert "5 procedures in all" in html(client)


def count_queries(client, query=""):
    with CaptureQueriesContext(connection) as queries:
        html(client, query)
    return len(queries)


@pytest.mark.parametrize("query", ["", "?as_of=2021-12-31", "?page=2"])
def test_the_same_number_of_queries_with_2_or_40_procedures(client, query):
    add_procedures(2, when="2019-01")
    few = count_queries(client, query)
    add_procedures(38, start=2, when="2019-01")
    for procedure in InfringementProcedure.objects.filter(member_state__code=CODE)[:5]:
        DecisionFactory(procedure=procedure, stage="reasoned_opinion", when="2020-01")
    NationalMeasure.objects.bulk_create(NationalMeasure(member_state=member_state(CODE), title=f"Act {i}",
                                                        reference=f"Ref {i}") for i in range(30))
    assert count_queries(client, query) == few


@pytest.mark.parametrize("day", [None, date(2021, 12, 31)])
def test_the_eu_averages_are_those_of_every_procedure_and_decision(day):
    """The page's EU averages come from figures grouped in SQL (views.public.eu_averages); they equal those of the
    summary built from every procedure and decision."""
    add_procedures(4, when="2019-01")
    add_procedures(2, start=10, when="2023-06")
    now = day or date(2025, 1, 1)
    every_row = aggregates.member_state_summary(
        aggregates.member_state_frame(), aggregates.procedure_frame(day), aggregates.decision_frame(day),
        aggregates.assessment_frame(day=day), aggregates.report_frame(day=day), aggregates.finding_frame(day))
    assert eu_averages(day, now) == aggregates.eu_averages(every_row, now)

