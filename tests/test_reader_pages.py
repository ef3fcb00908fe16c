"""Issue 14, on the pages: plurals through ngettext, stage numbers that do not read as counts, the staff Deadlines
page that leads with live deadlines, valid <time> values, a meta description and a favicon for the API."""

import re
from pathlib import Path

import pandas as pd
import pytest

from initiatives.views import public

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PLURAL_NOUNS = (r"(key actions|procedures|Member States|articles|decisions|records|rows|cells|events|days|months"
                r"|letters)")


def test_no_template_puts_a_number_before_a_plural_noun_without_ngettext():
    """`{{ n }} Member States` in a blocktranslate without `count`, or a figure followed by a fixed plural."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for block in re.finditer(r"{% blocktranslate(?P<args>[^%]*)%}(?P<body>.*?){% endblocktranslate %}", text,
                                 re.S):
            if "count" in block["args"]:
                continue
            if re.search(r"{{ ?\w+ ?}} " + PLURAL_NOUNS, block["body"]):
                offenders.append(f"{path.name}: {block['body'][:70]}")
        for match in re.finditer(r'<span class="figure">{{[^}]+}}</span> {% translate "' + PLURAL_NOUNS, text):
            offenders.append(f"{path.name}: {match[0][:70]}")
    assert offenders == []


def test_the_letters_summary_speaks_of_one_member_state_in_the_singular():
    letters = pd.DataFrame([{"year": 2014, "member_states": 1, "first_letters": 1, "additional_letters": 0,
                             "codes": ["EL"]}])
    assert "reached 1 Member State," in public.letters_summary(letters)


def test_the_matrix_summary_speaks_of_one_cell_in_the_singular():
    matrix = pd.DataFrame([{"member_state": "DE", "notification": "complete"}])
    assert public.matrix_summary(matrix, "notification").startswith("1 of 1 cell ")


STAGE_AS_COUNT = re.compile(r'class="badge-symbol" aria-hidden="true">\d')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/infringements/", "/member-states/EL/", "/member-states/?measure=stage", "/about/",
                                 "/"])
def test_a_stage_badge_never_starts_with_its_number(client, url):
    html = client.get(url).content.decode()
    assert not STAGE_AS_COUNT.search(html), STAGE_AS_COUNT.search(html) and html[
        STAGE_AS_COUNT.search(html).start() - 80:STAGE_AS_COUNT.search(html).end() + 60]


TIME_VALUE = re.compile(r'<time datetime="([^"]*)"')
VALID_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?$")


@pytest.mark.django_db
def test_every_time_element_on_the_overview_has_a_valid_machine_value(client):
    from initiatives.models import KeyAction

    action = KeyAction.objects.first()
    action.short_title += " "  # a change with microseconds in its timestamp, as every real one has
    action.save()
    html = client.get("/").content.decode()
    values = TIME_VALUE.findall(html)
    assert values and all(VALID_DATETIME.match(v) for v in values), values


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/initiatives/", "/timeline/", "/member-states/DE/", "/infringements/",
                                 "/about/", "/accounts/login/", "/open-data/"])
def test_every_page_has_a_meta_description(client, url):
    html = client.get(url).content.decode()
    match = re.search(r'<meta name="description" content="([^"]{40,})">', html)
    assert match, f"{url} has no meta description"


@pytest.mark.django_db
def test_the_favicon_that_the_api_page_asks_for_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("favicon.svg")


# --- The staff Deadlines page (item 19) ---------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_an_ended_reply_period_is_not_an_overdue_task_and_live_deadlines_lead_the_page(staff_client):
    from datetime import date

    from initiatives.choices import Stage
    from initiatives.models import Decision, InfringementProcedure, LegalAct, MemberState

    def procedure(code, when):
        made = InfringementProcedure.objects.create(member_state=MemberState.objects.get(code=code),
                                                    type="non_conformity",
                                                    legal_act=LegalAct.objects.get(celex="32011L0093"))
        Decision.objects.create(procedure=made, position=1, stage=Stage.LETTER_OF_FORMAL_NOTICE, date=when,
                                date_precision="day")
        return made

    procedure("DK", date(2030, 1, 1))  # reply due 1 March 2030: ended by the day counted
    procedure("DK", date(2030, 5, 2))  # reply due 2 July 2030: 8 days left
    html = staff_client.get("/staff/deadlines/", {"today": "2030-06-24", "member_state": "DK"}).content.decode()
    assert "reply period ended on 1 March 2030" in html
    assert "days overdue" not in html.split('id="actions-heading"')[0]  # no reply counted as an overdue task
    live = html.index('id="live-heading"')
    assert live < html.index('id="replies-heading"') and live < html.index('id="actions-heading"')
    assert "8 days left" in html[live:html.index('id="replies-heading"')]
