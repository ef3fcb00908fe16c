"""Bad input in the workspaces: a form error on the page (200), nothing saved, never a 500."""

import pytest
from django.urls import reverse

from initiatives.choices import Stage
from initiatives.dates import PartialDate
from initiatives.forms import PartialDateField
from initiatives.models import (
    Assessment,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LiaisonReport,
    MemberState,
)
from tests.factories import open_procedures
from tests.test_review_flow import form_values

SOURCE = "https://ec.europa.eu/commission/presscorner/detail/en/inf_23_1"


@pytest.mark.parametrize("text,display", [("2014-01-27", "27 January 2014"), ("2014-01", "January 2014"),
                                          ("2021-Q2", "Q2 2021"), ("2020", "2020"), ("", None)])
def test_the_date_field_keeps_the_precision_typed(text, display):
    value = PartialDateField(required=False).clean(text)
    assert (value.display() if value else None) == display


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def history_size(model):
    return model.history.count()


def refused(client, url, model, message, **changes):
    before = history_size(model)
    response = client.post(url, form_values(client.get(url), **changes))
    assert response.status_code == 200
    assert message in response.content.decode(), response.context["form"].errors
    assert "Not saved." in response.content.decode()
    assert history_size(model) == before
    return response


@pytest.mark.parametrize("changes,message", [
    ({"progress": "101"}, "less than or equal to 100"),
    ({"progress": "-5"}, "greater than or equal to 0"),
    ({"progress": "half"}, "Enter a whole number"),
    ({"forecast": "2021-13-01"}, "is not a date"),
    ({"forecast": "2021-Q5"}, "is not a date"),
    ({"forecast": "next spring"}, "is not a date"),
    ({"status": "delivered", "date": "2099-01"}, "in the future"),
    ({"status": "in_progress", "date": "2022-10"}, "has no delivery date"),
    ({"status": "delivered", "date": "2022-10"}, "needs the source that gives the delivery"),  # issue 13
    ({"status": "finished"}, "Select a valid choice"),
    ({"narrative": "x" * 4001}, "at most 4000 characters"),
    ({"reason": "r" * 101}, "at most 100 characters"),
])
def test_a_key_action_refuses_bad_input(staff, changes, message):
    action = KeyAction.objects.first()
    refused(staff, reverse("initiatives:staff_key_action", args=[action.pk]), KeyAction, message, **changes)


@pytest.mark.parametrize("changes,message", [
    ({"sources": ""}, "at least one source"),
    ({"sources": "x" * 1001}, "limited to 1000 characters"),
    ({"date": "2020-02-30"}, "is not a date"),
    ({"kind": "rumour"}, "Select a valid choice"),
    ({"description": "d" * 501}, "at most 500 characters"),
])
def test_an_event_refuses_bad_input(staff, changes, message):
    action = KeyAction.objects.first()
    url = reverse("initiatives:staff_event_add", args=[action.pk])
    base = {"date": "2024-05", "kind": "report", "description": "A report", "sources": SOURCE, "confidence": "high"}
    before = KeyActionEvent.objects.count()
    refused(staff, url, KeyActionEvent, message, **(base | changes))
    assert KeyActionEvent.objects.count() == before


@pytest.mark.parametrize("changes,message", [
    ({"stage": Stage.JUDGMENT}, "no referral to the Court"),
    ({"stage": Stage.REASONED_OPINION, "date": "2010-01-01"}, "dates cannot go backwards"),
    ({"stage": "unknown_stage"}, "Select a valid choice"),
    ({"stage": Stage.REASONED_OPINION, "date": "2019-14"}, "is not a date"),
    ({"stage": Stage.REASONED_OPINION, "reply_months": "99"}, "between 1 and 24 months"),
])
def test_the_next_decision_respects_the_order_rules(staff, changes, message):
    procedure = open_procedures().filter(infr_number="INFR(2019)2136").get()
    refused(staff, reverse("initiatives:staff_procedure", args=[procedure.pk]), InfringementProcedure, message,
            sources=SOURCE, **changes)
    assert procedure.decisions.count() == 2


def test_a_closed_procedure_takes_no_further_decision(staff):
    procedure = InfringementProcedure.objects.exclude(pk__in=open_procedures().values("pk")).first()
    url = reverse("initiatives:staff_procedure", args=[procedure.pk])
    count = procedure.decisions.count()
    response = staff.post(url, {"stage": Stage.REASONED_OPINION, "date": "2030", "sources": SOURCE,
                                "confidence": "high", "after_position": count})
    assert response.status_code == 200 and "comes after the closure" in response.content.decode()
    assert procedure.decisions.count() == count


