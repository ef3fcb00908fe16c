"""The public dashboards, as an anonymous visitor sees them, on the real, shipped data."""

import csv
import io
import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from initiatives.choices import Stage
from initiatives.models import (
    Article,
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    LegalAct,
    MemberState,
    NationalMeasure,
    Source,
    TranspositionReport,
)
from initiatives.tables import KeyActionTable, MemberStateTable, ProcedureTable

pytestmark = pytest.mark.django_db

PAGES = ["overview", "initiative_list", "timeline", "member_state_list", "directive_matrix", "infringement_list",
         "about"]


def page(client, name, *args, query=""):
    response = client.get(reverse(f"initiatives:{name}", args=args) + query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_opens_for_an_anonymous_visitor_with_a_title_and_one_h1(client, name):
    html = page(client, name)
    assert html.count("<h1") == 1
    assert "<title>" in html and "<main" in html
    assert ' style="' not in html and "<style" not in html  # the CSP forbids inline styles


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "option"}


class StructureCheck(HTMLParser):
    """Elements nest and close properly, and no id is used twice (what a validator would catch first)."""

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.errors = [], Counter(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_endtag(self, tag):
        while self.stack and self.stack[-1][0] != tag and self.stack[-1][0] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


@pytest.mark.parametrize("url", ["/", "/initiatives/", "/initiatives/2/", "/timeline/", "/member-states/",
                                 "/member-states/EL/", "/member-states/DK/", "/directive/", "/infringements/",
                                 "/infringements/?year=abc", "/about/"])
def test_pages_are_well_formed_with_unique_ids(client, url):
    check = StructureCheck()
    check.feed(client.get(url).content.decode())
    assert check.errors == []
    assert [tag for tag, _pos in check.stack] == []
    assert [i for i, n in check.ids.items() if n > 1] == []


def test_the_2019_letters_of_formal_notice_reach_23_member_states(client):
    expected = "The 2019 letters of formal notice reach 23 Member States."
    assert expected in page(client, "infringement_list")
    assert expected in page(client, "overview")
    assert expected in page(client, "about")


def test_overview_shows_the_headline_figures_from_the_real_data(client):
    html = page(client, "overview")
    assert "of 27 Member States bound by Directive 2011/93/EU" in html
    assert "Denmark" in html
    assert "open infringement procedures, in 20 Member States" in html
    assert "Latest published changes" in html and "Data last updated on" in html
    assert 'data-plotly-figure="chart-progress-data"' in html


def test_denmark_shows_as_not_bound(client):
    assert "Denmark is not bound by Directive 2011/93/EU" in page(client, "member_state_detail", "DK")
    html = page(client, "member_state_list")
    assert "no (opt-out)" in html and "not bound (Denmark)" in html


def test_a_month_precision_date_shows_as_a_month(client):
    html = page(client, "member_state_detail", "EL")
    assert "January 2014" in html
    assert "1 January 2014" not in html
    assert "September 2021" in page(client, "initiative_detail", 3)


def test_initiatives_show_status_deadline_as_worded_and_computed_slippage(client):
    html = page(client, "initiative_list")
    assert "Deadline as worded" in html and "days late" in html
    detail = page(client, "initiative_detail", 7)
    assert "25 days late" in detail  # end of 2020 -> 25 January 2021


@pytest.mark.parametrize("url, status", [
    ("/initiatives/9/", 404), ("/member-states/XX/", 404), ("/member-states/GRC/", 404),
    ("/member-states/el/", 301), ("/infringements/?format=pdf", 404)])
def test_bad_urls_give_404_not_500(client, url, status):
    assert client.get(url).status_code == status


@pytest.mark.parametrize("query", ["?year=abc", "?stage=nonsense", "?member_state=ZZ", "?state=maybe",
                                   "?type=x&year=1800", "?page=99", "?sort=nonsense"])
def test_nonsense_filter_values_give_an_explained_empty_result(client, query):
    html = page(client, "infringement_list", query=query)
    if "page" in query or "sort" in query:
        return
    assert "Some filter values are not valid" in html
    assert "0 procedures match these filters." in html


def test_infringement_filters_by_member_state_stage_type_state_and_year(client):
    assert "2 procedures match" in page(client, "infringement_list", query="?member_state=EL")
    assert "6 procedures match" in page(client, "infringement_list", query="?type=non_communication")
    assert "10 procedures match" in page(client, "infringement_list", query="?state=closed")
    assert "0 procedures match" in page(client, "infringement_list", query="?state=unknown")
    # the six 2014 reasoned opinions were followed by closures: no procedure's latest stage is one today
    assert "0 procedures match" in page(client, "infringement_list", query="?stage=reasoned_opinion")
    assert "1 procedure matches" in page(client, "infringement_list",
                                         query="?stage=reasoned_opinion&member_state=MT&as_of=2016-01-01")
    assert "23 procedures match" in page(client, "infringement_list", query="?year=2019")


def test_timeline_and_matrix_filter_through_the_query_string(client):
    html = page(client, "timeline", query="?status=delivered_late")
    assert "EU Internet Forum expert process" in html and "Propose law requiring providers" in html
    assert "Propose law requiring providers" not in page(client, "timeline", query="?status=in_progress")
    assert "No key action matches these filters." in page(client, "timeline", query="?initiative=8&status=delivered")
    html = page(client, "directive_matrix", query="?group=victims&measure=notification")
    articles = re.findall(r'<th scope="col"><abbr title="[^"]*">(\d+)</abbr></th>', html)
    assert "18" in articles and "3" not in articles
    assert "No article-by-article record has been published" in html


def exported(client, fmt, query=""):
    response = client.get(reverse("initiatives:infringement_list") + f"?format={fmt}{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="infringements.{fmt}"'
    return response.content


def test_exports_parse_back_into_the_same_rows_in_every_format(client):
    query = "&type=non_conformity&sort=-latest_date"
    rows = list(csv.DictReader(io.StringIO(exported(client, "csv", query).decode("utf-8"))))
    expected = list(InfringementProcedure.objects.filter(type="non_conformity").values_list("infr_number",
                                                                                              flat=True))
    assert sorted(r["infr_number"] for r in rows) == sorted(n or "" for n in expected)
    assert [r["latest_date"] for r in rows] == sorted((r["latest_date"] for r in rows), reverse=True)
    as_json = json.loads(exported(client, "json", query))
    assert [dict(r) for r in rows] == [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in as_json]
    sheet = openpyxl.load_workbook(io.BytesIO(exported(client, "xlsx", query))).active
    values = list(sheet.values)
    assert list(values[0]) == list(rows[0].keys())
    assert [["" if v is None else str(v) for v in row] for row in values[1:]] == [list(r.values()) for r in rows]
    greece = next(r for r in csv.DictReader(io.StringIO(exported(client, "csv", "&member_state=EL").decode())))
    assert greece["opened"] == "2014-01"  # a month stays a month


def test_every_orderable_column_sorts_both_ways(client, rf):
    for name, table in [("infringement_list", ProcedureTable), ("timeline", KeyActionTable),
                        ("member_state_list", MemberStateTable)]:
        for column in table.base_columns:
            if not table.base_columns[column].orderable:
                continue
            for sort in (column, f"-{column}"):
                assert client.get(reverse(f"initiatives:{name}") + f"?sort={sort}").status_code == 200, sort


def test_member_state_page_shows_published_reports_and_assessments_when_they_exist(client):
    greece = MemberState.objects.get(code="EL")
    article = Article.objects.get(legal_act__celex="32011L0093", number=18)
    measure = NationalMeasure.objects.create(member_state=greece, title="Law on child protection", reference="L 1/2020")
    report = TranspositionReport.objects.create(member_state=greece, article=article, status="partial",
                                                date=date(2024, 3, 1), date_precision="month")
    report.measures.add(measure)
    Assessment.objects.create(member_state=greece, article=article, status="non_conform", date=date(2024, 1, 1),
                              date_precision="year")
    html = page(client, "member_state_detail", "EL")
    assert "partially notified" in html and "as of March 2024" in html
    assert "non-conform" in html and "L 1/2020" in html
    assert "unknown: no report" in html  # the other 29 articles
    matrix = page(client, "directive_matrix", query="?group=victims")
    assert "1 of 104 cells" in matrix  # 26 bound Member States x 4 articles on victims


def add_data(n):
    """n more of everything the pages list: procedures with two decisions, key actions with an event,
    published reports and assessments (with measures and sources) for Germany."""
    source = Source.objects.create(citation="Test source https://example.org/x", url="https://example.org/x")
    initiative = Initiative.objects.get(number=1)
    act = LegalAct.objects.get(celex="32011L0093")
    germany = MemberState.objects.get(code="DE")
    bound = list(MemberState.objects.bound())
    articles = list(Article.objects.filter(legal_act=act).order_by("number"))
    for i in range(n):
        procedure = InfringementProcedure.objects.create(member_state=bound[i % len(bound)], type="non_conformity",
                                                         legal_act=act, infr_number=f"INFR(2030){1000 + i}")
        procedure.sources.add(source)
        procedure.articles.add(articles[i])
        for position, stage in enumerate([Stage.LETTER_OF_FORMAL_NOTICE, Stage.REASONED_OPINION], start=1):
            decision = Decision.objects.create(procedure=procedure, position=position, stage=stage,
                                               date=date(2030, position, 1), date_precision="month")
            decision.sources.add(source)
        action = KeyAction.objects.create(initiative=initiative, code=f"t{i}", short_title=f"Test action {i}",
                                          statement="s", section_reference="x", lead_actor="commission",
                                          deadline_wording="end of 2021", deadline=date(2021, 1, 1),
                                          deadline_precision="year", status="in_progress")
        action.sources.add(source)
        event = KeyActionEvent.objects.create(key_action=action, kind="other", date=date(2022, 1, 1),
                                              description=f"Event {i}")
        event.sources.add(source)
        measure = NationalMeasure.objects.create(member_state=germany, title=f"Act {i}", reference=f"BGBl {i}")
        report = TranspositionReport.objects.create(member_state=germany, article=articles[i], status="complete",
                                                    date=date(2024, 1, 1))
        report.measures.add(measure)
        report.sources.add(source)
        assessment = Assessment.objects.create(member_state=germany, article=articles[i], status="conform",
                                               date=date(2024, 1, 1))
        assessment.sources.add(source)


# What each page asks the database, named query by query. The same number with 1 and 10 more of everything.
QUERIES = {
    # 1 strategy, 2 key actions (.values), 3 events, 4 Member States, 5 procedures with their state, 6 decisions,
    # 7 the batches of the latest changes (one import, one load: one union over the four histories), 8-11 latest
    # history of key actions, events, decisions, initiatives, 12 the newest register copy (what the count of open
    # procedures rests on), 13-15 key actions' links to legislative files, their stages, those key actions with
    # their status (commitments and what came of them)
    ("overview", ()): 15,
    # 1 initiatives + strategy, 2 key actions with their number of events, 3 strategy
    ("initiative_list", ()): 3,
    # 1 initiative + strategy, 2 key actions with their number of events, 3 their sources, 4 the latest events
    # of each (a window function), 5 their sources, 6 links to legislative files (initiative 1 has none; with
    # some, 2 more: the files and their stages)
    ("initiative_detail", (1,)): 6,
    # 1 the key action + initiative + strategy, 2 count for the paginator, 3 one page of events, 4 their sources
    ("key_action_events", (1, "t0")): 4,
    # 1 strategy, 2 key actions for the chart, 3 their events, 4 initiative <select> options,
    # 5 key actions for the table (initiative joined), 6 count of the context commitments (shown one click away)
    ("timeline", ()): 6,
    # 1 Member States, 2 procedures with their state, 3 decisions, 4 assessments, 5 reports, 6 findings on
    # articles, 7 count of articles
    ("member_state_list", ()): 7,
    # 1 Member State + source of being bound, 2 articles, 3 reports, 4 their measures, 5 their sources,
    # 6 assessments, 7 their sources, 8 procedures counted by state (the state engine, grouped), 9 one page of
    # procedures with their state + legal act, 10 their sources, 11 their articles, 12 their latest decisions,
    # 13 their sources, 14 decisions counted by stage (the factsheet), 15 the newest national measures and how
    # many in all, 16 findings on articles, 17 their sources, 18 the Directive (its transposition deadline),
    # 19 its sources, 20-24 the EU averages beside the factsheet's figures, from the figures they average
    # (views.public.eu_averages: Member States, procedures counted by Member State and state, the latest dated
    # decision per Member State, reports, findings; cached in production)
    ("member_state_detail", ("DE",)): 24,
    # 1 articles (filtered), 2 Member States, 3 reports, 4 assessments, 5 the Directive, 6 its sources,
    # 7 the stages of its recast, 8 findings on articles, 9 their sources
    ("directive_matrix", ()): 9,
    # 1 count for the paginator, 2 decisions for the chart, 3 Member State <select> options,
    # 4 one page of procedures with their state + Member State, 5 the newest register copy
    ("infringement_list", ()): 5,
    # 1 key actions, 2-3 the procedures and decisions recorded now (counted: what is unknown), 4 procedures by
    # state, 5 decisions by stage and year, 6-9 latest history (key actions, events, decisions, initiatives),
    # 10 the register copies, 11 the newest of them, 12 count of reports, 13 count of assessments,
    # 14 count of sources, 15 strategy
    ("about", ()): 15,
}


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.parametrize("name, args", list(QUERIES))
def test_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, n, name, args):
    add_data(n)
    with django_assert_num_queries(QUERIES[(name, args)]):
        assert client.get(reverse(f"initiatives:{name}", args=args)).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_export_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, n):
    add_data(n)
    # 1 count for the paginator (the table is built before the export), 2 decisions for the chart,
    # 3 every matching procedure with its state + Member State, 4 the newest register copy (the page's line)
    with django_assert_num_queries(4):
        assert client.get(reverse("initiatives:infringement_list") + "?format=csv").status_code == 200


