"""Loading the shipped data again (`make run` twice) keeps what people changed since the loader wrote it.

The loader creates what is missing and changes only records whose newest history entry is its own (or
that no person ever touched); where the shipped data and a person's edit disagree, the edit stays and
the command lists the conflict. Shipped event rows are matched to records by a stable key, so an edited
event is not loaded a second time.
"""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from initiatives.choices import KeyActionStatus
from initiatives.importers.common import LOADER_REASON
from initiatives.models import KeyAction, KeyActionEvent
from tests.test_review_flow import form_values

pytestmark = pytest.mark.django_db


def load_again(*args):
    out, err = StringIO(), StringIO()
    call_command("load_real_data", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def key_action_2b():
    return KeyAction.objects.get(initiative__number=2, code="2b")


def staff_sets_2b_delivered_on_12_may_2022(staff_user):
    """The issue's scenario: staff set key action 2b to delivered (late), on a day the shipped data does not say
    (it says 11 May 2022)."""
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_key_action", args=[key_action_2b().pk])
    response = client.post(url, form_values(
        client.get(url), status=KeyActionStatus.DELIVERED, date="2022-05-12", reason="Adopted on 12 May",
        status_reason="The register dates the proposal 12 May", status_source="COM(2022) 209 https://eur-lex.europa.eu/"))
    assert response.status_code == 302
    action = key_action_2b()
    assert (action.status, action.date.isoformat()) == (KeyActionStatus.DELIVERED_LATE, "2022-05-12")


def test_staff_setting_key_action_2b_delivered_late_survives_loading_the_data_again(staff_user):
    staff_sets_2b_delivered_on_12_may_2022(staff_user)

    output = load_again()

    action = key_action_2b()
    assert action.status == KeyActionStatus.DELIVERED_LATE
    assert action.date.isoformat() == "2022-05-12"
    newest = action.history.order_by("-history_id").first()
    assert newest.history_user == staff_user  # the loader wrote nothing over staff's edit
    assert "conflict" in output.lower() and "2/2b" in output
    assert "2022-05-11" in output  # what the shipped data says, listed


def test_a_status_staff_set_survives_loading_the_data_again(staff_user):
    action = KeyAction.objects.filter(status=KeyActionStatus.IN_PROGRESS).order_by("pk").first()
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_key_action", args=[action.pk])
    response = client.post(url, form_values(client.get(url), status=KeyActionStatus.STALLED, reason="Stalled",
                                            status_reason="No step for two years",
                                            status_source="https://example.org/stalled"))
    assert response.status_code == 302

    output = load_again()

    action.refresh_from_db()
    assert action.status == KeyActionStatus.STALLED
    assert f"{action.initiative.number}/{action.code}" in output and "in_progress" in output


def test_the_dry_run_lists_the_same_conflict_and_changes_nothing(staff_user):
    staff_sets_2b_delivered_on_12_may_2022(staff_user)
    output = load_again("--dry-run")
    assert "2/2b" in output and "conflict" in output.lower()
    assert key_action_2b().date.isoformat() == "2022-05-12"


def test_an_event_staff_corrected_is_not_loaded_a_second_time(staff_user):
    event = KeyActionEvent.objects.filter(key_action__code="2b").order_by("date", "id").first()
    count = KeyActionEvent.objects.count()
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_event_edit", args=[event.pk])
    corrected = event.description + " (corrected by staff)"
    assert client.post(url, form_values(client.get(url), description=corrected)).status_code == 302

    output = load_again()

    assert KeyActionEvent.objects.count() == count
    event.refresh_from_db()
    assert event.description == corrected
    assert "conflict" in output.lower()


def test_an_event_staff_deleted_is_not_brought_back(staff_user):
    event = KeyActionEvent.objects.filter(key_action__code="2b").order_by("date", "id").first()
    count = KeyActionEvent.objects.count()
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_event_delete", args=[event.pk])
    assert client.post(url, form_values(client.get(url), reason="duplicate")).status_code == 302

    output = load_again()

    assert KeyActionEvent.objects.count() == count - 1
    assert "conflict" in output.lower()


def test_the_loaders_own_writes_are_audited_as_the_loaders_with_a_reason():
    event = KeyActionEvent.objects.order_by("id").first()
    created = event.history.order_by("history_id").first()
    assert created.history_user is None
    assert created.history_change_reason == LOADER_REASON


def test_a_record_no_person_changed_follows_the_shipped_data(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REAL_DATA_DIR, data_dir)
    timeline = data_dir / "key_actions_timeline.csv"
    event = KeyActionEvent.objects.filter(key_action__code="2b").order_by("date", "id").first()
    text = timeline.read_text(encoding="utf-8")
    assert text.count(event.description) == 1
    timeline.write_text(text.replace(event.description, event.description + " (reworded)"), encoding="utf-8")
    count = KeyActionEvent.objects.count()

    output = load_again("--data-dir", str(data_dir))

    assert KeyActionEvent.objects.count() == count  # the same shipped row: updated, not duplicated
    event.refresh_from_db()
    assert event.description.endswith(" (reworded)")
    newest = event.history.order_by("-history_id").first()
    assert (newest.history_user, newest.history_change_reason) == (None, LOADER_REASON)
    assert "conflict" not in output.lower()


def test_a_missing_shipped_record_no_person_removed_is_created_again():
    event = KeyActionEvent.objects.order_by("id").first()
    description = event.description
    KeyActionEvent.objects.filter(pk=event.pk).delete()  # gone without a trace (e.g. an older database)

    load_again()

    assert KeyActionEvent.objects.filter(description=description).count() == 1


def test_a_field_no_person_changed_still_follows_the_shipped_data_on_a_record_a_person_edited(staff_user, tmp_path):
    """Staff edited an event's description; the shipped data then corrects its confidence. The loader keeps
    staff's description and takes the new confidence: the rule is per field, not per record."""
    event = KeyActionEvent.objects.filter(key_action__code="2b").order_by("date", "id").first()
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_event_edit", args=[event.pk])
    corrected = event.description + " (corrected by staff)"
    assert client.post(url, form_values(client.get(url), description=corrected)).status_code == 302
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REAL_DATA_DIR, data_dir)
    timeline = data_dir / "key_actions_timeline.csv"
    lines = timeline.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if event.description in line)
    old_confidence = event.confidence
    new_confidence = "low" if old_confidence != "low" else "medium"
    assert lines[row].rstrip("\n").endswith("," + old_confidence)
    lines[row] = lines[row].rstrip("\n")[: -len(old_confidence)] + new_confidence + "\n"
    timeline.write_text("".join(lines), encoding="utf-8")

    output = load_again("--data-dir", str(data_dir))

    event.refresh_from_db()
    assert (event.description, event.confidence) == (corrected, new_confidence)
    assert "conflict" in output.lower() and "description" in output
    # Loading once more changes nothing: staff's description is still theirs, not taken for the loader's.
    load_again("--data-dir", str(data_dir))
    event.refresh_from_db()
    assert event.description == corrected