@pytest.mark.parametrize("changes,message", [
    ({"member_state": "XX"}, "Select a valid choice"),
    ({"member_state": "GR"}, "Select a valid choice"),
    ({"infr_number": "2019/2136"}, "INFR(2019)2136"),
    ({"infr_number": "INFR(2019)2136"}, "already exists"),
    ({"letter_date": "tomorrow"}, "is not a date"),
    ({"type": "bad_faith"}, "Select a valid choice"),
    ({"note": "n" * 4001}, "at most 4000 characters"),
])
def test_opening_a_procedure_refuses_bad_input(staff, changes, message):
    url = reverse("initiatives:staff_procedure_open")
    legal_act = InfringementProcedure.objects.first().legal_act_id
    base = {"member_state": "NL", "type": "non_conformity", "legal_act": legal_act, "sources": SOURCE,
            "confidence": "high", "letter_date": "2026-01"}
    before = InfringementProcedure.objects.count()
    refused(staff, url, InfringementProcedure, message, **(base | changes))
    assert InfringementProcedure.objects.count() == before


@pytest.mark.parametrize("changes,message", [
    ({"status": "excellent"}, "Select a valid choice"),
    ({"date": ""}, "This field is required"),
    ({"date": "2023-02-31"}, "is not a date"),
    ({"sources": ""}, "at least one source"),
])
def test_an_assessment_refuses_bad_input(staff, changes, message):
    base = {"status": "conform", "date": "2023-02", "sources": SOURCE, "confidence": "high"}
    refused(staff, reverse("initiatives:staff_assessment", args=["DE", 3]), Assessment, message, **(base | changes))


def test_an_unknown_member_state_or_article_is_a_404(staff):
    assert staff.get(reverse("initiatives:staff_assessment", args=["XX", 3])).status_code == 404
    assert staff.get(reverse("initiatives:staff_assessment", args=["DE", 31])).status_code == 404
    assert staff.get(reverse("initiatives:staff_assessment_articles", args=["de"])).status_code == 404
    assert staff.get(reverse("initiatives:staff_history", args=["member", 1])).status_code == 404
    assert staff.get(reverse("initiatives:staff_history", args=["event", 999999])).status_code == 404


@pytest.fixture
def liaison(client, liaison_de):
    client.force_login(liaison_de)
    return client


@pytest.mark.parametrize("changes,message", [
    ({"member_state": "FR"}, "this form named another Member State"),
    ({"status": "complete", "measure_title": ""}, "needs its title"),
    ({"status": "none", "measure_title": "Gesetz", "measure_reference": "BGBl"}, "report that none was notified"),
    ({"status": "everything"}, "Select a valid choice"),
    ({"status": "none", "measure_date": "2015-02-29"}, "is not a date"),
    ({"status": "partial", "measure_title": "t" * 501, "measure_reference": "r"}, "at most 500 characters"),
    ({"status": "none", "measure_url": "javascript:alert(1)"}, "Enter a valid URL"),
    ({"status": "none", "comment": "c" * 4001}, "at most 4000 characters"),
    ({"status": "none", "version": "abc"}, "Enter a whole number"),
])
def test_a_liaison_report_refuses_bad_input_and_tampering(liaison, changes, message):
    url = reverse("initiatives:liaison_article", args=["DE", 3])
    refused(liaison, url, LiaisonReport, message, save="1", **changes)
    assert not LiaisonReport.objects.filter(member_state__code="FR").exists()
    assert not LiaisonReport.objects.filter(article__number=3).exists()


def test_a_partial_date_round_trips_through_the_liaison_form(liaison):
    url = reverse("initiatives:liaison_article", args=["DE", 4])
    liaison.post(url, form_values(liaison.get(url), status="partial", measure_title="StGB",
                                  measure_reference="BGBl. I S. 1", measure_date="2015-Q1", save="1"))
    report = LiaisonReport.objects.get(member_state=MemberState.objects.get(code="DE"), article__number=4)
    assert report.measure_when == PartialDate.parse("2015-Q1")
    assert 'value="2015-Q1"' in liaison.get(url).content.decode()