def test_the_latest_changes_show_a_record_once_even_when_its_sources_were_linked_after_its_creation(client):
    from initiatives.views.public import latest_changes

    texts = [change["text"] for change in latest_changes()]
    assert len(texts) == len(set(texts))
    assert all(change["action"] for change in latest_changes())


def test_the_transposition_deadline_is_shown_with_its_source_and_the_time_since(client):
    html = page(client, "directive_matrix")
    assert "Transposition deadline:</strong> 18 December 2013" in html
    assert "Art. 27(1)" in html and "timesofmalta" in html.lower()
    assert "18 December 2013, 10 months after the day shown." in page(client, "member_state_detail", "EL",
                                                                         query="?as_of=2013-02-18")
    assert "18 December 2013, 1 year before the day shown." in page(client, "directive_matrix",
                                                                   query="?as_of=2014-12-18")
    assert "Transposition deadline" not in page(client, "member_state_detail", "DK")  # not bound


def test_the_overview_says_how_many_records_behind_its_figures_staff_have_verified(client):
    html = page(client, "overview")
    assert "key actions, none of 9 yet; infringement procedures, none of 30 yet." in html
    KeyAction.objects.filter(code__in=["2a", "2b"]).update(last_verified=date(2026, 10, 2))
    KeyAction.objects.filter(code="3").update(last_verified=date(2026, 11, 20))
    InfringementProcedure.objects.filter(infr_number="INFR(2019)2136").update(last_verified=date(2026, 11, 1))
    html = page(client, "overview")
    assert "key actions, 3 of 9, between 2 October 2026 and 20 November 2026;" in html
    assert "infringement procedures, 1 of 30, on 1 November 2026." in html


