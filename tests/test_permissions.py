"""The permission matrix: every URL of the app, against anonymous, liaison-de, liaison-fr, staff and admin.

Staff pages: anonymous visitors go to the login page, liaisons are refused (403), staff and admin get in.
Liaison pages: anyone logged in without the liaison role is refused (403) on the whole workspace; another
Member State's liaison gets 404, "to prevent information leakage". Public pages are the same for everyone.
Checked for GET and POST alike; the role is checked before any record is looked up (tests/test_access.py).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from initiatives.choices import NotificationStatus, ReviewState
from initiatives.models import Article, InfringementProcedure, KeyAction, LiaisonReport, MemberState

ROLES = ["anonymous", "liaison-de", "liaison-fr", "staff", "admin"]
LOGIN = "login"


@pytest.fixture
def objects(accounts):
    articles = Article.objects.filter(legal_act__celex="32011L0093")
    germany = MemberState.objects.get(code="DE")
    action = KeyAction.objects.filter(events__isnull=False).first()
    LiaisonReport.objects.create(member_state=germany, article=articles.get(number=3), status=NotificationStatus.NONE)
    report = LiaisonReport.objects.create(member_state=germany, article=articles.get(number=5),
                                          status=NotificationStatus.NONE, state=ReviewState.SUBMITTED)
    from initiatives.models import LegislativeStage

    stage = LegislativeStage.objects.first()
    return {"action": action.pk, "event": action.events.first().pk,
            "procedure": InfringementProcedure.objects.first().pk, "report": report.pk, "stage": stage.pk,
            "file": stage.file_id}


# url, then the expected GET status for anonymous, liaison-de, liaison-fr, staff, admin; "login" is a redirect
# to the login page. POST expectations follow from GET: a page that only shows answers POST with 405.
STAFF = [LOGIN, 403, 403, 200, 200]
LIAISON_DE = [LOGIN, 200, 404, 403, 403]
LIAISON_FR = [LOGIN, 404, 200, 403, 403]
LIAISON_ANY = [LOGIN, 200, 200, 403, 403]
PUBLIC = [200, 200, 200, 200, 200]

MATRIX = [
    # url, GET statuses, POST accepted (a form) or not (405)
    ("/", PUBLIC, False),
    ("/initiatives/1/", PUBLIC, False),
    ("/staff/", STAFF, False),
    ("/staff/key-actions/", STAFF, False),
    ("/staff/key-actions/{action}/", STAFF, True),
    ("/staff/key-actions/{action}/events/add/", STAFF, True),
    ("/staff/events/{event}/", STAFF, True),
    ("/staff/events/{event}/delete/", STAFF, True),
    ("/staff/procedures/", STAFF, False),
    ("/staff/procedures/open/", STAFF, True),
    ("/staff/procedures/{procedure}/", STAFF, True),
    ("/staff/procedures/{procedure}/close/", STAFF, True),
    ("/staff/assessments/", STAFF, False),
    ("/staff/assessments/DE/", STAFF, False),
    ("/staff/assessments/DE/3/", STAFF, True),
    ("/staff/reviews/", STAFF, False),
    ("/staff/reviews/{report}/", STAFF, True),
    ("/staff/deadlines/", STAFF, False),
    ("/staff/register-copies/", STAFF, False),
    ("/staff/needs-checking/", STAFF, True),
    ("/staff/as-recorded/", STAFF, False),
    ("/staff/history/key-action/{action}/", STAFF, False),
    ("/staff/history/liaison-report/{report}/", STAFF, False),
    ("/liaison/", [LOGIN, 302, 302, 403, 403], False),
    ("/liaison/DE/", LIAISON_DE, False),
    ("/liaison/DE/articles/", LIAISON_DE, True),
    ("/liaison/DE/articles/3/", LIAISON_DE, True),
    ("/liaison/DE/articles/3/history/", LIAISON_DE, False),
    ("/liaison/FR/", LIAISON_FR, False),
    ("/liaison/FR/articles/3/", LIAISON_FR, True),
    ("/liaison/import/", LIAISON_ANY, True),
    ("/liaison/import/current/", LIAISON_ANY, False),
    ("/staff/import/", STAFF, True),
    ("/staff/legislation/", STAFF, False),
    ("/staff/legislation/{file}/stages/add/", STAFF, True),
    ("/staff/legislation/stages/{stage}/", STAFF, True),
    ("/staff/import/current/events/", STAFF, False),
]


def client_for(role, accounts, **kwargs):
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(accounts[role])
    return client


def check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    else:
        assert response.status_code == expected, (url, response.status_code)


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("url,statuses,accepts_post", MATRIX, ids=[row[0] for row in MATRIX])
def test_get_is_allowed_only_in_scope(accounts, objects, url, statuses, accepts_post, role_index, role):
    url = url.format(**objects)
    check(client_for(role, accounts).get(url), statuses[role_index], url)


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("url,statuses,accepts_post", MATRIX, ids=[row[0] for row in MATRIX])
def test_post_is_checked_like_get_and_never_saves_out_of_scope(accounts, objects, url, statuses, accepts_post,
                                                                role_index, role):
    """An empty POST: out of scope is refused exactly as for GET; in scope, a form answers with its errors."""
    url = url.format(**objects)
    expected = statuses[role_index]
    if expected in (200, 302) and not accepts_post:
        expected = 405
    response = client_for(role, accounts).post(url, {})
    check(response, expected, url)


def test_the_matrix_covers_every_url_of_the_workspaces():
    names = {pattern.name for pattern in _patterns(get_resolver().url_patterns)
             if str(pattern.pattern).startswith(("staff/", "liaison/"))}
    covered = {_name_of(url) for url, _statuses, _post in MATRIX}
    assert names <= covered, f"add rows for {sorted(names - covered)}"


def _name_of(url):
    from django.urls import resolve
    return resolve(url.format(action=1, event=1, procedure=1, report=1, stage=1, file=1)).url_name


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern


SAMPLE_KWARGS = {"number": "1", "code": "DE", "pk": "1", "article": "3", "kind": "key-action", "slug": "x",
                 "event_pk": "1", "year": "2024"}


def every_app_url():
    """Every URL of the app that can be filled with sample values, including those other pages add."""
    urls = []
    for resolver in get_resolver().url_patterns:
        if not isinstance(resolver, URLResolver) or resolver.namespace != "initiatives":
            continue
        for pattern in resolver.url_patterns:
            route = str(pattern.pattern)
            converters = getattr(pattern.pattern, "converters", {})
            if any(name not in SAMPLE_KWARGS for name in converters):
                continue
            try:
                urls.append(reverse(f"initiatives:{pattern.name}",
                                    kwargs={name: SAMPLE_KWARGS[name] for name in converters}))
            except Exception:  # noqa: BLE001 - a regex route the samples do not fit
                continue
            del route
    return sorted(set(urls))


@pytest.mark.parametrize("role", ROLES)
def test_no_url_of_the_app_fails_or_lets_anonymous_into_a_workspace(accounts, objects, role):
    client = client_for(role, accounts)
    for url in every_app_url():
        response = client.get(url)
        assert response.status_code < 500, (role, url, response.status_code)
        if role == "anonymous" and url.startswith(("/staff/", "/liaison/")):
            assert response.status_code in (302, 404), url


def test_a_form_posted_without_its_csrf_token_is_refused(accounts, objects):
    client = client_for("staff", accounts, enforce_csrf_checks=True)
    url = f"/staff/key-actions/{objects['action']}/"
    before = KeyAction.objects.get(pk=objects["action"]).status
    assert client.post(url, {"status": "stalled", "version": 0}).status_code == 403
    assert KeyAction.objects.get(pk=objects["action"]).status == before


def test_every_workspace_form_carries_a_csrf_token(accounts, objects):
    staff, liaison = client_for("staff", accounts), client_for("liaison-de", accounts)
    for client, url in [(staff, "/staff/key-actions/{action}/"), (staff, "/staff/procedures/open/"),
                        (staff, "/staff/procedures/{procedure}/"), (staff, "/staff/assessments/DE/3/"),
                        (staff, "/staff/events/{event}/delete/"), (staff, "/staff/reviews/{report}/"),
                        (staff, "/staff/needs-checking/"),
                        (liaison, "/liaison/DE/articles/4/")]:
        html = client.get(url.format(**objects)).content.decode()
        assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"') >= 2, url


def test_a_liaison_cannot_see_another_member_states_drafts(client, liaison_fr, objects):
    client.force_login(liaison_fr)
    assert client.get("/liaison/DE/articles/3/").status_code == 404
    assert client.get("/liaison/DE/articles/3/history/").status_code == 404
    assert "Germany" not in client.get("/liaison/FR/").content.decode()


def test_a_liaison_cannot_review_or_read_staff_history(client, liaison_de, objects):
    client.force_login(liaison_de)
    response = client.post(f"/staff/reviews/{objects['report']}/", {"decision": "approve"})
    assert response.status_code == 403
    assert LiaisonReport.objects.get(pk=objects["report"]).state == ReviewState.SUBMITTED


def test_login_is_locked_after_five_failures_with_a_clear_message(client, accounts):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "staff", "password": "tracker-demo"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
