"""The upload pages: who may use them, the preview that writes nothing, and the apply step."""

import re
import tempfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.models import InfringementProcedure, LiaisonReport, PendingImport, TranspositionReport
from initiatives.models.imports import KEEP
from initiatives.roles import make_liaison

pytestmark = pytest.mark.django_db

STAFF_URL = "/staff/import/"
LIAISON_URL = "/liaison/import/"
NEW_CASE = (b"member_state_code,infr_number,stage,decision_date,source_url_or_ref,confidence,note\n"
            b"DE,INFR(2030)0001,letter_of_formal_notice,2025-01,https://example.org/lfn,high,\n")
REPORTS = (b"member_state_code,article,status,as_of,source_url_or_ref,confidence\n"
           b"DE,27,complete,2024-05,https://example.org/de,high\n")
DRAFTS = b"member_state_code,article,status\nDE,18,none\n"


def upload(client, url, content, name="file.csv", **data):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


@pytest.mark.parametrize(("actor", "url", "status"), [
    ("anonymous", STAFF_URL, 302),
    ("anonymous", LIAISON_URL, 302),
    ("liaison_de", STAFF_URL, 403),
    ("liaison_de", LIAISON_URL, 200),
    ("staff_user", STAFF_URL, 200),
    ("staff_user", LIAISON_URL, 403),  # no liaison role: refused, as on the whole liaison workspace
    ("admin_user", STAFF_URL, 200),
    ("anonymous", "/staff/import/current/infringements/", 302),
    ("liaison_de", "/staff/import/current/infringements/", 403),
    ("staff_user", "/staff/import/current/infringements/", 200),
    ("staff_user", "/staff/import/current/nonsense/", 404),
    ("staff_user", "/liaison/import/current/", 403),
    ("liaison_de", "/liaison/import/current/", 200),
])
def test_permission_matrix_of_the_upload_pages(request, client, actor, url, status):
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_staff_preview_shows_what_would_change_and_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    response = upload(client, STAFF_URL, NEW_CASE, kind="infringements")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been written yet" in page and "<strong>2</strong> to create" in page
    assert not InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").exists()


def test_staff_applies_a_previewed_file_once(client, staff_user):
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, NEW_CASE, kind="infringements"))
    response = client.post(STAFF_URL, {"token": token})
    assert "was imported" in response.content.decode()
    procedure = InfringementProcedure.objects.get(infr_number="INFR(2030)0001")
    assert procedure.decisions.get().history.latest("history_date").history_user == staff_user
    again = client.post(STAFF_URL, {"token": token})
    assert again.status_code == 302  # the upload is no longer waiting
    assert InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").count() == 1


def test_a_rejected_file_lists_every_problem_with_line_and_column_and_offers_no_apply(client, staff_user):
    client.force_login(staff_user)
    bad = b"member_state_code,article,status,as_of,source_url_or_ref,confidence\nXX,99,maybe,03/04/2024,,low\n"
    page = upload(client, STAFF_URL, bad, kind="transposition").content.decode()
    assert "Nothing was written" in page
    for column in ["member_state_code", "status", "as_of", "source_url_or_ref"]:
        assert f"<code>{column}</code>" in page
    assert 'name="token"' not in page


def test_an_unreadable_file_is_explained_not_a_server_error(client, staff_user):
    client.force_login(staff_user)
    page = upload(client, STAFF_URL, b"\xff\xfe\x00garbage", name="x.xlsx", kind="events").content.decode()
    assert "is not an XLSX workbook" in page


def test_a_token_from_another_session_is_refused(client, staff_user, admin_user):
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, NEW_CASE, kind="infringements"))
    client.force_login(admin_user)
    assert client.post(STAFF_URL, {"token": token}).status_code == 302
    assert client.post(STAFF_URL, {"token": "../../etc/passwd"}).status_code == 302
    assert not InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").exists()


def test_staff_import_transposition_reports(client, staff_user):
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, REPORTS, kind="transposition"))
    client.post(STAFF_URL, {"token": token})
    assert TranspositionReport.objects.get(member_state__code="DE", article__number=27).status == "complete"