def test_the_register_export_says_when_each_procedure_was_last_verified(client):
    InfringementProcedure.objects.filter(infr_number="INFR(2019)2136").update(last_verified=date(2026, 11, 1))
    rows = list(csv.DictReader(io.StringIO(client.get("/infringements/?format=csv").content.decode("utf-8-sig"))))
    assert {row["last_verified"] for row in rows if row["infr_number"] == "INFR(2019)2136"} == {"2026-11-01"}
    assert {row["last_verified"] for row in rows if row["infr_number"] != "INFR(2019)2136"} == {""}


def test_the_about_page_says_after_how_many_months_staff_check_a_record_again(client, settings):
    settings.FRESHNESS_MONTHS = 3
    assert "staff are asked to check again after 3 months" in page(client, "about")


@pytest.mark.parametrize("sort", ["infr_number", "-infr_number", "latest_date", "-latest_date", "first_date",
                                  "-first_date", "last_verified", "-last_verified"])
def test_unknown_values_sort_last_both_ways_on_every_database(client, sort):
    InfringementProcedure.objects.filter(infr_number="INFR(2019)2136").update(last_verified=date(2026, 3, 3))
    response = client.get(reverse("initiatives:infringement_list"), {"sort": sort, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = {"infr_number": "infr_number", "latest_date": "latest_date", "first_date": "opened",
              "last_verified": "last_verified"}[sort.lstrip("-")]
    known = [row[column] != "" for row in rows]
    assert known == sorted(known, reverse=True), f"an unknown {column} comes before a known one"
    if sort == "-last_verified":
        assert rows[0]["infr_number"] == "INFR(2019)2136"


def register_column(client, sort, column):
    response = client.get(reverse("initiatives:infringement_list") + f"?format=csv&sort={sort}")
    return [row[column] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))]


