"""Two people edit the same record: the later save is refused, shows what changed, and overwrites nothing."""

from django.test import Client
from django.urls import reverse

from initiatives.choices import NotificationStatus, Stage
from initiatives.models import Decision, KeyAction, KeyActionEvent
from tests.factories import open_procedures
from tests.test_review_flow import form_values


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_later_of_two_key_action_edits_is_refused_with_what_changed(staff_user, admin_user):
    action = KeyAction.objects.first()
    url = reverse("initiatives:staff_key_action", args=[action.pk])
    staff, admin = logged_in(staff_user), logged_in(admin_user)
    staff_page, admin_page = staff.get(url), admin.get(url)

    assert admin.post(url, form_values(admin_page, progress=60, reason="Council agreed")).status_code == 302
    response = staff.post(url, form_values(staff_page, progress=40, narrative="Staff's text"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "someone else changed this record" in page
    assert "admin" in page and "Council agreed" in page and "60" in page
    action.refresh_from_db()
    assert action.progress == 60 and action.narrative == ""
    # What the staff member typed is still in the form, and saving again is now a deliberate choice.
    assert "Staff&#x27;s text" in page or "Staff's text" in page
    again = staff.post(url, form_values(response, progress=40, narrative="Staff's text"))
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.progress == 40


def test_an_event_removed_while_someone_edits_it_is_not_recreated(staff_user, admin_user):
    event = KeyActionEvent.objects.first()
    edit_url = reverse("initiatives:staff_event_edit", args=[event.pk])
    delete_url = reverse("initiatives:staff_event_delete", args=[event.pk])
    staff, admin = logged_in(staff_user), logged_in(admin_user)
    staff_page = staff.get(edit_url)
    admin.post(delete_url, form_values(admin.get(delete_url), reason="duplicate"))
    response = staff.post(edit_url, form_values(staff_page, description="Edited"))
    assert response.status_code == 404
    assert not KeyActionEvent.objects.filter(pk=event.pk).exists()


def test_two_edits_of_the_same_event_the_later_is_refused(staff_user, admin_user):
    event = KeyActionEvent.objects.first()
    url = reverse("initiatives:staff_event_edit", args=[event.pk])
    staff, admin = logged_in(staff_user), logged_in(admin_user)
    staff_page, admin_page = staff.get(url), admin.get(url)
    assert admin.post(url, form_values(admin_page, description="Admin's wording")).status_code == 302
    response = staff.post(url, form_values(staff_page, description="Staff's wording"))
    assert response.status_code == 409 and "Admin&#x27;s wording" in response.content.decode()
    event.refresh_from_db()
    assert event.description == "Admin's wording"


def test_a_decision_added_in_between_refuses_the_later_one(staff_user, admin_user):
    procedure = open_procedures().filter(decisions__stage=Stage.LETTER_OF_FORMAL_NOTICE).first()
    url = reverse("initiatives:staff_procedure", args=[procedure.pk])
    staff, admin = logged_in(staff_user), logged_in(admin_user)
    staff_page, admin_page = staff.get(url), admin.get(url)
    before = procedure.decisions.count()
    first = form_values(admin_page, stage=Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, date="2024-03",
                        sources="https://ec.europa.eu/commission/presscorner/detail/en/inf_24_1")
    assert admin.post(url, first).status_code == 302
    second = form_values(staff_page, stage=Stage.REASONED_OPINION, date="2024-04-02",
                         sources="https://ec.europa.eu/commission/presscorner/detail/en/inf_24_2")
    response = staff.post(url, second)
    assert response.status_code == 409
    assert "additional letter of formal notice" in response.content.decode()
    assert Decision.objects.filter(procedure=procedure).count() == before + 1


def test_two_liaisons_of_one_member_state_cannot_overwrite_each_other(liaison_de, liaison_fr):
    from initiatives.roles import make_liaison

    make_liaison(liaison_fr, "DE")  # a Member State may have several liaisons
    url = reverse("initiatives:liaison_article", args=["DE", 24])
    first, second = logged_in(liaison_de), logged_in(liaison_fr)
    first_page, second_page = first.get(url), second.get(url)
    assert first.post(url, form_values(first_page, status=NotificationStatus.NONE, comment="first",
                                       save="1")).status_code == 302
    response = second.post(url, form_values(second_page, status=NotificationStatus.NONE, comment="second",
                                            save="1"))
    assert response.status_code == 409 and "liaison-de" in response.content.decode()
