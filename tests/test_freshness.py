"""Freshness: a record not verified against its sources for FRESHNESS_MONTHS months needs checking (staff see a
badge and a page to mark records verified today); the public pages show when each record was last verified."""

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from initiatives.deadlines import add_months
from initiatives.freshness import cutoff, due_for_checking, needing_checking, needs_checking
from initiatives.models import (
    Article,
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    MemberState,
    TranspositionReport,
)
from tests.factories import open_procedures
from tests.test_review_flow import form_values
from tests.test_staff_queries import more_key_actions, more_procedures

URL = reverse("initiatives:staff_needs_checking")
REASON = "verified against sources"
# Every logged-in staff page starts with: 1 session, 2 user, 3 "is staff?" (groups) in the view,
# 4 "is staff?" again for the navigation, 5 "is a liaison?" for the navigation.
STAFF_REQUEST = 5


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def today():
    return timezone.localdate()


def section(response, slug):
    return next(rows for kind, rows in response.context["sections"] if kind.slug == slug)


def listed(response, slug):
    return [row.record.pk for row in section(response, slug)]


# --- The rules ------------------------------------------------------------------------------------------------


def test_a_record_verified_on_31_august_falls_due_on_the_last_day_of_february():
    assert due_for_checking(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert due_for_checking(date(2023, 8, 31), 6) == date(2024, 2, 29)  # a leap year


def test_a_leap_day_falls_due_on_28_february_a_year_later_and_29_february_stays():
    assert due_for_checking(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert due_for_checking(date(2024, 2, 29), 48) == date(2028, 2, 29)


def test_a_record_needs_checking_exactly_on_the_day_it_falls_due_and_not_the_day_before():
    verified = date(2026, 3, 3)
    assert not needs_checking(verified, date(2026, 9, 2), 6)
    assert needs_checking(verified, date(2026, 9, 3), 6)
    assert needs_checking(verified, date(2027, 1, 1), 6)
    assert not needs_checking(verified, verified, 6)


def test_a_record_never_verified_always_needs_checking():
    assert due_for_checking(None, 6) is None
    assert needs_checking(None, date(2020, 1, 1), 6)


@pytest.mark.parametrize("months", [1, 6, 12, 13])
def test_the_database_cutoff_selects_exactly_the_records_the_rule_does_on_every_day(months):
    """For every day of a leap year and the year after: verified on the cutoff day needs checking, the day
    after does not (the rule only grows with the day verified, so the two days settle every other day)."""
    day = date(2024, 1, 1)
    while day < date(2026, 1, 1):
        last = cutoff(day, months)
        assert needs_checking(last, day, months), (day, months, last)
        assert not needs_checking(last + timedelta(days=1), day, months), (day, months, last)
        day += timedelta(days=1)
    assert cutoff(date(2026, 2, 28), 6) == date(2025, 8, 31)  # 29, 30 and 31 August all fall due on 28 February
    assert cutoff(date(2024, 2, 29), 6) == date(2023, 8, 31)


def test_the_query_selects_never_verified_first_then_the_oldest_check(db):
    on = date(2026, 9, 3)
    actions = list(KeyAction.objects.order_by("pk")[:4])
    verified = [date(2026, 3, 3), date(2026, 3, 4), date(2025, 1, 10), None]
    for action, day in zip(actions, verified, strict=True):
        KeyAction.objects.filter(pk=action.pk).update(last_verified=day)
    chosen = list(needing_checking(KeyAction.objects.filter(pk__in=[a.pk for a in actions]), on, 6)
                  .values_list("pk", flat=True))
    assert chosen == [actions[3].pk, actions[2].pk, actions[0].pk]


def test_a_bad_number_of_months_fails_loudly():
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    for bad in ["six", "0", "-1", "1.5"]:
        environment.update(FRESHNESS_MONTHS=bad, DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
        result = subprocess.run([sys.executable, "manage.py", "check"], env=environment, capture_output=True,
                                text=True)
        assert result.returncode != 0 and "FRESHNESS_MONTHS must be a whole number" in result.stderr, bad


# --- Imported data ---------------------------------------------------------------------------------------------


def test_the_shipped_research_data_is_never_marked_as_verified(db):
    for model in (Article, KeyAction, KeyActionEvent, InfringementProcedure, Decision, TranspositionReport,
                  Assessment):
        assert not model.objects.filter(last_verified__isnull=False).exists(), model


def test_loading_the_real_data_again_keeps_what_staff_verified(db):
    from tests.conftest import load_real_data

    day = date(2026, 3, 3)
    records = [KeyAction.objects.first(), KeyActionEvent.objects.first(), InfringementProcedure.objects.first(),
               Decision.objects.first(), Article.objects.first()]
    for record in records:
        type(record).objects.filter(pk=record.pk).update(last_verified=day)
    load_real_data()
    for record in records:
        assert type(record).objects.get(pk=record.pk).last_verified == day, type(record)


# --- The staff page --------------------------------------------------------------------------------------------


def test_staff_see_records_never_verified_first_then_the_oldest_and_not_those_checked_recently(staff, settings):
    settings.FRESHNESS_MONTHS = 6
    never, old, recent = KeyAction.objects.order_by("pk")[:3]
    KeyAction.objects.filter(pk=old.pk).update(last_verified=add_months(today(), -7))
    KeyAction.objects.filter(pk=recent.pk).update(last_verified=add_months(today(), -5))
    response = staff.get(URL)
    assert response.status_code == 200
    order = listed(response, "key-action")
    assert recent.pk not in order
    assert order.index(never.pk) < order.index(old.pk) == len(order) - 1
    html = response.content.decode()
    assert "never" in html and add_months(add_months(today(), -7), 6).strftime("%-d %B %Y") in html
    assert f'value="key-action:{old.pk}"' in html
    assert reverse("initiatives:staff_key_action", args=[old.pk]) in html


def test_the_number_of_months_comes_from_the_setting(staff, settings):
    action = KeyAction.objects.first()
    KeyAction.objects.filter(pk=action.pk).update(last_verified=add_months(today(), -2))
    settings.FRESHNESS_MONTHS = 6
    assert action.pk not in listed(staff.get(URL), "key-action")
    settings.FRESHNESS_MONTHS = 1
    response = staff.get(URL)
    assert action.pk in listed(response, "key-action")
    assert "in the last month" in response.content.decode()


def test_each_kind_is_listed_with_its_count(staff):
    response = staff.get(URL)
    counts = {kind.slug: len(rows) for kind, rows in response.context["sections"]}
    assert counts == {"key-action": KeyAction.objects.count(), "event": KeyActionEvent.objects.count(),
                      "procedure": InfringementProcedure.objects.count(), "decision": Decision.objects.count(),
                      "assessment": Assessment.objects.count(),
                      "transposition-report": TranspositionReport.objects.count()}
    assert response.context["total"] == sum(counts.values())
    assert f"{response.context['total']} records need checking" in response.content.decode()


def test_the_member_state_filter_narrows_procedures_and_decisions(staff):
    response = staff.get(URL, {"member_state": "EL"})
    procedures = InfringementProcedure.objects.filter(member_state__code="EL")
    assert set(listed(response, "procedure")) == set(procedures.values_list("pk", flat=True))
    assert set(listed(response, "decision")) == set(
        Decision.objects.filter(procedure__in=procedures).values_list("pk", flat=True))
    shown = [kind.slug for kind, _rows in response.context["sections"]]
    assert shown == ["procedure", "decision", "assessment", "transposition-report"]  # key actions have no MS
    assert "Not listed, as the filter does not apply to them: Key actions, Events of key actions." in (
        response.content.decode())


def test_the_initiative_filter_narrows_key_actions_and_events(staff):
    response = staff.get(URL, {"initiative": "2"})
    assert set(listed(response, "key-action")) == set(
        KeyAction.objects.filter(initiative__number=2).values_list("pk", flat=True))
    assert {row.record.key_action.initiative.number for row in section(response, "event")} <= {2}
    assert [kind.slug for kind, _rows in response.context["sections"]] == ["key-action", "event"]


def test_both_filters_together_narrow_every_kind(staff):
    response = staff.get(URL, {"initiative": "2", "member_state": "EL"})
    assert len(response.context["sections"]) == 6
    assert {row.record.procedure.member_state.code for row in section(response, "decision")} == {"EL"}


def test_a_bad_filter_value_is_explained_and_lists_nothing(staff):
    response = staff.get(URL, {"member_state": "XX"})
    assert response.status_code == 200 and "sections" not in response.context
    assert "Some filter values are not valid" in response.content.decode()


@pytest.mark.parametrize("n", [1, 10])
def test_the_needs_checking_query_count_does_not_grow(staff, django_assert_num_queries, n):
    more_key_actions(n)
    more_procedures(n)
    # STAFF_REQUEST, then 1 Member States and 2 initiatives (filter options), 3 key actions with their
    # initiative, 4 events with key action and initiative, 5 procedures with Member State, 6 decisions with
    # procedure and Member State, 7 assessments and 8 transposition reports with Member State and article
    with django_assert_num_queries(STAFF_REQUEST + 8):
        assert staff.get(URL).status_code == 200


def test_staff_mark_several_records_verified_today_and_each_change_is_audited(staff, staff_user):
    action = KeyAction.objects.first()
    decision = Decision.objects.first()
    event = KeyActionEvent.objects.first()
    response = staff.post(URL, {"record": [f"key-action:{action.pk}", f"decision:{decision.pk}",
                                           f"event:{event.pk}"]}, follow=True)
    assert "3 records marked as verified today." in response.content.decode()
    for model, record in [(KeyAction, action), (Decision, decision), (KeyActionEvent, event)]:
        assert model.objects.get(pk=record.pk).last_verified == today()
        newest = model.history.filter(id=record.pk).order_by("-history_id").first()
        assert (newest.history_change_reason, newest.history_user, newest.last_verified) == (
            REASON, staff_user, today())
    assert action.pk not in listed(response, "key-action")


def test_marking_a_record_already_verified_today_adds_no_history(staff):
    action = KeyAction.objects.first()
    staff.post(URL, {"record": f"key-action:{action.pk}"})
    before = KeyAction.history.filter(id=action.pk).count()
    response = staff.post(URL, {"record": f"key-action:{action.pk}"}, follow=True)
    assert "1 was already marked as verified today." in response.content.decode()
    assert KeyAction.history.filter(id=action.pk).count() == before


def test_the_filters_are_kept_after_marking(staff):
    action = KeyAction.objects.filter(initiative__number=2).first()
    response = staff.post(URL + "?initiative=2", {"record": f"key-action:{action.pk}"})
    assert response.status_code == 302 and response["Location"].endswith("?initiative=2")


@pytest.mark.parametrize("values,message", [
    ([], "Tick at least one record"),
    (["key-action:999999"], "No such record: key action 999999"),
    (["article:1"], "is not a kind of record that can be verified here"),
    (["initiative:1"], "is not a kind of record that can be verified here"),
    (["key-action:abc"], "does not name a record"),
    (["key-action:"], "does not name a record"),
    (["key-action:-3"], "does not name a record"),
    (["12"], "is not a kind of record that can be verified here"),
])
def test_bad_input_is_explained_and_marks_nothing(staff, values, message):
    good = KeyAction.objects.first()
    before = (KeyAction.history.count(), Decision.history.count())
    response = staff.post(URL, {"record": [f"key-action:{good.pk}", *values] if values else []})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Nothing was marked as verified." in html
    assert KeyAction.objects.get(pk=good.pk).last_verified is None
    assert (KeyAction.history.count(), Decision.history.count()) == before


def test_a_liaison_cannot_mark_records_verified(client, liaison_de):
    client.force_login(liaison_de)
    action = KeyAction.objects.first()
    assert client.post(URL, {"record": f"key-action:{action.pk}"}).status_code == 403
    assert KeyAction.objects.get(pk=action.pk).last_verified is None


def test_staff_home_counts_the_records_that_need_checking_and_the_nav_links_the_page(staff):
    total = sum(model.objects.count() for model in (KeyAction, KeyActionEvent, InfringementProcedure, Decision,
                                                    Assessment, TranspositionReport))
    KeyAction.objects.filter(pk=KeyAction.objects.first().pk).update(last_verified=today())
    html = staff.get(reverse("initiatives:staff_home")).content.decode()
    assert f"{total - 1} published records were not checked" in html
    assert f'href="{URL}"' in html


def test_the_key_action_list_and_the_procedure_page_badge_records_that_need_checking(staff):
    fresh, stale = KeyAction.objects.order_by("pk")[:2]
    KeyAction.objects.filter(pk=fresh.pk).update(last_verified=today())
    html = staff.get(reverse("initiatives:staff_key_actions")).content.decode()
    assert html.count("needs checking</span>") == KeyAction.objects.count() - 1
    procedure = InfringementProcedure.objects.filter(decisions__isnull=False).first()
    decisions = procedure.decisions.count()
    Decision.objects.filter(pk=procedure.decisions.first().pk).update(last_verified=today())
    html = staff.get(reverse("initiatives:staff_procedure", args=[procedure.pk])).content.decode()
    # each decision but the one verified today, and the procedure itself
    assert html.count("needs checking</span>") == decisions - 1 + 1
    assert stale  # listed with its badge above


# --- The tick box on the edit forms ----------------------------------------------------------------------------


def test_ticking_i_checked_this_today_on_a_key_action_records_today(staff):
    action = KeyAction.objects.first()
    url = reverse("initiatives:staff_key_action", args=[action.pk])
    page = staff.get(url)
    assert "I checked this against its sources today" in page.content.decode()
    assert not page.context["form"]["verified_today"].value()  # empty at first
    assert staff.post(url, form_values(page, verified_today="on")).status_code == 302
    assert KeyAction.objects.get(pk=action.pk).last_verified == today()


def test_saving_without_the_tick_leaves_the_last_verified_day_as_it_was(staff):
    action = KeyAction.objects.first()
    KeyAction.objects.filter(pk=action.pk).update(last_verified=date(2025, 1, 2))
    url = reverse("initiatives:staff_key_action", args=[action.pk])
    assert staff.post(url, form_values(staff.get(url), narrative="Updated.")).status_code == 302
    assert KeyAction.objects.get(pk=action.pk).last_verified == date(2025, 1, 2)


def test_ticking_the_box_on_an_event_records_today(staff):
    event = KeyActionEvent.objects.first()
    url = reverse("initiatives:staff_event_edit", args=[event.pk])
    assert staff.post(url, form_values(staff.get(url), verified_today="on")).status_code == 302
    assert KeyActionEvent.objects.get(pk=event.pk).last_verified == today()


def test_a_new_decision_checked_today_is_recorded_as_verified_today(staff):
    procedure = open_procedures().filter(decisions__stage="letter_of_formal_notice").exclude(
        decisions__stage__in=["reasoned_opinion", "referral"]).first()
    url = reverse("initiatives:staff_procedure", args=[procedure.pk])
    last = procedure.decisions.order_by("-position").first()
    response = staff.post(url, {"stage": "reasoned_opinion", "date": today().isoformat(),
                                "sources": "https://ec.europa.eu/x", "confidence": "high",
                                "after_position": last.position, "verified_today": "on"})
    assert response.status_code == 302, response.context["form"].errors
    assert procedure.decisions.order_by("-position").first().last_verified == today()


def test_a_new_assessment_checked_today_is_recorded_as_verified_today(staff):
    url = reverse("initiatives:staff_assessment", args=["IT", 3])
    response = staff.post(url, {"status": "conform", "date": "2025-06", "sources": "https://ec.europa.eu/y",
                                "confidence": "high", "version": 0, "verified_today": "on"})
    assert response.status_code == 302, response.context["form"].errors
    assert Assessment.objects.get(member_state__code="IT", article__number=3).last_verified == today()


# --- The public pages and the API ------------------------------------------------------------------------------


def test_public_pages_show_the_day_a_key_action_was_last_verified_or_that_it_was_not_yet(client, db):
    number = Initiative.objects.annotate(n=Count("key_actions")).filter(n__gte=2).first().number
    verified = KeyAction.objects.filter(initiative__number=number).first()
    KeyAction.objects.filter(pk=verified.pk).update(last_verified=date(2026, 3, 3))
    html = client.get(reverse("initiatives:initiative_detail", args=[number])).content.decode()
    assert "Last verified 3 March 2026" in html
    assert "Not yet verified by staff" in html  # the others
    assert "needs checking" not in html.lower()


def test_the_member_state_page_shows_when_each_procedure_and_assessment_was_last_verified(client, db):
    italy = MemberState.objects.get(code="IT")
    procedure = InfringementProcedure.objects.filter(member_state=italy).first()
    InfringementProcedure.objects.filter(pk=procedure.pk).update(last_verified=date(2026, 3, 3))
    Assessment.objects.create(member_state=italy, article=Article.objects.get(legal_act__celex="32011L0093",
                                                                               number=3),
                              status="conform", date=date(2025, 6, 1), last_verified=date(2026, 1, 15))
    html = client.get(reverse("initiatives:member_state_detail", args=["IT"])).content.decode()
    assert "Last verified 3 March 2026" in html
    assert "Last verified 15 January 2026" in html
    if InfringementProcedure.objects.filter(member_state=italy).count() > 1:
        assert "Not yet verified by staff" in html
    assert "needs checking" not in html.lower()


def test_the_register_has_a_last_verified_column(client, db):
    procedure = InfringementProcedure.objects.first()
    InfringementProcedure.objects.filter(pk=procedure.pk).update(last_verified=date(2026, 3, 3))
    html = client.get(reverse("initiatives:infringement_list"), {"sort": "-last_verified"}).content.decode()
    assert "Last verified" in html and "3 March 2026" in html and "not yet verified by staff" in html


def test_the_api_gives_the_last_verified_day_of_every_sourced_fact(client, db):
    event = KeyActionEvent.objects.first()
    KeyActionEvent.objects.filter(pk=event.pk).update(last_verified=date(2026, 3, 3))
    for endpoint in ["key-actions", "events", "infringement-procedures", "decisions", "articles"]:
        results = client.get(f"/api/{endpoint}/").json()["results"]
        assert results and all("last_verified" in item for item in results), endpoint
    events = client.get("/api/events/", {"page_size": 500}).json()["results"]
    assert {item["id"]: item["last_verified"] for item in events}[event.pk] == "2026-03-03"
