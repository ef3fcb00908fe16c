"""The staff page "As recorded on a date": what the tracker itself recorded by the end of a past day, read
back from the audit history, next to what it records now.

The changes are made through the services and the ORM, then their history rows are moved to fixed times
(history_date is an ordinary column), so that no test depends on the clock. Every history row the shipped
data left is first moved to 1 January 2023, before anything the tests do.
"""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.choices import KeyActionStatus, NotificationStatus, Stage
from initiatives.models import (
    Article,
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    LegalAct,
    MemberState,
    TranspositionReport,
    current_version,
)
from initiatives.views.as_recorded import CHANGED, DELETED, NEW, SAME, Cell, compare

URL = reverse("initiatives:staff_as_recorded")
# Every logged-in staff page starts with: 1 session, 2 user, 3 "is staff?" (groups) in the view,
# 4 "is staff?" again for the navigation, 5 "is a liaison?" for the navigation.
STAFF_REQUEST = 5
TRACKED = [KeyAction, InfringementProcedure, Decision, TranspositionReport, Assessment, MemberState, Initiative,
           Article]


def at(year, month, day, hour=12, minute=0):
    """A moment in the site's time zone (Europe/Brussels)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def move_latest_history(model, pk, when):
    """Date the newest history row of one record `when`, as if the change had been made then."""
    row = model.history.filter(id=pk).order_by("-history_id").first()
    model.history.filter(history_id=row.history_id).update(history_date=when)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def settled(db):
    """Everything already recorded is dated 1 January 2023."""
    for model in TRACKED:
        model.history.update(history_date=at(2023, 1, 1))


@pytest.fixture
def scenario(settled, staff_user):
    """On 2 March 2024 at 00:30 (Brussels; still 1 March in UTC) staff mark a key action stalled and re-date a
    decision to its month; on 1 June 2024 they record a new key action; today they delete a decision."""
    action = KeyAction.objects.filter(status=KeyActionStatus.IN_PROGRESS).order_by("pk").first()
    action.status = KeyActionStatus.STALLED
    services.save_key_action(action, user=staff_user, reason="work programme", version=current_version(action))
    move_latest_history(KeyAction, action.pk, at(2024, 3, 2, 0, 30))

    decision = Decision.objects.filter(date__isnull=False, date_precision="day").order_by("pk").first()
    old_date = decision.when.display()
    decision.date, decision.date_precision = decision.date.replace(day=1), "month"
    decision.save()
    move_latest_history(Decision, decision.pk, at(2024, 3, 2, 0, 30))

    created = KeyAction.objects.create(
        initiative=Initiative.objects.get(number=1), code="99", short_title="Recorded in June", statement="…",
        section_reference="2", lead_actor="commission", deadline_wording="by 2025", status="not_started")
    move_latest_history(KeyAction, created.pk, at(2024, 6, 1))

    deleted = Decision.objects.exclude(pk=decision.pk).order_by("-position", "pk").first()
    deleted_pk = deleted.pk
    deleted.delete()
    return {"action": action, "decision": decision, "old_date": old_date, "created": created,
            "deleted": deleted_pk}


def row_of(rows, pk):
    return next(row for row in rows if row.pk == pk)


def decision_rows(response):
    return [decision for _state, procedures in response.context["infringements"] for procedure in procedures
            for decision in procedure.children]


def test_a_day_before_the_change_shows_the_old_status_and_date_as_was_now(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-03-01"})
    assert response.status_code == 200
    action = row_of(response.context["key_actions"], scenario["action"].pk)
    assert action.state == CHANGED
    assert action.cells["status"] == Cell(KeyActionStatus.IN_PROGRESS, KeyActionStatus.STALLED)
    decision = row_of(decision_rows(response), scenario["decision"].pk)
    assert decision.state == CHANGED
    assert decision.cells["date"] == Cell(scenario["old_date"], scenario["decision"].when.display())

    html = response.content.decode()
    assert "<del><span class=\"badge badge-key_action-in_progress\"" in html
    assert "<ins><span class=\"badge badge-key_action-stalled\"" in html
    assert f"<del>{scenario['old_date']}</del></span> <span aria-hidden=\"true\">→</span>" in html
    assert "Where the two differ, a cell reads “was → now”." in html


def test_a_day_after_the_change_shows_no_difference(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-03-02"})
    assert row_of(response.context["key_actions"], scenario["action"].pk).state == SAME
    assert row_of(decision_rows(response), scenario["decision"].pk).state == SAME
    html = response.content.decode()
    assert "<del>" not in html and '<span aria-hidden="true">→</span>' not in html


def test_the_day_ends_at_midnight_in_the_sites_time_zone(staff_client, scenario):
    """00:30 in Brussels on 2 March is 23:30 UTC on 1 March: it belongs to 2 March."""
    for day, state in [("2024-03-01", CHANGED), ("2024-03-02", SAME)]:
        response = staff_client.get(URL, {"on": day})
        assert row_of(response.context["key_actions"], scenario["action"].pk).state == state, day


def test_a_record_created_after_the_day_is_not_yet_recorded(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-05-31"})
    row = row_of(response.context["key_actions"], scenario["created"].pk)
    assert row.state == NEW and row.cells["title"] == Cell(None, "Recorded in June")
    assert "not yet recorded" in response.content.decode()
    after = staff_client.get(URL, {"on": "2024-06-01"})
    assert row_of(after.context["key_actions"], scenario["created"].pk).state == SAME


def test_a_record_deleted_since_says_so_and_keeps_its_link_to_its_history(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-06-01"})
    row = row_of(decision_rows(response), scenario["deleted"])
    assert row.state == DELETED
    assert row.history_url == reverse("initiatives:staff_history", args=["decision", scenario["deleted"]])
    html = response.content.decode()
    assert "deleted since" in html and row.history_url in html
    assert staff_client.get(row.history_url).status_code == 200


def test_the_number_of_records_changed_since_the_day_is_shown(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-03-01"})
    # The key action marked stalled and the one created in June; the re-dated and the deleted decision.
    assert response.context["changes"] == {"key_actions": 2, "procedures": 0, "decisions": 2, "reports": 0,
                                           "assessments": 0}
    assert "4 records were created, changed or deleted after 1 March 2024" in response.content.decode()
    later = staff_client.get(URL, {"on": "2024-06-01"})
    assert later.context["changed_total"] == 1  # only the deletion, today


def test_only_what_changed_can_be_shown(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-03-01", "changed": "on"})
    assert {row.pk for row in response.context["key_actions"]} == {scenario["action"].pk, scenario["created"].pk}
    assert {row.pk for row in decision_rows(response)} == {scenario["decision"].pk, scenario["deleted"]}


def test_every_row_links_to_the_history_of_its_record(staff_client, scenario):
    response = staff_client.get(URL, {"on": "2024-03-01"})
    html = response.content.decode()
    action_history = reverse("initiatives:staff_history", args=["key-action", scenario["action"].pk])
    procedure = scenario["decision"].procedure
    assert action_history in html
    assert reverse("initiatives:staff_history", args=["procedure", procedure.pk]) in html
    assert reverse("initiatives:staff_history", args=["decision", scenario["decision"].pk]) in html


def test_report_and_assessment_counts_per_member_state_then_and_now(staff_client, settled):
    germany = MemberState.objects.get(code="DE")
    articles = list(Article.objects.filter(legal_act__celex="32011L0093").order_by("number")[:3])
    for article in articles:
        report = TranspositionReport.objects.create(member_state=germany, article=article,
                                                    status=NotificationStatus.COMPLETE, date=date(2024, 1, 1))
        move_latest_history(TranspositionReport, report.pk, at(2024, 1, 10))
    assessment = Assessment.objects.create(member_state=germany, article=articles[0], date=date(2024, 5, 1))
    move_latest_history(Assessment, assessment.pk, at(2024, 5, 10))
    response = staff_client.get(URL, {"on": "2024-02-01"})
    [counts] = response.context["counts"]
    assert counts.member_state == germany
    assert (counts.reports, counts.assessments) == (Cell(3, 3), Cell(0, 1))
    assert response.context["changes"]["assessments"] == 1


def test_a_day_before_the_audit_history_starts_says_nothing_is_recorded_before_it(staff_client, settled):
    response = staff_client.get(URL, {"on": "2022-12-31"})
    assert response.context["before_history"]
    html = response.content.decode()
    assert "The tracker’s audit history starts on 1 January 2023, 12:00; nothing is recorded before it." in html
    assert all(row.state == NEW for row in response.context["key_actions"])
    assert not staff_client.get(URL, {"on": "2023-01-01"}).context["before_history"]


@pytest.mark.parametrize("value", ["2021-02-30", "yesterday", "future"])
def test_a_bad_or_future_date_is_explained_and_today_is_shown(staff_client, value):
    today = timezone.localdate()
    if value == "future":
        value = (today + timedelta(days=1)).isoformat()
    response = staff_client.get(URL, {"on": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Showing today’s records instead." in html
    assert ("This is not a date" in html) or ("This date is in the future" in html)
    assert response.context["day"] == today and response.context["is_today"]


def test_without_a_date_the_page_shows_today_with_no_difference(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200 and response.context["is_today"]
    assert response.context["changed_total"] == 0
    assert 'type="date"' in response.content.decode()


def test_a_liaison_is_refused_and_an_anonymous_visitor_sent_to_log_in(client, liaison_de):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(liaison_de)
    assert client.get(URL).status_code == 403


def test_the_workspace_navigation_links_to_the_page(staff_client):
    assert f'href="{URL}" aria-current="page"' in staff_client.get(URL).content.decode()


def test_compare_tells_the_five_states_apart():
    display = lambda row: {"status": row["status"]}  # noqa: E731
    now = {2: {"status": "b", "changed_since": True, "has_history": True},
           3: {"status": "c", "changed_since": False, "has_history": True},
           4: {"status": "d", "changed_since": True, "has_history": True},
           5: {"status": "e", "changed_since": True, "has_history": True}}
    then = {1: {"status": "a"}, 2: {"status": "a"}, 3: {"status": "c"}, 5: {"status": "e"}}
    states = {row.pk: row.state for row in compare(then, now, display)}
    assert states == {1: DELETED, 2: CHANGED, 3: SAME, 4: NEW, 5: "changed_elsewhere"}


def make_records(n):
    """n key actions, n procedures of one decision each and n reports, each changed once after creation."""
    initiative = Initiative.objects.get(number=1)
    directive = LegalAct.objects.get(celex="32011L0093")
    denmark = MemberState.objects.get(code="DK")
    articles = list(Article.objects.filter(legal_act=directive).order_by("number")[:n])
    for index in range(n):
        action = KeyAction.objects.create(
            initiative=initiative, code=f"q{index}", short_title=f"Action {index}", statement="…",
            section_reference="2", lead_actor="commission", deadline_wording="soon", status="not_started")
        action.status = KeyActionStatus.IN_PROGRESS
        action.save()
        procedure = InfringementProcedure.objects.create(member_state=denmark, type="non_conformity",
                                                         legal_act=directive)
        decision = Decision.objects.create(procedure=procedure, position=1, stage=Stage.LETTER_OF_FORMAL_NOTICE,
                                           date=date(2024, 1, 1))
        decision.date_precision = "month"
        decision.save()
        TranspositionReport.objects.create(member_state=denmark, article=articles[index],
                                           status=NotificationStatus.PARTIAL, date=date(2024, 1, 1))
        Assessment.objects.create(member_state=denmark, article=articles[index], date=date(2024, 1, 1))


@pytest.mark.parametrize("n", [1, 10])
def test_the_as_recorded_query_count_does_not_grow(staff_client, settled, django_assert_num_queries, n):
    make_records(n)
    # STAFF_REQUEST, then 1 Member States, 2 initiative numbers, 3 the oldest history row (one UNION over every
    # history table), 4-5 key actions then (latest history row of each) and now (with "changed since" and
    # "has history" as EXISTS subqueries), 6-7 procedures then and now, 8-9 decisions then and now,
    # 10-11 transposition reports then and now, 12-13 assessments then and now.
    with django_assert_num_queries(STAFF_REQUEST + 13):
        response = staff_client.get(URL, {"on": "2024-01-01"})
    assert response.status_code == 200
    assert response.context["changes"]["key_actions"] >= n
