"""Issue 14, workspaces: each person lands on their work, a liaison reports article after article and sees the
Commission's comments, staff read the liaison's comment, and the messages read as sentences."""

import pytest
from django.conf import settings
from django.urls import reverse

from initiatives.choices import NotificationStatus, ReviewState
from initiatives.models import LiaisonReport

from .test_review_flow import ARTICLE, article_url, liaison_saves, staff_reviews

pytestmark = pytest.mark.django_db


def log_in(client, username, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": settings.DEMO_PASSWORD})


def landing(client, username, next_url=None):
    response = log_in(client, username, next_url)
    assert response.status_code == 302, "logged in"
    location = response["Location"]
    follow = client.get(location)
    return follow["Location"] if follow.status_code == 302 and not next_url else location


def test_after_login_staff_user_lands_on_the_staff_workspace(client, accounts):
    assert landing(client, "staff") == "/staff/"


def test_after_login_liaison_de_lands_on_the_liaison_workspace(client, accounts):
    assert landing(client, "liaison-de") in ("/liaison/", "/liaison/DE/")


def test_after_login_a_safe_next_is_honoured_and_an_unsafe_one_is_not(client, accounts):
    assert log_in(client, "staff", "/staff/deadlines/")["Location"] == "/staff/deadlines/"
    client.logout()
    response = log_in(client, "liaison-de", "https://evil.example/")
    assert "evil.example" not in response["Location"]


def test_the_approval_message_names_the_report_once_and_reads_as_a_sentence(client, liaison_de, staff_user):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE)
    report = LiaisonReport.objects.get(member_state__code="DE", article__number=ARTICLE)
    client.force_login(staff_user)
    response = staff_reviews(client, report, "approve")
    text = [str(m) for m in response.wsgi_request._messages]
    assert text == [f"Approved: Germany, Art. {ARTICLE} is now published."], text


def test_staff_read_the_liaisons_comment_in_the_review_queue_and_on_the_public_page(client, liaison_de,
                                                                                   staff_user):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE, comment="Land laws listed in the annex.")
    client.force_login(staff_user)
    assert "Land laws listed in the annex." in client.get(reverse("initiatives:staff_reviews")).content.decode()
    report = LiaisonReport.objects.get(member_state__code="DE", article__number=ARTICLE)
    staff_reviews(client, report, "approve")
    client.logout()
    assert "Land laws listed in the annex." in client.get("/member-states/DE/").content.decode()


def test_a_staff_comment_on_approval_reaches_liaison_de(client, liaison_de, staff_user):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE)
    report = LiaisonReport.objects.get(member_state__code="DE", article__number=ARTICLE)
    client.force_login(staff_user)
    staff_reviews(client, report, "approve", "Thank you; we also checked the Land laws.")
    report.refresh_from_db()
    assert report.state == ReviewState.APPROVED
    client.force_login(liaison_de)
    assert "Thank you; we also checked the Land laws." in client.get(article_url()).content.decode()
    overview = client.get(reverse("initiatives:liaison_member_state", args=["DE"])).content.decode()
    assert "Thank you; we also checked the Land laws." in overview


# --- A liaison reports article after article (item 16) --------------------------------------------------------------


def test_liaison_de_saves_and_goes_to_the_next_article(client, liaison_de):
    client.force_login(liaison_de)
    response = client.get(article_url(number=3))
    from .test_review_flow import form_values

    data = form_values(response, status=NotificationStatus.NONE)
    data["save_next"] = "1"
    response = client.post(article_url(number=3), data)
    assert response.status_code == 302 and response["Location"] == article_url(number=4)
    assert LiaisonReport.objects.get(member_state__code="DE", article__number=3).state == ReviewState.DRAFT


def test_liaison_de_sees_how_many_articles_are_reported(client, liaison_de):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE)
    response = client.get(reverse("initiatives:liaison_member_state", args=["DE"]))
    total = len(response.context["rows"])  # the articles a liaison reports on
    assert response.context["progress"] == {"reported": 1, "total": total}
    assert f"1 of {total} articles reported" in response.content.decode()


def test_liaison_de_sees_and_edits_every_article_in_one_table(client, liaison_de):
    client.force_login(liaison_de)
    url = reverse("initiatives:liaison_articles", args=["DE"])
    response = client.get(url)
    assert response.status_code == 200
    forms = response.context["rows"]
    data = {}
    for row in forms:
        if row["form"] is None:
            continue
        for field in row["form"]:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    first, second = [row for row in forms if row["form"] is not None][:2]
    data[first["form"].add_prefix("status")] = NotificationStatus.NONE
    data[second["form"].add_prefix("status")] = NotificationStatus.PARTIAL  # needs a measure: refused
    response = client.post(url, data)
    assert response.status_code == 200 and not LiaisonReport.objects.filter(member_state__code="DE").exists()
    data[second["form"].add_prefix("status")] = NotificationStatus.NONE
    response = client.post(url, data)
    assert response.status_code == 302
    assert LiaisonReport.objects.filter(member_state__code="DE", state=ReviewState.DRAFT).count() == 2


def test_liaison_fr_cannot_open_germanys_table(client, liaison_fr):
    client.force_login(liaison_fr)
    assert client.get("/liaison/DE/articles/").status_code == 404


def test_saving_the_table_as_the_browser_sends_it_unchanged_saves_nothing(client, liaison_de):
    client.force_login(liaison_de)
    url = reverse("initiatives:liaison_articles", args=["DE"])
    html = client.get(url).content.decode()
    import re

    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for name in re.findall(r'<select name="([^"]+)"', html):
        data[name] = ""  # the browser sends the selected (first, empty) choice
    client.post(url, data)
    assert not LiaisonReport.objects.filter(member_state__code="DE").exists()
    assert 'value="" selected' in html or '<option value="">' in html
