"""Who may go where (issue 12, items 6-8): roles stay with administrators, the role is checked before any record
is looked up, nobody approves their own report, and a liaison's draft is theirs until they submit it.

The full role x URL matrix is tests/test_permissions.py; these are the defects the issue found.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from initiatives import roles, services
from initiatives.choices import NotificationStatus, ReviewState
from initiatives.models import (
    Article,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    Liaison,
    LiaisonReport,
    MemberState,
    current_version,
)
from tests.test_review_flow import form_values

pytestmark = pytest.mark.django_db

MISSING = 987654


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plain_user(db):
    """Logged in, with no role: not staff, not a liaison (even with Django's is_staff flag)."""
    return get_user_model().objects.create_user("reader", password="x-unused-1", is_staff=True)


def draft(article=3, state=ReviewState.DRAFT, **fields):
    return LiaisonReport.objects.create(member_state=MemberState.objects.get(code="DE"), state=state,
                                        article=Article.objects.get(legal_act__celex="32011L0093", number=article),
                                        status=NotificationStatus.NONE, **fields)


# --- item 6: roles are given and taken by administrators only ------------------------------------------------

def test_staff_cannot_make_anyone_a_liaison_through_the_admin(staff_user, liaison_fr):
    staff = logged_in(staff_user)
    liaison = Liaison.objects.get(user=liaison_fr)
    germany = MemberState.objects.get(code="DE")
    url = reverse("admin:initiatives_liaison_change", args=[liaison.pk])
    assert staff.get(url).status_code == 403
    response = staff.post(url, {"user": liaison_fr.pk, "member_state": germany.pk})
    assert response.status_code == 403
    assert Liaison.objects.get(pk=liaison.pk).member_state.code == "FR"
    assert staff.post(reverse("admin:initiatives_liaison_add"),
                      {"user": staff_user.pk, "member_state": germany.pk}).status_code == 403
    assert not Liaison.objects.filter(user=staff_user).exists()
    assert staff.get(reverse("admin:initiatives_liaison_changelist")).status_code == 403


def test_the_staff_role_carries_no_permission_on_roles(staff_user):
    for action in ("add", "change", "delete", "view"):
        assert not staff_user.has_perm(f"initiatives.{action}_liaison")
    assert not staff_user.has_perm("auth.change_user") and not staff_user.has_perm("auth.change_group")


def test_an_administrator_still_manages_liaisons_in_the_admin(admin_user, liaison_fr):
    admin = logged_in(admin_user)
    liaison = Liaison.objects.get(user=liaison_fr)
    germany = MemberState.objects.get(code="DE")
    url = reverse("admin:initiatives_liaison_change", args=[liaison.pk])
    response = admin.post(url, {"user": liaison_fr.pk, "member_state": germany.pk})
    assert response.status_code == 302
    assert Liaison.objects.get(pk=liaison.pk).member_state.code == "DE"


def test_nobody_approves_or_returns_a_report_they_submitted(staff_user):
    roles.make_liaison(staff_user, "SE")  # an administrator made a staff member a liaison too
    report = LiaisonReport.objects.create(member_state=MemberState.objects.get(code="SE"), status="none",
                                          article=Article.objects.get(legal_act__celex="32011L0093", number=3))
    report = services.save_liaison_report(report, user=staff_user, version=current_version(report), submit=True)
    with pytest.raises(services.StateError):
        services.approve_liaison_report(report, user=staff_user, version=current_version(report))
    with pytest.raises(services.StateError):
        services.return_liaison_report(report, user=staff_user, version=current_version(report), comment="no")
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_review", args=[report.pk])
    response = client.post(url, form_values(client.get(url), decision="approve"))
    assert response.status_code == 200 and "another member of staff" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and report.published is None


# --- item 7: the role before the record; one answer for existing and missing ids -----------------------------

def existing_ids():
    from initiatives.models import LegislativeStage

    report = draft(article=5, state=ReviewState.SUBMITTED)
    action = KeyAction.objects.filter(events__isnull=False).first()
    stage = LegislativeStage.objects.first()
    return {"review": report.pk, "action": action.pk, "event": KeyActionEvent.objects.first().pk,
            "procedure": InfringementProcedure.objects.first().pk, "stage": stage.pk, "file": stage.file_id}


RECORD_URLS = ["/staff/reviews/{review}/", "/staff/key-actions/{action}/", "/staff/key-actions/{action}/events/add/",
               "/staff/events/{event}/", "/staff/events/{event}/delete/", "/staff/procedures/{procedure}/",
               "/staff/procedures/{procedure}/close/", "/staff/history/key-action/{action}/",
               "/staff/legislation/{file}/stages/add/", "/staff/legislation/stages/{stage}/"]
ASSESSMENT_URLS = [("/staff/assessments/DE/3/", "/staff/assessments/XX/3/"),
                   ("/staff/assessments/DE/", "/staff/assessments/XX/")]


def _pairs():
    ids = existing_ids()
    missing = dict.fromkeys(ids, MISSING)
    return [(url.format(**ids), url.format(**missing)) for url in RECORD_URLS] + ASSESSMENT_URLS


def _answer(response):
    return response.status_code, response.get("Location", "").split("?")[0]


@pytest.mark.parametrize("who", ["anonymous", "liaison", "plain"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_without_the_staff_role_an_existing_and_a_missing_record_look_the_same(who, method, liaison_de,
                                                                                plain_user):
    client = {"anonymous": Client(), "liaison": logged_in(liaison_de), "plain": logged_in(plain_user)}[who]
    for existing, missing in _pairs():
        first, second = _answer(getattr(client, method)(existing)), _answer(getattr(client, method)(missing))
        assert first == second, (existing, first, second)
        assert first[0] in (302, 403), (existing, first)


def test_staff_get_404_for_a_missing_record(staff_user):
    client = logged_in(staff_user)
    for _existing, missing in _pairs():
        assert client.get(missing).status_code == 404, missing


@pytest.mark.parametrize("url", ["/liaison/", "/liaison/DE/", "/liaison/DE/articles/3/", "/liaison/import/",
                                 "/liaison/import/current/"])
def test_a_logged_in_user_without_the_liaison_role_gets_one_answer_everywhere_in_the_liaison_workspace(
        url, plain_user, staff_user):
    for user in (plain_user, staff_user):
        assert logged_in(user).get(url).status_code == 403, (user, url)
        assert logged_in(user).post(url).status_code == 403, (user, url)


def test_the_roles_are_read_from_the_permissions_the_groups_carry(plain_user):
    client = logged_in(plain_user)
    assert client.get("/staff/").status_code == 403
    roles.make_staff(plain_user)
    assert logged_in(get_user_model().objects.get(pk=plain_user.pk)).get("/staff/").status_code == 200
    plain_user.groups.clear()
    assert logged_in(get_user_model().objects.get(pk=plain_user.pk)).get("/staff/").status_code == 403


def test_a_liaison_whose_group_was_taken_away_is_out_even_with_a_member_state(liaison_de):
    liaison_de.groups.clear()
    assert logged_in(get_user_model().objects.get(pk=liaison_de.pk)).get("/liaison/DE/").status_code == 403


# --- item 8: a draft is the liaison's until submitted -------------------------------------------------------

def test_staff_cannot_read_a_draft_that_was_never_submitted(staff_user):
    report = draft(comment="Noch nicht abgestimmt: internal note")
    client = logged_in(staff_user)
    assert client.get(reverse("initiatives:staff_review", args=[report.pk])).status_code == 404
    assert client.get(reverse("initiatives:staff_history", args=["liaison-report", report.pk])).status_code == 404
    page = client.get(reverse("initiatives:staff_assessment_articles", args=["DE"])).content.decode()
    assert "draft" not in page.lower() or "Noch nicht" not in page
    assert report.pk not in [row["liaison_report"].pk for row in client.get(
        reverse("initiatives:staff_assessment_articles", args=["DE"])).context["rows"] if row["liaison_report"]]


def test_staff_read_a_submitted_report_but_not_the_draft_edits_made_after_it_was_returned(staff_user, liaison_de):
    report = draft(comment="first version")
    report = services.save_liaison_report(report, user=liaison_de, version=current_version(report), submit=True)
    services.return_liaison_report(report, user=staff_user, version=current_version(report), comment="more")
    report.refresh_from_db()
    report.comment = "second version, still a draft"
    services.save_liaison_report(report, user=liaison_de, version=current_version(report))
    client = logged_in(staff_user)
    history = client.get(reverse("initiatives:staff_history", args=["liaison-report", report.pk]))
    assert history.status_code == 200
    text = history.content.decode()
    assert "first version" in text and "second version" not in text
    assert client.get(reverse("initiatives:staff_review", args=[report.pk])).status_code == 404
