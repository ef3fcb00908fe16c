"""`?as_of=YYYY-MM-DD` on the public pages: the state on a past day, on the real, shipped data.

The rules themselves are tested in test_as_of.py; here: the SQL form of the rule agrees with the Python
one, the parameter is read safely, and every page shows the past (and says so)."""

import csv
import io
from datetime import date, timedelta

import pytest

from initiatives import aggregates, state
from initiatives.as_of import EARLIEST, counts_on, latest_counted_start, parse_as_of
from initiatives.models import Decision, KeyActionEvent, TranspositionReport

from .test_public_pages import StructureCheck, add_data

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)
PAGES = ["/", "/initiatives/", "/initiatives/2/", "/timeline/", "/member-states/", "/member-states/MT/",
         "/directive/", "/infringements/", "/about/"]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def register_rows(client, query):
    """The infringement register's CSV export, as (Member State code, latest stage, state) rows."""
    response = client.get("/infringements/?format=csv&" + query)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [(row["member_state_code"], row["latest_stage"], row["state"]) for row in rows]


# --- the rule in SQL -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day, precision, expected", [
    (date(2014, 1, 30), "month", date(2013, 12, 1)),  # January has not ended yet
    (date(2014, 1, 31), "month", date(2014, 1, 1)),  # ... now it has
    (date(2016, 2, 28), "month", date(2016, 1, 1)),  # a leap year: February ends on the 29th
    (date(2016, 2, 29), "month", date(2016, 2, 1)),
    (date(2014, 3, 30), "quarter", date(2013, 10, 1)),
    (date(2014, 3, 31), "quarter", date(2014, 1, 1)),
    (date(2014, 12, 30), "year", date(2013, 1, 1)),
    (date(2014, 12, 31), "year", date(2014, 1, 1)),
    (date(2014, 1, 27), "day", date(2014, 1, 27)),
])
def test_the_latest_period_that_has_wholly_passed_by_a_day(day, precision, expected):
    assert latest_counted_start(day, precision) == expected


def test_the_state_engine_keeps_exactly_the_decisions_and_events_the_python_rule_keeps():
    decisions = list(Decision.objects.all())
    events = list(KeyActionEvent.objects.all())
    days = {date(2016, 2, 29), date(2020, 12, 31), TODAY}
    for record in decisions + events:
        if record.when is not None:  # the day before, on and after the start and the end of its period
            for edge in (record.when.start, record.when.end):
                days.update({edge - timedelta(days=1), edge, edge + timedelta(days=1)})
    for day in sorted(days):
        expected = {r.pk for r in events if r.when is not None and counts_on(r.when, day)}
        assert set(state.dated(KeyActionEvent.objects.all(), day).values_list("pk", flat=True)) == expected, day
        expected = {r.pk for r in decisions if r.when is not None and counts_on(r.when, day)}
        assert set(state.decisions(day).values_list("pk", flat=True)) == expected, day
        kept = aggregates.decision_frame(day)  # the frame the pages' charts read
        assert sorted(zip(kept["procedure_id"], kept["position"], strict=True)) == sorted(
            (d.procedure_id, d.position) for d in decisions if d.pk in expected), day


# --- reading the parameter -----------------------------------------------------------------------------------


def test_a_past_date_is_read_and_today_or_nothing_means_the_present():
    assert parse_as_of("2021-12-31", TODAY).day == date(2021, 12, 31)
    assert parse_as_of(" 2021-12-31 ", TODAY).day == date(2021, 12, 31)
    for raw in ("", None, TODAY.isoformat()):
        as_of = parse_as_of(raw, TODAY)
        assert (as_of.day, as_of.error) == (None, "")
    assert parse_as_of(EARLIEST.isoformat(), TODAY).day == EARLIEST


@pytest.mark.parametrize("raw, message", [
    ("yesterday", "is not a date"), ("2021-02-30", "is not a date"), ("2021-12", "is not a date"),
    ("31/12/2021", "is not a date"), ("2099-01-01", "is in the future"), ("2010-12-31", "starts on 2011-01-01"),
])
def test_an_unusable_date_shows_the_present_and_says_why(raw, message):
    as_of = parse_as_of(raw, TODAY)
    assert as_of.day is None
    assert message in as_of.error


# --- every page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_shows_a_past_date_and_says_so(client, url):
    html = get(client, f"{url}?as_of=2019-12-31")
    assert "Past date: this page shows the state on 31 December 2019." in html
    assert 'value="2019-12-31"' in html  # the date picker holds the day shown
    check = StructureCheck()
    check.feed(html)
    assert check.errors == [] and [i for i, n in check.ids.items() if n > 1] == []


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("raw", ["garbage", "2021-02-30", "2999-01-01", "1900-01-01", "%00", "2021-12-31T00:00"])
def test_every_public_page_answers_bad_dates_with_a_message_and_the_present(client, url, raw):
    html = get(client, f"{url}?as_of={raw}")
    assert 'class="as-of-error" role="alert"' in html
    assert "Past date" not in html


