"""The Member State summary (the map, the table of /member-states/, the EU averages on each Member State's page)
reads procedures counted in SQL and one decision per Member State and stage, not every procedure and decision:
the same summary, whatever the volume, in bounded rows."""

import re
from datetime import date

import pandas as pd
import pytest

from initiatives import aggregates
from initiatives.choices import Stage
from initiatives.models import ArticleFinding, TranspositionReport
from initiatives.views.public import eu_averages, member_state_summary
from tests.factories import DecisionFactory, ProcedureFactory, member_state

pytestmark = pytest.mark.django_db

DAYS = [None, date(2015, 6, 30), date(2021, 1, 1), date(2023, 12, 31)]


def full_summary(day):
    """The summary from one row per procedure, decision, report and assessment (reports and assessments on the
    articles that oblige Member States), as the pages read it before."""
    from initiatives.models.transposition import obliging_articles

    obliging = set(obliging_articles().values_list("pk", flat=True))

    def counted(frame):
        return frame[frame["article_id"].isin(obliging)].reset_index(drop=True)

    return aggregates.member_state_summary(
        aggregates.member_state_frame(), aggregates.procedure_frame(day), aggregates.decision_frame(day),
        counted(aggregates.assessment_frame(day=day)), counted(aggregates.report_frame(day=day)),
        aggregates.finding_frame(day))


def awkward_decisions():
    """Ties on a day, a closure known only between two days, an undated decision, a month: in one country."""
    malta = member_state("MT")
    first, second, third = (ProcedureFactory(member_state=malta) for _ in range(3))
    DecisionFactory(procedure=first, stage=Stage.LETTER_OF_FORMAL_NOTICE, when="2022-02-09")
    DecisionFactory(procedure=second, stage=Stage.LETTER_OF_FORMAL_NOTICE, when="2022-02-09")
    DecisionFactory(procedure=second, stage=Stage.REASONED_OPINION, when="2022-09")
    DecisionFactory(procedure=second, stage=Stage.CLOSED, when="2022-10-01/2023-06-30")
    DecisionFactory(procedure=third, stage=Stage.REFERRAL)
    DecisionFactory(procedure=first, stage=Stage.CLOSED, when="2023-12-31")


def reports_assessments_and_findings():
    """Several statuses in one country, and rows dated after some of the days (they count from their date)."""
    from initiatives.models import Article, ArticleFinding, Assessment, TranspositionReport

    for code, when in (("MT", date(2016, 1, 1)), ("MT", date(2022, 6, 1)), ("DE", date(2014, 2, 1))):
        ArticleFinding.objects.create(member_state=member_state(code), article_reference="Art. 5", date=when,
                                      finding="not_transposed", assessed_by="infringement_letter", summary="test")
    articles = list(Article.objects.filter(legal_act__celex=aggregates.DIRECTIVE_CELEX).order_by("number")[:4])
    for code, statuses in (("MT", ["conform", "non_conform", "conform", "partially_conform"]), ("DE", ["conform"])):
        for article, status, when in zip(articles, statuses, [date(2014, 1, 1), date(2016, 5, 1), date(2022, 3, 1),
                                                              date(2024, 1, 1)], strict=False):
            Assessment.objects.create(member_state=member_state(code), article=article, status=status, date=when,
                                      date_precision="month")
            TranspositionReport.objects.create(member_state=member_state(code), article=article, status="complete",
                                               date=when, date_precision="day")


@pytest.mark.parametrize("day", DAYS)
def test_the_summary_from_sql_groups_equals_the_one_from_every_row(day):
    awkward_decisions()
    reports_assessments_and_findings()
    pd.testing.assert_frame_equal(member_state_summary(day), full_summary(day))


@pytest.mark.parametrize("day", DAYS)
def test_the_eu_averages_from_their_own_figures_equal_those_of_the_summary_from_every_row(day):
    """A Member State's page reads the EU averages from the four figures they average (member_state_figures), not
    from the whole summary: the same figures for every Member State, and the same averages."""
    awkward_decisions()
    reports_assessments_and_findings()
    reference_day = day or date(2025, 1, 1)
    every_row = full_summary(day)
    figures = aggregates.member_state_figures(
        aggregates.member_state_frame(), aggregates.procedure_count_frame(day), aggregates.latest_decision_frame(day),
        aggregates.status_count_frame(TranspositionReport, day, by_status=False, obliging=True),
        aggregates.status_count_frame(ArticleFinding, day, by_status=False))
    pd.testing.assert_frame_equal(figures, every_row[figures.columns.tolist()])
    assert eu_averages(day, reference_day) == aggregates.eu_averages(every_row, reference_day)


