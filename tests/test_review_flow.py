"""A liaison's report goes draft, submitted, returned, resubmitted, approved, and only then is public."""

import pytest
from django.urls import NoReverseMatch, reverse

from initiatives.choices import NotificationStatus, ReviewState
from initiatives.models import LiaisonReport, TranspositionReport, report_and_assessment_disagree
from initiatives.models.audit import last_changed

ARTICLE = 18  # assistance and support to victims


def form_values(response, **changes):
    """What the browser would post back: the form's current values, with `changes` typed over them."""
    form = response.context["form"]
    values = {}
    for field in form:
        value = field.value()
        if value is None:
            value = [] if getattr(field.field.widget, "allow_multiple_selected", False) else ""
        values[field.html_name] = value
    values.update(changes)
    return values


def article_url(code="DE", number=ARTICLE):
    return reverse("initiatives:liaison_article", args=[code, number])


def published_for_germany():
    return TranspositionReport.objects.published().filter(member_state__code="DE", article__number=ARTICLE)


def liaison_saves(client, submit=False, **changes):
    response = client.get(article_url())
    data = form_values(response, **changes)
    data["submit" if submit else "save"] = "1"
    return client.post(article_url(), data)


def staff_reviews(client, report, decision, comment=""):
    url = reverse("initiatives:staff_review", args=[report.pk])
    response = client.get(url)
    return client.post(url, form_values(response, decision=decision, review_comment=comment))


def test_a_report_is_public_only_after_staff_approve_it(client, liaison_de, staff_user):
    # The liaison saves a draft: nothing is published.
    client.force_login(liaison_de)
    response = liaison_saves(client, status=NotificationStatus.PARTIAL, measure_title="Strafgesetzbuch § 184b",
                             measure_reference="BGBl. I 2015 S. 10", measure_date="2015-01",
                             comment="Victim support partly in Länder law.")
    assert response.status_code == 302
    report = LiaisonReport.objects.get(member_state__code="DE", article__number=ARTICLE)
    assert report.state == ReviewState.DRAFT
    assert not published_for_germany().exists()

    # They submit it: still nothing public, and they can no longer change it.
    assert liaison_saves(client, submit=True).status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and report.submitted_by == liaison_de
    assert not published_for_germany().exists()
    assert "waiting for the Commission" in client.get(article_url()).content.decode()

    # Staff return it with a comment; the liaison sees the comment.
    client.force_login(staff_user)
    assert "Germany" in client.get(reverse("initiatives:staff_reviews")).content.decode()
    assert staff_reviews(client, report, "return", "Name the Land laws too.").status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.RETURNED and not published_for_germany().exists()
    client.force_login(liaison_de)
    assert "Name the Land laws too." in client.get(article_url()).content.decode()

    # The liaison corrects and resubmits; staff approve: now it is the published value.
    assert liaison_saves(client, submit=True, status=NotificationStatus.COMPLETE,
                         comment="Land laws listed in the annex.").status_code == 302
    client.force_login(staff_user)
    report.refresh_from_db()
    assert staff_reviews(client, report, "approve").status_code == 302
    published = published_for_germany().get()
    assert published.status == NotificationStatus.COMPLETE
    assert published.comment == "Land laws listed in the annex."
    assert [m.reference for m in published.measures.all()] == ["BGBl. I 2015 S. 10"]
    assert published.measures.get().when.display() == "January 2015"
    assert published.sources.exists() and last_changed(published) is not None
    report.refresh_from_db()
    assert report.state == ReviewState.APPROVED and report.published == published

    try:
        public_url = reverse("initiatives:member_state_detail", args=["DE"])
    except NoReverseMatch:
        return
    client.logout()
    assert "completely notified" in client.get(public_url).content.decode()


def test_a_new_draft_after_approval_does_not_change_the_public_value(client, liaison_de, staff_user):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE)
    client.force_login(staff_user)
    staff_reviews(client, LiaisonReport.objects.get(article__number=ARTICLE), "approve")
    client.force_login(liaison_de)
    liaison_saves(client, status=NotificationStatus.COMPLETE, measure_title="Gesetz", measure_reference="BGBl. 1")
    assert published_for_germany().get().status == NotificationStatus.NONE


def test_returning_a_report_needs_a_comment(client, liaison_de, staff_user):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE)
    client.force_login(staff_user)
    report = LiaisonReport.objects.get(article__number=ARTICLE)
    response = staff_reviews(client, report, "return", "")
    assert response.status_code == 200 and "Say what the liaison should change." in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED


def test_a_report_can_only_be_reviewed_once(client, liaison_de, staff_user):
    client.force_login(liaison_de)
    liaison_saves(client, submit=True, status=NotificationStatus.NONE)
    client.force_login(staff_user)
    report = LiaisonReport.objects.get(article__number=ARTICLE)
    url = reverse("initiatives:staff_review", args=[report.pk])
    stale = form_values(client.get(url), decision="approve")
    assert client.post(url, stale).status_code == 302
    response = client.post(url, stale)  # a second click, or a second reviewer on an old page
    assert response.status_code in (200, 409)
    assert TranspositionReport.objects.filter(member_state__code="DE", article__number=ARTICLE).count() == 1


@pytest.mark.parametrize("reported,assessed,disagree", [
    ("complete", "conform", False), ("complete", "non_conform", True), ("partial", "conform", True),
    ("none", "non_conform", False), ("complete", "not_assessed", False), (None, "conform", False),
])
def test_reported_and_assessed_values_disagree_when_they_say_different_things(reported, assessed, disagree):
    assert report_and_assessment_disagree(reported, assessed) is disagree