def test_the_year_steps_keep_the_page_filters(client):
    html = get(client, "/infringements/?type=non_communication&as_of=2015-06-30")
    assert 'href="/infringements/?type=non_communication&amp;as_of=2014-12-31"' in html  # a year earlier
    assert 'href="/infringements/?type=non_communication&amp;as_of=2015-12-31"' in html  # the end of this year
    assert 'href="/infringements/?type=non_communication"' in html  # back to today
    assert '<input type="hidden" name="type" value="non_communication">' in html


def test_the_navigation_stays_on_the_past_date(client):
    html = get(client, "/?as_of=2019-12-31")
    assert 'href="/member-states/?as_of=2019-12-31"' in html
    assert 'href="/member-states/?as_of=' not in get(client, "/?as_of=nonsense")


# --- what the pages show on a past day -----------------------------------------------------------------------


def test_a_month_precision_letter_counts_from_the_last_day_of_its_month_a_dated_one_from_its_day(client):
    """January 2014: Malta's letter is dated the 27th; five others are known only to the month."""
    assert register_rows(client, "as_of=2014-01-26") == []
    assert register_rows(client, "as_of=2014-01-27") == [("MT", "letter_of_formal_notice", "open")]
    assert register_rows(client, "as_of=2014-01-30") == [("MT", "letter_of_formal_notice", "open")]
    on_31 = register_rows(client, "as_of=2014-01-31")
    assert sorted(code for code, _stage, _open in on_31) == ["EL", "ES", "IT", "MT", "PT", "RO"]


def test_the_register_shows_the_stage_reached_on_the_day_and_filters_on_it(client):
    before = dict((code, stage) for code, stage, _open in register_rows(client, "as_of=2015-07-15"))
    after = dict((code, stage) for code, stage, _open in register_rows(client, "as_of=2015-07-16"))
    assert before["MT"] == "letter_of_formal_notice" and after["MT"] == "reasoned_opinion"
    reasoned = register_rows(client, "as_of=2015-07-16&stage=reasoned_opinion")
    assert ("MT", "reasoned_opinion", "open") in reasoned
    assert all(stage == "reasoned_opinion" for _code, stage, _open in reasoned)
    assert register_rows(client, "as_of=2015-07-15&stage=reasoned_opinion") == []


def test_a_closure_known_to_lie_between_two_days_is_unknown_inside_them_and_closed_after(client):
    """Malta's 2014 procedure was closed between its reasoned opinion (16 July 2015) and the first copy of the
    Commission's register that no longer lists it (24 August 2020)."""
    query = "member_state=MT&type=non_communication"
    assert register_rows(client, query + "&as_of=2015-07-16") == [("MT", "reasoned_opinion", "open")]
    assert register_rows(client, query + "&as_of=2018-01-01") == [("MT", "reasoned_opinion", "unknown")]
    assert register_rows(client, query + "&as_of=2020-08-24") == [("MT", "closed", "closed")]
    assert register_rows(client, "member_state=MT&state=unknown&as_of=2018-01-01") == [
        ("MT", "reasoned_opinion", "unknown")]
    assert "unknown" in get(client, "/member-states/MT/?as_of=2018-01-01")


def test_the_export_of_a_past_day_is_named_after_it(client):
    response = client.get("/infringements/?format=csv&as_of=2019-12-31")
    assert 'filename="infringements-as-of-2019-12-31.csv"' in response["Content-Disposition"]


def test_the_overview_counts_the_procedures_open_on_the_day(client):
    assert "open infringement procedures" in get(client, "/?as_of=2013-12-31")
    html = get(client, "/?as_of=2014-01-31")
    assert '<span class="figure">6</span> open infringement procedures, in 6 Member States' in html
    assert "no copy of the Commission&#x27;s register by then" in html
    assert "Latest published changes" not in html  # the tracker's own recent changes say nothing of the past


def test_a_key_action_before_its_first_event_is_not_started_and_later_events_are_hidden(client):
    html = get(client, "/initiatives/2/?as_of=2020-08-01")
    today_html = get(client, "/initiatives/2/")
    assert "badge-key_action-not_started" in html
    assert "badge-key_action-not_started" not in today_html
    later = KeyActionEvent.objects.filter(key_action__initiative__number=2, date__gt=date(2020, 8, 1)).first()
    assert later.description[:40] in today_html and later.description[:40] not in html


def test_the_timeline_filters_on_the_status_a_key_action_had_on_the_day(client):
    html = get(client, "/timeline/?as_of=2020-08-01&status=not_started")
    assert "No key action matches these filters." not in html
    assert "badge-key_action-not_started" in html
    assert "badge-key_action-delivered_late" not in html
    assert "badge-key_action-not_started" not in get(client, "/timeline/?status=not_started")