def test_the_register_sorts_stages_in_procedural_order_and_member_states_by_name(client):
    """Issue 14, item 11: "Latest stage" sorted the codes alphabetically (additional letter < closure < letter <
    reasoned opinion); Member States sorted in protocol order, not by name."""
    from initiatives.choices import Stage

    stages = register_column(client, "latest_stage", "latest_stage")
    ranks = [Stage.values.index(stage) for stage in stages]
    assert ranks == sorted(ranks) and stages[0] == Stage.LETTER_OF_FORMAL_NOTICE and stages[-1] == Stage.CLOSED
    descending = [Stage.values.index(stage) for stage in register_column(client, "-latest_stage", "latest_stage")]
    assert descending == sorted(descending, reverse=True)
    names = register_column(client, "member_state", "member_state")
    assert names == sorted(names) and names[0] == "Austria"


@pytest.mark.parametrize(("language", "first", "before"), [("fr", "Allemagne", ("Autriche", "Belgique")),
                                                            ("de", "Belgien", ("Österreich", "Polen"))])
def test_the_register_sorts_member_states_by_the_names_the_reader_reads(client, language, first, before):
    """Sorted by the English name, a French reader's register began with "Autriche" and put "Allemagne"
    (Germany) among the G's; a German reader's began with "Österreich" (Austria). Each language now sorts the
    names it shows, accents aside, both ways."""
    from initiatives.search import fold

    def names(sort):
        html = client.get(f"/{language}/infringements/", {"sort": sort}).content.decode()
        body = html[html.index("<tbody"):html.index("</tbody>")]
        return re.findall(r'<tr><td><a href="[^"]*/member-states/[^"]*">([^<]+)</a></td>', body)

    shown = names("member_state")
    assert shown[0] == first and shown == sorted(shown, key=fold)
    assert shown.index(before[0]) < shown.index(before[1])
    descending = names("-member_state")  # a page at a time: the other end of the list
    assert descending == sorted(descending, key=fold, reverse=True) and fold(descending[0]) >= fold(shown[-1])