def test_a_closure_known_only_between_two_days_or_a_decision_with_no_date_is_no_latest_decision():
    netherlands = member_state("NL")  # no procedure of it is shipped
    procedure = ProcedureFactory(member_state=netherlands)
    DecisionFactory(procedure=procedure, stage=Stage.REASONED_OPINION, when="2022-09")
    DecisionFactory(procedure=procedure, stage=Stage.CLOSED, when="2022-10-01/2023-06-30")
    DecisionFactory(procedure=ProcedureFactory(member_state=netherlands), stage=Stage.REFERRAL)
    assert aggregates.latest_decision_frame().set_index("member_state").loc["NL", "latest_date"] == date(2022, 9, 1)
    assert "NL" not in set(aggregates.latest_decision_frame(date(2022, 8, 31))["member_state"])


def test_the_summary_reads_bounded_rows_whatever_the_number_of_decisions():
    awkward_decisions()
    before = len(aggregates.decision_stage_frame())
    procedure = ProcedureFactory(member_state=member_state("MT"))
    for month in range(1, 13):
        DecisionFactory(procedure=procedure, stage=Stage.LETTER_OF_FORMAL_NOTICE, when=f"2024-{month:02d}-01")
    assert len(aggregates.decision_stage_frame()) == before
    assert len(aggregates.procedure_count_frame()) <= 27 * 3
    summary = member_state_summary(None).set_index("code")
    assert summary.loc["MT", "latest_date"] == date(2024, 12, 1)
    assert summary.loc["MT", "procedures"] == len(aggregates.procedure_frame().query("member_state == 'MT'"))


def test_reports_and_assessments_are_counted_in_sql_by_member_state_and_status():
    from initiatives.models import Assessment, TranspositionReport

    reports_assessments_and_findings()
    assessments = aggregates.status_count_frame(Assessment)
    assert set(assessments.columns) == {"member_state", "status", "n"}
    assert assessments.query("member_state == 'MT' and status == 'conform'")["n"].sum() == 2
    reports = aggregates.status_count_frame(TranspositionReport, date(2016, 12, 31), by_status=False)
    assert reports.query("member_state == 'MT'")["n"].sum() == 2  # the later two count from their date
    summary = member_state_summary(None).set_index("code")
    # Arts 1-4: Art. 1 obliges no Member State, so it is not counted (as on a Member State's own page)
    assert summary.loc["MT", "articles_assessed"] == 3 and summary.loc["MT", "worst_assessment"] == "non_conform"
    assert summary.loc["MT", "articles_reported"] == 3 and summary.loc["MT", "findings"] == len(
        aggregates.finding_frame().query("member_state == 'MT'"))
    assert summary.loc["DE", "articles_reported"] == 0 and pd.isna(summary.loc["DE", "worst_assessment"])


def test_a_member_states_articles_reported_are_the_same_figure_on_every_page(client):
    """Its page said "3 of the 25 articles that oblige Member States" while the table of /member-states/ said
    "4 / 30" and the EU average beside the first counted the report on Art. 1 too."""
    reports_assessments_and_findings()  # Malta: reports on Arts 1-4; Germany: on Art. 1 only
    page = client.get("/member-states/MT/").content.decode()
    assert "3 of the 25 articles that oblige Member States" in page
    listing = client.get("/member-states/").content.decode()
    row = re.search(r'<a href="/member-states/MT/">Malta</a>.*?</tr>', listing, re.S)[0]
    assert re.search(r">\s*3 / 25\s*<", row), row
    germany = re.search(r'<a href="/member-states/DE/">Germany</a>.*?</tr>', listing, re.S)[0]
    assert re.search(r">\s*0 / 25\s*<", germany), germany
    bound = 26  # every Member State but Denmark: Malta's 3, nobody else's
    assert f"(EU average: {3 / bound:.1f})" in page
    # and the table says what it counts them against, in the reader's language
    assert "how many of the articles that oblige Member States (Arts 2-25 and 27) a published report covers" in listing
    french = client.get("/fr/member-states/").content.decode()
    assert "(art. 2 à 25 et 27) sont couverts par un rapport publié" in french


def test_the_counted_decisions_are_those_of_the_published_procedures(monkeypatch):
    """Every procedure is published today, and the decisions are read without a semi-join on the procedures;
    should `published()` leave one out, its decisions are left out of every count again."""
    from initiatives.models import Decision, decisions_of_published_procedures
    from initiatives.models.infringements import ProcedureQuerySet

    awkward_decisions()
    assert "IN (SELECT" not in str(decisions_of_published_procedures().query)
    hidden = ProcedureFactory(member_state=member_state("MT"))
    DecisionFactory(procedure=hidden, stage=Stage.REFERRAL, when="2024-05-02")
    assert set(decisions_of_published_procedures()) == set(Decision.objects.all())
    monkeypatch.setattr(ProcedureQuerySet, "published", lambda self: self.exclude(pk=hidden.pk))
    assert set(decisions_of_published_procedures()) == set(Decision.objects.exclude(procedure=hidden))
    counts = aggregates.decision_count_frame()
    assert counts.query("member_state == 'MT' and stage == 'referral' and year == 2024").empty
