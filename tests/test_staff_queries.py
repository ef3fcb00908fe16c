"""Query counts of the workspace lists at two data sizes: the same number, so no list grows an N+1."""

import pytest
from django.urls import reverse

from initiatives.choices import NotificationStatus, ReviewState, Stage
from initiatives.models import (
    Article,
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LegalAct,
    LiaisonReport,
    MemberState,
)

# Every logged-in staff page starts with: 1 session, 2 user, 3 "is staff?" (groups) in the view,
# 4 "is staff?" again for the navigation, 5 "is a liaison?" for the navigation.
STAFF_REQUEST = 5


def submitted_reports(n):
    articles = Article.objects.filter(legal_act__celex="32011L0093").order_by("number")[:n]
    germany = MemberState.objects.get(code="DE")
    for article in articles:
        LiaisonReport.objects.create(member_state=germany, article=article, status=NotificationStatus.NONE,
                                     state=ReviewState.SUBMITTED)


def more_key_actions(n):
    initiative = KeyAction.objects.first().initiative
    for index in range(n):
        action = KeyAction.objects.create(initiative=initiative, code=f"q{index}", short_title=f"Action {index}",
                                          statement="…", section_reference="2", lead_actor="commission",
                                          deadline_wording="2026")
        KeyActionEvent.objects.create(key_action=action, kind="report", date="2026-01-01", description="step")


def more_procedures(n):
    legal_act = LegalAct.objects.get(celex="32011L0093")
    for member_state in MemberState.objects.all()[:n]:
        procedure = InfringementProcedure.objects.create(member_state=member_state, type="non_conformity",
                                                         legal_act=legal_act)
        Decision.objects.create(procedure=procedure, position=1, stage=Stage.LETTER_OF_FORMAL_NOTICE)


@pytest.mark.parametrize("n", [1, 10])
def test_the_review_queue_query_count_does_not_grow(client, staff_user, django_assert_num_queries, n):
    submitted_reports(n)
    client.force_login(staff_user)
    # STAFF_REQUEST, then 1 the queue with Member State, article and submitter joined,
    # 2 the ten most recently reviewed, with the same joins
    with django_assert_num_queries(STAFF_REQUEST + 2):
        assert client.get(reverse("initiatives:staff_reviews")).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_key_action_list_query_count_does_not_grow(client, staff_user, django_assert_num_queries, n):
    more_key_actions(n)
    client.force_login(staff_user)
    # STAFF_REQUEST, then 1 key actions with initiative joined, event count and last change as subqueries
    with django_assert_num_queries(STAFF_REQUEST + 1):
        assert client.get(reverse("initiatives:staff_key_actions")).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_procedure_list_query_count_does_not_grow(client, staff_user, django_assert_num_queries, n):
    more_procedures(n)
    client.force_login(staff_user)
    # STAFF_REQUEST, then 1 procedures with Member State and legal act joined, latest decision as subqueries
    with django_assert_num_queries(STAFF_REQUEST + 1):
        assert client.get(reverse("initiatives:staff_procedures")).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_assessment_overview_query_count_does_not_grow(client, staff_user, django_assert_num_queries, n):
    submitted_reports(n)
    client.force_login(staff_user)
    # STAFF_REQUEST, then 1 Member States with assessed, reported and awaiting counts
    with django_assert_num_queries(STAFF_REQUEST + 1):
        assert client.get(reverse("initiatives:staff_assessments")).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_member_state_articles_query_count_does_not_grow(client, staff_user, django_assert_num_queries, n):
    submitted_reports(n)
    client.force_login(staff_user)
    # STAFF_REQUEST, then 1 Member State, 2 published reports, 3 assessments, 4 liaison reports, 5 articles
    with django_assert_num_queries(STAFF_REQUEST + 5):
        assert client.get(reverse("initiatives:staff_assessment_articles", args=["DE"])).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_liaison_workspace_query_count_does_not_grow(client, liaison_de, django_assert_num_queries, n):
    submitted_reports(n)
    client.force_login(liaison_de)
    # 1 session, 2 user, 3-4 the user's permissions (own and through groups: the liaison role, read once and
    # cached, so the navigation's "is staff?" costs nothing), 5 the liaison, 6 their Member State, 7 own
    # reports, 8 published reports, 9 articles
    with django_assert_num_queries(9):
        assert client.get(reverse("initiatives:liaison_member_state", args=["DE"])).status_code == 200
