"""The staff Deadlines page: replies due from Member States and key actions past or near their deadline,
computed from the recorded dates on a fixed day (?today=) so that no test depends on the clock."""

from datetime import date

import pytest
from django.urls import reverse

from initiatives.choices import KeyActionStatus, Stage
from initiatives.dates import PartialDate
from initiatives.models import Decision, InfringementProcedure, Initiative, KeyAction, LegalAct, MemberState
from initiatives.views.deadlines import DUE_SOON, OVERDUE, UNKNOWN, classify

URL = reverse("initiatives:staff_deadlines")
# Every logged-in staff page starts with: 1 session, 2 user, 3 "is staff?" (groups) in the view,
# 4 "is staff?" again for the navigation, 5 "is a liaison?" for the navigation.
STAFF_REQUEST = 5


def open_procedure(code, *decisions):
    """A procedure against `code` with its decisions: (stage, date or None, precision, reply months)."""
    procedure = InfringementProcedure.objects.create(member_state=MemberState.objects.get(code=code),
                                                     type="non_conformity",
                                                     legal_act=LegalAct.objects.get(celex="32011L0093"))
    for position, (stage, when, precision, months) in enumerate(decisions, start=1):
        Decision.objects.create(procedure=procedure, position=position, stage=stage, date=when,
                                date_precision=precision, reply_months=months)
    return procedure


def key_action(code, deadline, precision, status=KeyActionStatus.IN_PROGRESS, wording="soon"):
    return KeyAction.objects.create(initiative=Initiative.objects.get(number=1), code=code,
                                    short_title=f"Action {code}", statement="…", section_reference="2",
                                    lead_actor="commission", deadline_wording=wording, deadline=deadline,
                                    deadline_precision=precision, status=status)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def replies(response):
    return {item.subject.pk: item for _state, items in response.context["replies"] for item in items}


def actions(response):
    return {item.subject.pk: item for _initiative, items in response.context["actions"] for item in items}


def test_overdue_due_soon_and_unknown_are_told_apart():
    today = date(2026, 12, 1)
    assert classify(date(2026, 11, 30), today) == (OVERDUE, 1)
    assert classify(today, today) == (DUE_SOON, 0)
    assert classify(date(2026, 12, 31), today) == (DUE_SOON, 30)
    assert classify(date(2027, 1, 1), today) is None
    assert classify(None, today) == (UNKNOWN, None)


def test_staff_see_a_reply_overdue_after_a_letter_known_to_the_month(staff_client):
    # "October 2026" counts from 31 October: the reply is due on 31 December 2026.
    procedure = open_procedure("DK", (Stage.LETTER_OF_FORMAL_NOTICE, date(2026, 10, 1), "month", None))
    response = staff_client.get(URL, {"today": "2027-01-05"})
    item = replies(response)[procedure.pk]
    assert (item.due, item.state, item.days) == (date(2026, 12, 31), OVERDUE, 5)
    # the replies are not public, so an ended reply period is no overdue task (issue 14, item 19)
    assert "reply period ended on 31 December 2026" in response.content.decode()


def test_a_reply_period_stated_in_the_decision_replaces_the_two_months(staff_client):
    procedure = open_procedure("DK", (Stage.LETTER_OF_FORMAL_NOTICE, date(2026, 9, 15), "day", 4))
    item = replies(staff_client.get(URL, {"today": "2026-12-20"}))[procedure.pk]
    assert (item.due, item.state, item.days) == (date(2027, 1, 15), DUE_SOON, 26)


def test_a_reply_due_later_than_thirty_days_is_not_listed(staff_client):
    procedure = open_procedure("DK", (Stage.REASONED_OPINION, date(2026, 12, 1), "day", None))
    assert procedure.pk not in replies(staff_client.get(URL, {"today": "2026-12-01"}))


def test_an_unknown_decision_date_is_shown_as_date_unknown_and_never_overdue(staff_client):
    procedure = open_procedure("DK", (Stage.LETTER_OF_FORMAL_NOTICE, None, "day", None))
    response = staff_client.get(URL, {"today": "2030-01-01", "member_state": "DK"})
    assert replies(response)[procedure.pk].state == UNKNOWN
    assert response.context["reply_counts"] == {OVERDUE: 0, DUE_SOON: 0, UNKNOWN: 1}
    assert "date unknown" in response.content.decode()


def test_closed_procedures_and_those_past_the_reply_stages_await_no_reply(staff_client):
    closed = open_procedure("DK", (Stage.LETTER_OF_FORMAL_NOTICE, date(2026, 10, 1), "day", None),
                            (Stage.CLOSED, date(2026, 11, 1), "day", None))
    referred = open_procedure("DK", (Stage.LETTER_OF_FORMAL_NOTICE, date(2025, 1, 1), "day", None),
                              (Stage.REASONED_OPINION, date(2025, 6, 1), "day", None),
                              (Stage.REFERRAL, date(2026, 1, 1), "day", None))
    listed = replies(staff_client.get(URL, {"today": "2027-01-05"}))
    assert closed.pk not in listed and referred.pk not in listed