def shipped_copy(tmp_path, change):
    """A copy of the shipped data whose timeline went through `change` (text -> text)."""
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REAL_DATA_DIR, data_dir)
    timeline = data_dir / "key_actions_timeline.csv"
    timeline.write_text(change(timeline.read_text(encoding="utf-8")), encoding="utf-8")
    return data_dir


def test_an_event_whose_date_the_shipped_data_corrects_is_moved_not_duplicated(tmp_path):
    event = KeyActionEvent.objects.filter(key_action__code="2b", date_precision="day").order_by("date", "id").first()
    day = event.date.isoformat()
    count = KeyActionEvent.objects.count()
    data_dir = shipped_copy(tmp_path, lambda text: "".join(
        line.replace(f",{day},", f",{day[:8]}01,", 1) if event.description in line else line
        for line in text.splitlines(keepends=True)))

    output = load_again("--data-dir", str(data_dir))

    assert KeyActionEvent.objects.count() == count
    moved = KeyActionEvent.objects.get(key_action__code="2b", description=event.description)
    assert moved.date.isoformat() == day[:8] + "01"
    assert "removed" in output


def test_an_event_gone_from_the_shipped_data_stays_if_a_person_edited_it(staff_user, tmp_path):
    event = KeyActionEvent.objects.filter(key_action__code="2b").order_by("date", "id").first()
    client = logged_in(staff_user)
    url = reverse("initiatives:staff_event_edit", args=[event.pk])
    assert client.post(url, form_values(client.get(url), confidence="low")).status_code == 302
    data_dir = shipped_copy(tmp_path, lambda text: "".join(
        line for line in text.splitlines(keepends=True) if event.description not in line))

    output = load_again("--data-dir", str(data_dir))

    assert KeyActionEvent.objects.filter(pk=event.pk).exists()
    assert "no longer in the shipped data" in output


def test_a_decision_whose_date_staff_corrected_is_not_loaded_a_second_time(staff_user):
    """The research CSV's additional letter to Belgium of 15 February 2023, corrected by staff to the 16th: a
    reload recognises the decision it made (by its history), keeps the correction and lists the conflict."""
    from datetime import date

    from initiatives.models import Decision

    letter = Decision.objects.get(procedure__infr_number="INFR(2019)2227", date=date(2023, 2, 15))
    letter._history_user = staff_user
    letter._change_reason = "the Commission's press release gives the 16th"
    letter.date = date(2023, 2, 16)
    letter.save()
    count = Decision.objects.filter(procedure=letter.procedure).count()
    out = load_again()
    assert Decision.objects.filter(procedure=letter.procedure).count() == count
    letter.refresh_from_db()
    assert letter.date == date(2023, 2, 16)
    assert "kept the edit by staff" in out and "2023-02-16" in out
