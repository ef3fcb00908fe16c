"""The main liaison and staff flows, done with the keyboard only: Tab to move, type, Space and Enter to act."""

import pytest

from initiatives.choices import NotificationStatus, ReviewState
from initiatives.models import KeyAction, LiaisonReport, TranspositionReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, check, limit=250):
    """Press Tab until the focused element passes `check` (a JS predicate on `el`); fail if it never does."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({check}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {check}")


def press_enter_and_wait(page):
    """Enter on a link or a submit button: wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focus_text(text):
    return f"el && el.textContent.trim().startsWith({text!r})"


def log_in(page, username):
    page.goto("/accounts/login/")
    tab_to(page, "el.id === 'id_username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("tracker-demo")
    press_enter_and_wait(page)


def log_out(page):
    tab_to(page, focus_text("Log out"))
    press_enter_and_wait(page)


def test_a_liaison_submits_and_staff_approve_with_the_keyboard_only(page, accounts):
    # The liaison for Germany reports on Art. 18 and submits it.
    log_in(page, "liaison-de")
    tab_to(page, focus_text("My Member State"))
    press_enter_and_wait(page)
    page.wait_for_url("**/liaison/DE/")
    tab_to(page, focus_text("Art. 18"))
    press_enter_and_wait(page)
    page.wait_for_url("**/liaison/DE/articles/18/")
    tab_to(page, "el.name === 'status'")
    page.keyboard.press("Space")       # no measures notified
    page.keyboard.press("ArrowDown")   # partially notified
    page.keyboard.press("Tab")
    page.keyboard.type("Gesetz zur Stärkung der Rechte von Opfern")
    page.keyboard.press("Tab")
    page.keyboard.type("BGBl. I 2015 S. 2525")
    page.keyboard.press("Tab")
    page.keyboard.type("2015-12")
    tab_to(page, "el.name === 'comment'")
    page.keyboard.type("Federal law; Land laws follow.")
    tab_to(page, focus_text("Submit for review"))
    press_enter_and_wait(page)
    page.wait_for_url("**/liaison/DE/")
    assert "submitted for review" in page.locator("main").inner_text()
    report = LiaisonReport.objects.get(member_state__code="DE", article__number=18)
    assert report.state == ReviewState.SUBMITTED and report.status == NotificationStatus.PARTIAL
    assert not TranspositionReport.objects.published().filter(member_state__code="DE", article__number=18).exists()
    log_out(page)

    # Staff find it in the review queue and approve it.
    log_in(page, "staff")
    tab_to(page, focus_text("Staff workspace"))
    press_enter_and_wait(page)
    tab_to(page, focus_text("Review queue"))
    press_enter_and_wait(page)
    page.wait_for_url("**/staff/reviews/")
    tab_to(page, focus_text("Germany, Art. 18"))
    press_enter_and_wait(page)
    tab_to(page, "el.name === 'decision'")
    page.keyboard.press("Space")  # approve and publish
    tab_to(page, focus_text("Record decision"))
    press_enter_and_wait(page)
    page.wait_for_url("**/staff/reviews/")
    assert "is now published" in page.locator("main").inner_text()
    published = TranspositionReport.objects.published().get(member_state__code="DE", article__number=18)
    assert published.status == NotificationStatus.PARTIAL


def test_staff_update_a_key_action_with_the_keyboard_only(page, accounts):
    action = KeyAction.objects.order_by("initiative__number", "is_context_commitment", "code").first()
    log_in(page, "staff")
    page.goto("/staff/key-actions/")
    tab_to(page, focus_text(f"{action.initiative.number}/{action.code} "))
    press_enter_and_wait(page)
    tab_to(page, "el.name === 'progress'")
    page.keyboard.type("35")
    page.keyboard.press("Tab")
    page.keyboard.type("2027-Q2")
    tab_to(page, "el.name === 'reason'")
    page.keyboard.type("Progress report of March")
    press_enter_and_wait(page)
    assert "saved" in page.locator(".messages").inner_text()
    action.refresh_from_db()
    assert action.progress == 35 and action.forecast_precision == "quarter"
    assert action.history.latest().history_change_reason == "Progress report of March"

    # A bad value is announced and focusable from the error summary.
    tab_to(page, "el.name === 'progress'")
    page.keyboard.press("Control+A")
    page.keyboard.type("140")
    press_enter_and_wait(page)
    assert "Not saved." in page.locator(".form-errors").inner_text()
    tab_to(page, "el.getAttribute('href') === '#id_progress'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_progress"
