"""Issue 16: a key action's events as their number grows. The timeline draws at most one cross per key action
and year (counted in SQL), the initiative's page shows each action's latest events with their number and a link
to a paged list of all of them, and neither asks the database more for more events."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives import aggregates
from initiatives.models import KeyAction, KeyActionEvent
from initiatives.views.public import EVENTS_SHOWN
from tests.factories import InitiativeFactory, KeyActionEventFactory, KeyActionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def action_with_events(n, *, first=date(2021, 1, 4), step=timedelta(days=3), **action):
    """A key action of a test initiative with `n` events, one every `step` from `first`, each with a source."""
    key_action = KeyActionFactory(**action)
    source = SourceFactory()
    for i in range(n):
        event = KeyActionEventFactory(key_action=key_action, date=first + i * step, description=f"Step {i + 1}")
        event.sources.add(source)
    return key_action


def figure(html, chart_id="chart-timeline"):
    found = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found[1])


def crosses(fig, row_start):
    """The event markers drawn on the rows whose label starts with `row_start`."""
    return [(x, text) for trace in fig["data"] if trace.get("name", "")[:1] in "×✕"
            for x, y, text in zip(trace["x"], trace["y"], trace["customdata"], strict=True)
            if y.startswith(row_start)]


def test_the_sql_groups_are_the_groups_of_the_events_and_follow_the_day():
    key_action = action_with_events(40, step=timedelta(days=20))  # 4 January 2021 to 2 February 2023
    actions = KeyAction.objects.filter(pk=key_action.pk)
    in_sql = aggregates.event_group_frame(actions)
    in_pandas = aggregates.event_groups(aggregates.event_frame(actions))
    assert in_sql.to_dict("records") == in_pandas.to_dict("records")
    assert [(row["year"], row["n"]) for row in in_sql.to_dict("records")] == [(2021, 19), (2022, 18), (2023, 3)]
    on_day = aggregates.event_group_frame(actions, day=date(2021, 12, 31)).to_dict("records")
    assert [(row["year"], row["n"], row["last_date"]) for row in on_day] == [(2021, 19, date(2021, 12, 30))]


@pytest.mark.parametrize("url", ["/timeline/", "/"])
def test_the_timeline_chart_draws_one_cross_per_key_action_and_year(client, url):
    key_action = action_with_events(120, step=timedelta(days=1))  # 4 January to 3 May 2021
    KeyActionEventFactory(key_action=key_action, date=date(2022, 6, 1), description="Adopted")
    html = client.get(url + ("?kind=" if url == "/timeline/" else "")).content.decode()
    label = f"{key_action.initiative.number}/{key_action.code} "
    assert sorted(crosses(figure(html), label)) == [
        ("2021-01-04", "120 dated events between 4 January 2021 and 3 May 2021 (marked on the first)"),
        ("2022-06-01", ["1 June 2022", "Adopted"])]


def test_the_timeline_caption_says_what_a_large_cross_is(client):
    html = client.get("/timeline/").content.decode()
    assert "a large cross several dated events of the same year, drawn on the first of them" in html


def test_the_timeline_on_a_past_day_counts_only_the_events_that_had_happened(client):
    key_action = action_with_events(30, step=timedelta(days=10))  # 4 January 2021 to 13 October 2021
    html = client.get("/timeline/?kind=&as_of=2021-01-20").content.decode()
    assert crosses(figure(html), f"{key_action.initiative.number}/{key_action.code} ") == [
        ("2021-01-04", "2 dated events between 4 January 2021 and 14 January 2021 (marked on the first)")]


def events_shown(html, code):
    article = html.split(f'id="action-{code}"', 1)[1].split("</article>", 1)[0]
    return re.findall(r"Step \d+", article), article


def test_the_initiative_page_shows_the_latest_events_their_number_and_a_link_to_all(client):
    key_action = action_with_events(EVENTS_SHOWN + 25)
    html = client.get(key_action.initiative.get_absolute_url()).content.decode()
    shown, article = events_shown(html, key_action.code)
    assert shown == [f"Step {i}" for i in range(26, 36)]  # the latest ten, in date order
    assert f"The latest {EVENTS_SHOWN} of 35 dated events, in date order." in article
    url = reverse("initiatives:key_action_events", args=[key_action.initiative.number, key_action.code])
    assert f'<a href="{url}">Read all 35 events</a>' in article


def test_a_key_action_with_few_events_shows_them_all_and_no_link(client):
    key_action = action_with_events(3)
    shown, article = events_shown(client.get(key_action.initiative.get_absolute_url()).content.decode(),
                                  key_action.code)
    assert shown == ["Step 1", "Step 2", "Step 3"]
    assert "Read all" not in article and "The latest" not in article


def test_on_a_past_day_the_initiative_page_and_the_events_page_leave_later_events_out(client):
    key_action = action_with_events(EVENTS_SHOWN + 5, step=timedelta(days=30))  # the 13th on 21 December 2021
    page = key_action.initiative.get_absolute_url() + "?as_of=2021-12-31"
    shown, article = events_shown(client.get(page).content.decode(), key_action.code)
    assert shown == [f"Step {i}" for i in range(4, 14)]
    url = reverse("initiatives:key_action_events", args=[key_action.initiative.number, key_action.code])
    assert f'href="{url}?as_of=2021-12-31">Read all 13 events</a>' in article
    listed = client.get(url + "?as_of=2021-12-31").content.decode()
    assert re.findall(r"Step \d+", listed) == [f"Step {i}" for i in range(1, 14)]


def test_the_events_page_lists_every_event_in_date_order_a_page_at_a_time(client):
    key_action = action_with_events(60)
    url = reverse("initiatives:key_action_events", args=[key_action.initiative.number, key_action.code])
    first = client.get(url).content.decode()
    assert re.findall(r"Step \d+", first) == [f"Step {i}" for i in range(1, 26)]
    assert "60 dated events, in date order, with their sources." in first and "Page 1 of 3" in first
    assert "Test source" in first
    last = client.get(url + "?page=3").content.decode()
    assert re.findall(r"Step \d+", last) == [f"Step {i}" for i in range(51, 61)]
    assert client.get(reverse("initiatives:key_action_events", args=[key_action.initiative.number, "nope"])
                      ).status_code == 404


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("query", ["", "?as_of=2021-12-31", "?as_of=2020-12-31"])
def test_the_pages_ask_the_same_number_of_queries_for_2_and_30_events_per_key_action(client, query):
    initiative = InitiativeFactory()
    actions = [KeyActionFactory(initiative=initiative) for _ in range(3)]
    events_url = reverse("initiatives:key_action_events", args=[initiative.number, actions[0].code])
    urls = [initiative.get_absolute_url(), events_url, "/timeline/", "/"]
    counts = {}
    for n in (2, 30):
        KeyActionEvent.objects.filter(key_action__in=actions).delete()
        for action in actions:
            for i in range(n):  # from 2021: none by the end of 2020
                event = KeyActionEventFactory(key_action=action, date=date(2021, 1, 1) + timedelta(days=5 * i))
                event.sources.add(SourceFactory())
        counts[n] = {url: queries(client, url + query) for url in urls}
    assert counts[2] == counts[30]


def test_the_events_page_and_the_initiative_page_ask_as_much_for_no_event_as_for_many(client):
    empty, busy = KeyActionFactory(), action_with_events(40)
    for action in (empty, busy):
        action.url = reverse("initiatives:key_action_events", args=[action.initiative.number, action.code])
    assert queries(client, empty.url) == queries(client, busy.url)
    assert queries(client, empty.initiative.get_absolute_url()) == queries(client, busy.initiative.get_absolute_url())


def test_the_year_in_sql_is_the_dates_year_and_sqlite_computes_it_itself():
    """aggregates.Year groups the events and decisions by year. On SQLite, Django's ExtractYear is a Python
    function SQLite calls back for each row and each use (five per event in the events' windows: 37 ms at 50x);
    Year asks SQLite's own strftime() and gives the same years, an unknown date staying unknown."""
    from django.db.models import DateField, Value
    from django.db.models.functions import Cast, ExtractYear

    from initiatives.models import Decision

    days = [date(1999, 12, 31), date(2014, 1, 1), date(2021, 6, 30), None]
    for day in days:
        found = Decision.objects.annotate(
            mine=aggregates.Year(Cast(Value(day), DateField())),
            django=ExtractYear(Cast(Value(day), DateField()))).values_list("mine", "django")[:1]
        mine, django_year = found[0]
        assert mine == django_year == (day.year if day else None)
    with CaptureQueriesContext(connection) as captured:
        aggregates.event_group_frame()
        aggregates.decision_count_frame()
    assert not any("django_date_extract" in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("day", [None, date(2021, 12, 31), date(2020, 6, 30)])
def test_each_key_actions_event_count_is_its_events_that_had_happened_by_the_day(day):
    """Counted per key action in a subquery (a join to the events, grouped, made the database work out the state
    engine's annotations once per event): the same numbers as counting the events one key action at a time."""
    from initiatives import state
    from initiatives.views.public import initiatives_with_actions

    published = state.dated(KeyActionEvent.objects.published(), day)
    counted = {action.pk: action.event_count for initiative in initiatives_with_actions(details=False, day=day)
               for action in initiative.action_list}
    assert counted and any(counted.values())
    assert counted == {pk: published.filter(key_action_id=pk).count() for pk in counted}