def test_the_member_state_filter_keeps_one_member_state(staff_client):
    open_procedure("DK", (Stage.LETTER_OF_FORMAL_NOTICE, date(2026, 10, 1), "day", None))
    response = staff_client.get(URL, {"member_state": "DK", "today": "2027-01-05"})
    assert [state.code for state, _items in response.context["replies"]] == ["DK"]


def test_staff_see_a_key_action_overdue_with_its_slippage_and_one_due_soon(staff_client):
    late = key_action("late", date(2026, 7, 1), "quarter")   # Q3 2026 ends on 30 September
    soon = key_action("soon", date(2026, 12, 1), "month")    # December 2026 ends on the 31st
    done = key_action("done", date(2020, 1, 1), "year", status=KeyActionStatus.DELIVERED)
    undated = key_action("undated", None, "", wording="as a matter of priority")
    response = staff_client.get(URL, {"today": "2026-12-10"})
    listed = actions(response)
    assert (listed[late.pk].state, listed[late.pk].days) == (OVERDUE, 71)
    assert listed[late.pk].days == late.slippage_days(date(2026, 12, 10))
    assert (listed[soon.pk].state, listed[soon.pk].days) == (DUE_SOON, 21)
    assert listed[undated.pk].state == UNKNOWN
    assert done.pk not in listed
    assert "71 days overdue" in response.content.decode()


def test_the_initiative_filter_keeps_one_initiative(staff_client):
    response = staff_client.get(URL, {"initiative": "2", "today": "2026-12-10"})
    assert {initiative.number for initiative, _items in response.context["actions"]} == {2}


@pytest.mark.parametrize("query", [{"member_state": "XX"}, {"initiative": "abc"}, {"initiative": "99"},
                                   {"today": "2026-02-30"}, {"today": "yesterday"}])
def test_a_bad_filter_value_is_explained_and_shows_nothing(staff_client, query):
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    assert "Some filter values are not valid" in response.content.decode()
    assert "replies" not in response.context


def test_without_a_date_the_page_counts_from_today(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200 and not response.context["counted_on_another_day"]


def test_a_liaison_is_refused_and_an_anonymous_visitor_sent_to_log_in(client, liaison_de):
    assert client.get(URL).status_code == 302
    client.force_login(liaison_de)
    assert client.get(URL).status_code == 403


def test_the_workspace_navigation_links_to_the_deadlines(staff_client):
    assert f'href="{URL}" aria-current="page"' in staff_client.get(URL).content.decode()


@pytest.mark.parametrize("n", [1, 10])
def test_the_deadlines_query_count_does_not_grow(staff_client, django_assert_num_queries, n):
    for index, member_state in enumerate(MemberState.objects.all()[:n]):
        open_procedure(member_state.code, (Stage.LETTER_OF_FORMAL_NOTICE, date(2026, 10, 1), "month", None))
        key_action(f"q{index}", date(2026, 7, 1), "quarter")
    # STAFF_REQUEST, then 1 Member States and 2 initiatives for the filter, 3 procedures with their Member
    # State, legal act and latest decision annotated, 4 unfinished key actions with their initiative
    with django_assert_num_queries(STAFF_REQUEST + 4):
        response = staff_client.get(URL, {"today": "2026-12-10"})
    assert response.context["reply_counts"][DUE_SOON] >= n


def test_on_a_past_day_only_the_decisions_taken_by_then_count(staff_client):
    """On 15 October 2019 the letters of 25 July 2019 awaited replies due on 25 September: overdue. The
    later letters and reasoned opinions had not been sent, so no reply to them is listed."""
    response = staff_client.get(URL, {"today": "2019-10-15"})
    listed = replies(response).values()
    assert listed and all(item.decided.start <= date(2019, 10, 15) for item in listed)
    july = [item for item in listed if item.decided == PartialDate(date(2019, 7, 25))]
    assert {item.subject.member_state.code for item in july} >= {"BG", "DE", "LT", "MT", "RO", "SK", "SE"}
    assert all((item.state, item.days) == (OVERDUE, 20) for item in july)


def test_on_a_past_day_a_key_action_delivered_late_shows_as_overdue_before_its_delivery(staff_client):
    action = KeyAction.objects.filter(status=KeyActionStatus.DELIVERED_LATE, deadline__isnull=False,
                                      date__isnull=False).order_by("initiative__number").first()
    between = action.deadline_date.end + (action.delivered_on.start - action.deadline_date.end) / 2
    listed = actions(staff_client.get(URL, {"today": between.isoformat()}))
    assert listed[action.pk].state == OVERDUE
    assert listed[action.pk].days == (between - action.deadline_date.end).days
    assert action.pk not in actions(staff_client.get(URL))  # delivered since: nothing is due today
