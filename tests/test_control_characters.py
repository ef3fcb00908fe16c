"""Control characters (issue 12, item 9, forms and API): refused on input with a clear message, nothing saved.

(Leading and trailing ones are whitespace to Python, so a form strips them with the other spaces, as before.)

Outputs (feeds, exports) leave out what an older version stored: tests/test_feeds.py, tests/test_exports.py.
The rule itself (which characters) lives in initiatives/text.py (tests/test_text.py).
"""

import pytest
from django.urls import reverse

from initiatives.models import Assessment, InfringementProcedure, KeyAction, KeyActionEvent, LiaisonReport
from tests.test_staff_forms import SOURCE, refused

pytestmark = pytest.mark.django_db

MESSAGE = "invisible control character (U+000B)"


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("field", ["narrative", "reason"])
def test_staff_cannot_save_a_control_character_in_a_key_action(staff, field):
    action = KeyAction.objects.first()
    refused(staff, reverse("initiatives:staff_key_action", args=[action.pk]), KeyAction, MESSAGE,
            **{field: "Delivered\x0b late"})


@pytest.mark.parametrize("field,value", [("description", "A\x0breport"), ("sources", f"{SOURCE}\n\x00COM(2020) 607")])
def test_staff_cannot_save_a_control_character_in_an_event(staff, field, value):
    action = KeyAction.objects.first()
    base = {"date": "2024-05", "kind": "report", "description": "A report", "sources": SOURCE, "confidence": "high"}
    message = MESSAGE if field == "description" else "control character"
    refused(staff, reverse("initiatives:staff_event_add", args=[action.pk]), KeyActionEvent, message,
            **(base | {field: value}))


def test_staff_cannot_open_a_procedure_with_a_control_character_in_its_note(staff):
    legal_act = InfringementProcedure.objects.first().legal_act_id
    refused(staff, reverse("initiatives:staff_procedure_open"), InfringementProcedure, MESSAGE,
            member_state="NL", type="non_conformity", legal_act=legal_act, sources=SOURCE, confidence="high",
            letter_date="2026-01", note="see\x0b annex")


def test_staff_cannot_save_a_control_character_in_an_assessment_comment(staff):
    refused(staff, reverse("initiatives:staff_assessment", args=["DE", 3]), Assessment, MESSAGE,
            status="conform", date="2023-02", sources=SOURCE, confidence="high", comment="fine\x0bso far")


def test_a_liaison_cannot_save_a_control_character_in_a_comment(client, liaison_de):
    client.force_login(liaison_de)
    refused(client, reverse("initiatives:liaison_article", args=["DE", 3]), LiaisonReport, MESSAGE,
            save="1", status="none", comment="Noch\x0b offen")
    assert not LiaisonReport.objects.filter(member_state__code="DE", article__number=3).exists()


@pytest.mark.parametrize("url", ["/api/key-actions/", "/api/events/", "/api/decisions/"])
def test_the_api_refuses_a_control_character_in_a_query_parameter_by_name(client, url):
    response = client.get(url, {"key_action": "2\x0b", "member_state": "DE"})
    assert response.status_code == 400
    assert MESSAGE in str(response.json())
    assert "key_action" in response.json()
