"""Every change is kept with who made it, when, old and new values, and the reason given."""

import pytest
from django.urls import reverse

from initiatives.choices import AssessmentStatus, KeyActionStatus, NotificationStatus, ReviewState, Stage
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LiaisonReport,
    TranspositionReport,
    last_changed,
    revisions,
)
from tests.factories import open_procedures
from tests.test_review_flow import form_values

SOURCE = "https://ec.europa.eu/commission/presscorner/detail/en/inf_24_1"


def latest(model, pk):
    return model.history.filter(id=pk).order_by("-history_id").first()


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def post_form(client, url, **changes):
    response = client.post(url, form_values(client.get(url), **changes))
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_a_key_action_update_is_kept_with_user_reason_and_diff(staff, staff_user):
    action = KeyAction.objects.filter(status=KeyActionStatus.IN_PROGRESS).first()
    url = reverse("initiatives:staff_key_action", args=[action.pk])
    post_form(staff, url, progress=55, forecast="2026-Q4", reason="Commission work programme 2026")
    record = latest(KeyAction, action.pk)
    assert record.history_user == staff_user and record.history_change_reason == "Commission work programme 2026"
    [newest, *_older] = revisions(KeyAction, action.pk)
    changes = {change.field: (change.old, change.new) for change in newest.changes}
    assert changes["progress (%)"] == ("—", "55")
    assert changes["forecast date"] == ("—", "Q4 2026")

    page = staff.get(reverse("initiatives:staff_history", args=["key-action", action.pk])).content.decode()
    assert "Commission work programme 2026" in page and "staff" in page and "Q4 2026" in page


def test_adding_editing_and_removing_an_event_is_kept(staff, staff_user):
    action = KeyAction.objects.first()
    post_form(staff, reverse("initiatives:staff_event_add", args=[action.pk]), date="2026-02", kind="report",
              description="Implementation report", sources=SOURCE, confidence="high", reason="new report")
    event = KeyActionEvent.objects.get(description="Implementation report")
    assert event.when.display() == "February 2026"
    assert latest(KeyActionEvent, event.pk).history_change_reason == "new report"
    assert [row.source.citation for row in latest(KeyActionEvent, event.pk).sources.all()] == [SOURCE]

    post_form(staff, reverse("initiatives:staff_event_edit", args=[event.pk]), description="Second implementation "
              "report", reason="title corrected")
    assert latest(KeyActionEvent, event.pk).history_change_reason == "title corrected"

    post_form(staff, reverse("initiatives:staff_event_delete", args=[event.pk]), reason="duplicate")
    record = latest(KeyActionEvent, event.pk)
    assert record.history_type == "-" and record.history_user == staff_user and record.history_change_reason == \
        "duplicate"
    assert staff.get(reverse("initiatives:staff_history", args=["event", event.pk])).status_code == 200


def test_opening_advancing_and_closing_a_procedure_is_kept(staff, staff_user):
    post_form(staff, reverse("initiatives:staff_procedure_open"), member_state="NL", type="non_conformity",
              legal_act=TranspositionReport._meta.get_field("article").related_model.objects.first().legal_act_id,
              infr_number="INFR(2026)2001", letter_date="2026-03-05", sources=SOURCE, confidence="high",
              reason="March infringement package")
    procedure = InfringementProcedure.objects.get(infr_number="INFR(2026)2001")
    assert latest(InfringementProcedure, procedure.pk).history_change_reason == "March infringement package"
    letter = procedure.decisions.get()
    assert letter.stage == Stage.LETTER_OF_FORMAL_NOTICE and letter.when.display() == "5 March 2026"

    url = reverse("initiatives:staff_procedure", args=[procedure.pk])
    post_form(staff, url, stage=Stage.REASONED_OPINION, date="2026-06", sources=SOURCE, reason="June package")
    opinion = procedure.decisions.get(position=2)
    assert latest(Decision, opinion.pk).history_user == staff_user
    assert latest(Decision, opinion.pk).history_change_reason == "June package"

    close_url = reverse("initiatives:staff_procedure_close", args=[procedure.pk])
    response = staff.post(close_url, form_values(staff.get(url), **{
        "close-date": "2026-07", "close-sources": SOURCE, "close-reason": "complied", "close-after_position": 2,
        "close-confidence": "high"}) | {"close-version": ""})
    assert response.status_code == 302
    closure = procedure.decisions.get(position=3)
    assert closure.stage == Stage.CLOSED and latest(Decision, closure.pk).history_change_reason == "complied"
    assert open_procedures().filter(pk=procedure.pk).count() == 0


def test_setting_an_assessment_is_kept(staff, staff_user):
    post_form(staff, reverse("initiatives:staff_assessment", args=["FR", 22]), status=AssessmentStatus.NON_CONFORM,
              date="2023-02-15", sources=SOURCE, confidence="high", reason="additional LFN")
    assessment = Assessment.objects.get(member_state__code="FR", article__number=22)
    record = latest(Assessment, assessment.pk)
    assert record.history_user == staff_user and record.history_change_reason == "additional LFN"
    assert Assessment.objects.published().with_last_changed().get(pk=assessment.pk).last_changed == \
        last_changed(assessment)


def test_a_liaison_report_keeps_who_saved_submitted_returned_and_approved(client, liaison_de, staff_user):
    client.force_login(liaison_de)
    url = reverse("initiatives:liaison_article", args=["DE", 19])
    client.post(url, form_values(client.get(url), status=NotificationStatus.NONE, save="1"))
    client.post(url, form_values(client.get(url), submit="1"))
    report = LiaisonReport.objects.get(member_state__code="DE", article__number=19)
    client.force_login(staff_user)
    review = reverse("initiatives:staff_review", args=[report.pk])
    client.post(review, form_values(client.get(review), decision="return", review_comment="Which law?"))
    client.force_login(liaison_de)
    client.post(url, form_values(client.get(url), submit="1"))
    client.force_login(staff_user)
    client.post(review, form_values(client.get(review), decision="approve"))

    rows = list(LiaisonReport.history.filter(id=report.pk).order_by("history_id"))
    assert [(row.state, row.history_user.username) for row in rows] == [
        (ReviewState.DRAFT, "liaison-de"), (ReviewState.SUBMITTED, "liaison-de"), (ReviewState.RETURNED, "staff"),
        (ReviewState.SUBMITTED, "liaison-de"), (ReviewState.APPROVED, "staff")]
    assert rows[2].history_change_reason == "returned for changes"
    published = TranspositionReport.objects.get(member_state__code="DE", article__number=19)
    assert latest(TranspositionReport, published.pk).history_user == staff_user

    client.force_login(liaison_de)
    page = client.get(reverse("initiatives:liaison_history", args=["DE", 19])).content.decode()
    assert "Which law?" in page and "staff" in page