def test_a_liaison_imports_drafts_for_their_own_member_state_only(client, liaison_de):
    client.force_login(liaison_de)
    page = upload(client, LIAISON_URL, b"member_state_code,article,status\nFR,18,none\n").content.decode()
    assert "you may import only Germany&#x27;s transposition" in page
    token = token_of(upload(client, LIAISON_URL, DRAFTS))
    client.post(LIAISON_URL, {"token": token})
    assert LiaisonReport.objects.get(member_state__code="DE", article__number=18).state == "draft"
    assert not TranspositionReport.objects.filter(member_state__code="DE").exists()


def test_an_upload_previewed_on_the_staff_page_cannot_be_applied_on_the_liaison_page(client, staff_user):
    make_liaison(staff_user, "DE")  # one person with both roles, one session
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, REPORTS, kind="transposition"))
    assert client.post(LIAISON_URL, {"token": token}).status_code == 302
    assert not TranspositionReport.objects.filter(member_state__code="DE").exists()
    assert not LiaisonReport.objects.filter(member_state__code="DE").exists()
    assert PendingImport.objects.filter(token=token).exists()  # still waiting on the staff page


def test_the_current_data_downloads_in_the_import_format(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/staff/import/current/infringements/?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/staff/import/current/events/?format=pdf").status_code == 404


def test_an_upload_previewed_on_one_server_is_applied_on_another_with_its_own_temporary_folder(
        client, staff_user, tmp_path, monkeypatch):
    """Several app servers share the database, not a temporary folder: the pending upload waits where both
    reach it (the two-server test in test_multiserver.py does this with two real servers)."""
    client.force_login(staff_user)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "server-a"))
    (tmp_path / "server-a").mkdir()
    token = token_of(upload(client, STAFF_URL, NEW_CASE, kind="infringements"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "server-b"))
    (tmp_path / "server-b").mkdir()
    response = client.post(STAFF_URL, {"token": token})
    assert "was imported" in response.content.decode()
    assert InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").count() == 1
    assert not any((tmp_path / "server-a").iterdir())  # nothing was written to a local folder
    decision = InfringementProcedure.objects.get(infr_number="INFR(2030)0001").decisions.get()
    history = decision.history.latest("history_date")
    assert (history.history_user, history.history_change_reason) == (staff_user, "import of file.csv by staff")


def test_another_session_of_the_same_user_cannot_apply_the_upload(staff_user):
    first, second = Client(), Client()
    first.force_login(staff_user)
    second.force_login(staff_user)
    token = token_of(upload(first, STAFF_URL, NEW_CASE, kind="infringements"))
    assert second.post(STAFF_URL, {"token": token}).status_code == 302
    assert not InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").exists()
    assert "was imported" in first.post(STAFF_URL, {"token": token}).content.decode()


def test_an_upload_waits_a_day_then_is_refused_and_removed(client, staff_user):
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, NEW_CASE, kind="infringements"))
    PendingImport.objects.update(created_at=timezone.now() - KEEP - timedelta(minutes=1))
    response = client.post(STAFF_URL, {"token": token}, follow=True)
    assert "That upload is no longer waiting" in response.content.decode()
    assert not InfringementProcedure.objects.filter(infr_number="INFR(2030)0001").exists()
    assert not PendingImport.objects.exists()


def test_a_preview_forgets_every_upload_that_has_expired(client, staff_user, admin_user):
    client.force_login(admin_user)
    upload(client, STAFF_URL, NEW_CASE, kind="infringements")
    PendingImport.objects.update(created_at=timezone.now() - KEEP - timedelta(minutes=1))
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, REPORTS, kind="transposition"))
    assert list(PendingImport.objects.values_list("token", flat=True)) == [token]


def test_a_stored_file_that_changed_since_its_preview_is_not_applied(client, staff_user):
    client.force_login(staff_user)
    token = token_of(upload(client, STAFF_URL, NEW_CASE, kind="infringements"))
    PendingImport.objects.update(data=NEW_CASE.replace(b"0001", b"0002"))
    response = client.post(STAFF_URL, {"token": token}, follow=True)
    assert "The stored file changed since its preview; nothing was written" in response.content.decode()
    assert not InfringementProcedure.objects.filter(infr_number__startswith="INFR(2030)").exists()