def test_the_timeline_shows_the_nine_key_actions_the_overview_counts_and_the_rest_one_click_away(client):
    """Issue 14, item 6: the timeline listed 13 rows (with the context commitments), the overview counted 9."""
    def rows(html):
        table = html[html.index('id="timeline-table-heading"'):]
        body = table[table.index("<tbody"):table.index("</tbody>")]
        return body.count("<tr")

    html = page(client, "timeline")
    assert rows(html) == 9
    assert "Show the 4 commitments it makes in passing too" in html
    both = page(client, "timeline", query="?kind=")
    assert rows(both) == 13 and "Show the 4 commitments" not in both


def test_one_import_is_one_entry_of_the_latest_changes_and_a_change_says_when_it_was_recorded(client):
    """Issue 14, item 12: "30 November 2026: Infringement decision created: Romania: reasoned opinion, 16 July
    2015" read as news from today, once per row of the same import."""
    from initiatives.importers import REGISTER_KIND, run_import
    from initiatives.views.public import latest_changes

    cases = json.loads((Path(__file__).parent.parent / "fixtures/data/register/register_2024-04-24.json").read_text())
    for case in cases:  # a later copy: two reasoned opinions more
        if case["Överträdelse nummer"] in ("INFR(2019)2228", "INFR(2019)2229"):
            case["Décision"] += "\n30/04/2024 Motiverat yttrande art. 258 FEUF"
    result = run_import(REGISTER_KIND, json.dumps(cases).encode(), "copy.json", dry_run=False,
                        taken_on=date(2024, 5, 2), reason="import of copy.json (register copy of 2024-05-02)")
    assert result.ok
    changes = latest_changes()
    batches = [change["text"] for change in changes if change["kind"] == "batch"]
    assert batches[0] == ("The copy of the Commission's register of 2 May 2024 was read: 2 infringement decisions "
                          "added")
    assert len(batches) == len(set(batches))
    html = page(client, "overview")
    assert "Recorded on <time" in html and "copy.json" not in html