def test_a_member_state_page_shows_only_the_decisions_taken_by_the_day(client):
    html = get(client, "/member-states/MT/?as_of=2014-02-15")
    assert "27 January 2014" in html and "16 July 2015" not in html
    assert "INFR(2019)2115" not in html  # that procedure was opened in 2019
    assert "INFR(2019)2115" in get(client, "/member-states/MT/")


def test_a_report_or_assessment_counts_from_its_date(client, staff_user):
    from initiatives.models import Article, MemberState

    report = TranspositionReport.objects.create(
        member_state=MemberState.objects.get(code="DE"), article=Article.objects.get(number=25),
        status="complete", date=date(2024, 3, 1), date_precision="month")
    assert "cell-complete" not in get(client, "/directive/?measure=notification&as_of=2024-03-30")
    assert "cell-complete" in get(client, "/directive/?measure=notification&as_of=2024-03-31")
    report.delete()


# --- query counts --------------------------------------------------------------------------------------------

# What each page asks the database on a past day, named query by query; the same with 1 and 10 more of
# everything. Where it differs from today's page (test_public_pages.QUERIES), the comment says why.
QUERIES = {
    # the overview leaves out the tracker's latest changes (4 history queries fewer): 1 strategy, 2 key
    # actions with their status on the day, 3 events, 4 Member States, 5 procedures, 6 decisions, 7 the newest
    # register copy by then (what the count rests on), 8-10 the commitments and what came of them
    "/": 10,
    # the state engine annotates each action's status on the day: the same queries as today
    "/initiatives/": 3,
    "/initiatives/1/": 6,
    # the statuses on the day are annotated in SQL: the same 6 queries as today
    "/timeline/": 6,
    "/member-states/": 7,
    # today's queries: the findings on articles made by then and their sources are among them
    "/member-states/DE/": 24,
    # today's: the stages of the Directive's recast, the findings on articles made by then, their sources
    "/directive/": 9,
    "/infringements/": 5,
    # today's: the procedures and decisions on the day instead of today's
    "/about/": 15,
}


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.parametrize("url", list(QUERIES))
def test_query_count_on_a_past_day_does_not_grow_with_the_data(client, django_assert_num_queries, n, url):
    add_data(n)
    with django_assert_num_queries(QUERIES[url]):
        get(client, f"{url}?as_of=2025-06-30")


@pytest.mark.parametrize("url, columns", [
    ("/timeline/", ["initiative", "short_title", "status", "deadline_wording", "deadline", "date"]),
    ("/infringements/", ["member_state", "infr_number", "type", "latest_stage", "latest_date", "is_closed",
                         "first_date", "last_verified"]),
])
def test_every_sortable_column_sorts_both_ways_on_a_past_day(client, url, columns):
    for column in columns:
        for sort in (column, f"-{column}"):
            get(client, f"{url}?as_of=2021-12-31&sort={sort}")


@pytest.mark.parametrize("day", ["2020-12-31", "2021-06-30", "2022-12-31", "2024-12-31", ""])
def test_the_overview_tiles_add_up_to_the_number_of_key_actions_on_any_day(client, day):
    """Issue 14, item 8: on 30 June 2021 the tiles showed 0 + 1 + 5 + 0 (+1 unknown) of 9: no "not started"."""
    import re

    html = get(client, f"/?as_of={day}" if day else "/")
    tiles = [int(n) for n in re.findall(r'<li class="tile-status tile-[a-z_]+"><span class="figure">(\d+)</span>',
                                        html)]
    total = int(re.search(r'<li class="tile-total">\s*<span class="figure">(\d+)</span>', html)[1])
    assert sum(tiles) == total == 9


def test_what_is_unknown_on_the_about_page_is_counted_as_the_records_stand_now_on_any_day(client):
    """/about/ says what is unknown of the records as they are now, whatever the day shown: the same counts as
    the frames of today's figures give (views.public.recorded_now counts them without the state engine)."""
    from initiatives.views.public import recorded_now
    from tests.factories import DecisionFactory, ProcedureFactory, member_state

    DecisionFactory(procedure=ProcedureFactory(member_state=member_state("NL"), infr_number=None))  # no number, no date
    now = recorded_now()
    figures = aggregates.procedure_figures(aggregates.procedure_count_frame())
    decisions = aggregates.decision_count_frame()
    assert (now["procedures"], now["unnumbered"]) == (figures["total"], figures["unnumbered"])
    assert (now["decisions"], now["undated"]) == (int(decisions["n"].sum()),
                                                  int(decisions.loc[decisions["year"].isna(), "n"].sum()))
    said = (f"The Commission's INFR number of {now['unnumbered']} of the {now['procedures']} procedures.",
            f"The date of {now['undated']} of the {now['decisions']} decisions.")
    for url in ("/about/", "/about/?as_of=2021-12-31"):
        page = get(client, url)
        assert all(line in page for line in said), url
