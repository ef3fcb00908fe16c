"""Two app servers, one database, one Redis (issue 16): what servers behind one proxy must share, they share.

Two gunicorn processes in production mode (`make serve`'s settings, one SECRET_KEY), each with a temporary
folder of its own, serve one database and one Redis (a key prefix of this run). The database is a copy of the
test database, migrated and holding the shipped data: on PostgreSQL a database made from it as a template, on
SQLite a file both processes open. A session opened on A is valid on B; an upload previewed on one is applied
on the other; a page cached by one shows a write made through the other at the next visit.

The HTTP client below is a proxy's view of one person: the same cookies, sent to whichever server. It runs on
both databases of CI. Without Redis it fails in CI and on PostgreSQL (the setup it proves needs Redis); only a
developer's SQLite run without Redis skips it, as the other Redis tests do.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import uuid
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode, urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connections

from bench.server import gunicorn, manage, production_env

# django_db: pytest-django sets the test database up, and the servers' copy is made from it. The tests read the
# servers' database through the servers' settings (run_with), never through the test's own connections.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = secrets.token_urlsafe(16)
CASE = ("member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note\n"
        "DE,{number},letter_of_formal_notice,2025-01,https://example.org/lfn,high,\n")


def redis_answers() -> bool:
    host, port = urlsplit(REDIS_URL).hostname or "127.0.0.1", urlsplit(REDIS_URL).port or 6379
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def database_url(database: dict) -> str:
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"] or "", safe="") + (
        ":" + quote(database["PASSWORD"], safe="") if database.get("PASSWORD") else "")
    host = quote(database["HOST"] or "127.0.0.1", safe="")  # a socket folder too, percent-encoded
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{quote(database['NAME'], safe='')}"


@pytest.fixture(scope="module")
def shared_database(request, django_db_blocker, tmp_path_factory):
    """A copy of the test database (migrated, with the shipped data) for both servers: its settings."""
    request.getfixturevalue("django_db_setup")
    from tests.conftest import load_real_data

    with django_db_blocker.unblock():
        from initiatives.models import MemberState

        if not MemberState.objects.exists():  # a transactional test (the browser's live server) emptied it
            load_real_data()
        connection = connections["default"]
        if connection.vendor == "postgresql":
            connection.creation.clone_test_db(suffix="servers", verbosity=0, autoclobber=True)
            database = connection.creation.get_test_db_clone_settings("servers")
        else:  # the test database is in memory: copy it to a file both servers open
            path = tmp_path_factory.mktemp("database") / "db.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)
            target.close()
            database = {**connection.settings_dict, "NAME": str(path)}
        try:
            yield database
        finally:
            if connection.vendor == "postgresql":
                connection.creation.destroy_test_db(verbosity=0, suffix="servers")


def run_with(environment: dict[str, str], code: str) -> str:
    """What `code` prints, run with the servers' settings and database in a fresh interpreter (the test's own
    connections belong to its test case, which allows the test database only)."""
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=settings.BASE_DIR,
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def servers(shared_database, tmp_path_factory):
    """Servers A and B: base URLs, and the temporary folder of each."""
    if not redis_answers():
        if os.environ.get("CI") or shared_database["ENGINE"] != "django.db.backends.sqlite3":
            pytest.fail(f"Redis does not answer at {REDIS_URL} (TEST_REDIS_URL): start it; CI does")
        pytest.skip(f"Redis is not running at {REDIS_URL} (CI starts it)")
    folder = tmp_path_factory.mktemp("servers")
    prefix = f"test-two-servers-{uuid.uuid4().hex}"
    environment = production_env(DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
                                 DATABASE_URL=database_url(shared_database), REDIS_URL=REDIS_URL,
                                 CACHE_KEY_PREFIX=prefix, STATIC_ROOT=str(folder / "static"))
    manage(environment, "collectstatic", "--noinput", "-v0")
    run_with(environment, "from django.contrib.auth.models import User; from initiatives.roles import make_staff; "
                          f"make_staff(User.objects.create_user('staff-of-two-servers', password='{PASSWORD}'))")
    temporary = {name: folder / f"tmp-{name}" for name in "ab"}
    for path in temporary.values():
        path.mkdir()
    try:
        with (gunicorn({**environment, "TMPDIR": str(temporary["a"])}, workers=1, log=folder / "a.log") as a,
              gunicorn({**environment, "TMPDIR": str(temporary["b"])}, workers=1, log=folder / "b.log") as b):
            yield {"a": a, "b": b, "tmp": temporary, "environment": environment}
    finally:  # the generation key never expires: leave nothing of this run in a shared Redis
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


class Visitor:
    """One person's cookies, sent to whichever server answers: what a proxy in front of several servers does."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, body: bytes = b"", content_type: str = ""):
        url = urlsplit(base)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, page

    def get(self, base: str, path: str):
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None,
             *, form_on: str = ""):
        """A form posted to `path` on `base`, with the CSRF token of the page it is on (`form_on`, or `path`)."""
        _response, page = self.get(base, form_on or path)
        fields = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1],
                  **fields}
        if not files:
            return self.request(base, "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        for name, (filename, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(base, "POST", path, body, f"multipart/form-data; boundary={boundary}")

    def log_in(self, base: str):
        response, _page = self.post(base, "/accounts/login/", {"username": "staff-of-two-servers",
                                                                "password": PASSWORD})
        assert response.status == 302, "the login was refused"
        assert settings.SESSION_COOKIE_NAME in self.cookies

    def preview(self, base: str, number: str) -> str:
        response, page = self.post(base, "/staff/import/", {"kind": "infringements"},
                                   {"file": (f"{number}.csv", CASE.format(number=number).encode())})
        assert response.status == 200 and "Nothing has been written yet" in page
        return re.search(r'name="token" value="([^"]+)"', page)[1]

    def apply(self, base: str, token: str):
        return self.post(base, "/staff/import/", {"token": token})


def who_imported(servers, number: str) -> list[str]:
    """Who imported the decision of procedure `number` and why, as the latest history row of the decision says."""
    return run_with(servers["environment"], (
        "from initiatives.models import Decision; "
        f"row = Decision.objects.get(procedure__infr_number='{number}').history.latest('history_date'); "
        "print(row.history_user.username); print(row.history_change_reason)")).splitlines()


def test_a_session_opened_on_one_server_is_valid_on_the_other(servers):
    visitor = Visitor()
    visitor.log_in(servers["a"])
    response, page = visitor.get(servers["b"], "/staff/")
    assert response.status == 200 and "staff-of-two-servers" in page
    response, _page = visitor.post(servers["b"], "/accounts/logout/", {}, form_on="/staff/")
    assert response.status == 302
    response, _page = visitor.get(servers["a"], "/staff/")  # logged out on B: logged out on A
    assert response.status == 302 and response.getheader("Location").startswith("/accounts/login/")


def test_an_upload_previewed_on_one_server_is_applied_on_the_other(servers):
    visitor = Visitor()
    visitor.log_in(servers["a"])
    token = visitor.preview(servers["a"], "INFR(2031)0001")
    response, page = visitor.apply(servers["b"], token)
    assert response.status == 200 and "was imported" in page
    assert who_imported(servers, "INFR(2031)0001") == [
        "staff-of-two-servers", "import of INFR(2031)0001.csv by staff-of-two-servers"]
    response, _page = visitor.apply(servers["a"], token)  # applied once: no longer waiting anywhere
    assert response.status == 302
    for folder in servers["tmp"].values():  # nothing of the upload waited in a server's own folder
        assert list(folder.iterdir()) == []


def test_a_page_cached_by_one_server_shows_a_write_made_through_the_other_at_the_next_visit(servers):
    reader, staff = Visitor(), Visitor()
    page_with_the_case = "/member-states/DE/"
    reader.get(servers["a"], page_with_the_case)
    response, page = reader.get(servers["a"], page_with_the_case)
    assert response.getheader("X-Page-Cache") == "hit" and "INFR(2031)0002" not in page
    staff.log_in(servers["b"])
    response, _page = staff.apply(servers["b"], staff.preview(servers["b"], "INFR(2031)0002"))
    assert response.status == 200
    response, page = reader.get(servers["a"], page_with_the_case)
    assert response.getheader("X-Page-Cache") == "miss" and "INFR(2031)0002" in page


def test_two_applies_of_one_upload_at_the_same_moment_on_both_servers_write_it_once(servers):
    """A double click that a proxy sends to both servers: the pending upload's row is locked by the first apply,
    the second waits for it, then finds the upload gone and says so. One import, one history row."""
    import threading

    visitor = Visitor()
    visitor.log_in(servers["a"])
    token = visitor.preview(servers["a"], "INFR(2031)0003")
    clicks = [Visitor(), Visitor()]
    for click in clicks:  # the same person (cookies), two requests in flight
        click.cookies = dict(visitor.cookies)
    posts = []
    for click, base in zip(clicks, (servers["a"], servers["b"]), strict=True):
        _response, page = click.get(base, "/staff/import/")
        posts.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1])
    start, answers = threading.Barrier(2), [None, None]

    def apply(index, base):
        body = urlencode({"csrfmiddlewaretoken": posts[index], "token": token}).encode()
        start.wait()
        answers[index] = clicks[index].request(base, "POST", "/staff/import/", body,
                                               "application/x-www-form-urlencoded")

    threads = [threading.Thread(target=apply, args=(i, base)) for i, base in enumerate((servers["a"], servers["b"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(response.status for response, _page in answers)
    assert statuses == [200, 302], statuses  # one imported, the other told it is no longer waiting
    assert [page for response, page in answers if response.status == 200][0].count("was imported") == 1
    created = run_with(servers["environment"], (
        "from initiatives.models import Decision; "
        "print(Decision.history.filter(procedure__infr_number='INFR(2031)0003', history_type='+').count()); "
        "print(Decision.objects.filter(procedure__infr_number='INFR(2031)0003').count())")).split()
    assert created == ["1", "1"]
