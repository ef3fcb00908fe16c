"""Findings on articles: one finding on a group of articles, never one per article; who made it, how sure; the
articles that oblige Member States are the only ones counted, and the only ones liaisons report on."""

import pytest

from initiatives.importers import run_import
from initiatives.importers.findings import article_numbers
from initiatives.models import ArticleFinding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text,numbers", [("27", [27]), ("3-7", [3, 4, 5, 6, 7]),
                                          ("10,21-25", [10, 21, 22, 23, 24, 25]), ("15(2)", [15]), ("3(5)", [3]),
                                          ("7-3", None), ("x", None), ("", None),
                                          ("3(2)-5", None)])
def test_article_cells_are_read_as_groups(text, numbers):
    assert article_numbers(text) == numbers


def test_a_finding_on_a_group_is_one_finding_linked_to_the_group():
    assert ArticleFinding.objects.count() == 29
    prevention = ArticleFinding.objects.get(member_state__code="IE", article_reference="10,21-25")
    assert sorted(prevention.articles.values_list("number", flat=True)) == [10, 21, 22, 23, 24, 25]
    assert prevention.is_group and prevention.assessed_by == "infringement_letter" and prevention.confidence == "medium"
    assert ArticleFinding.objects.filter(member_state__code="IE").count() == 4  # 3-7, 10,21-25, 18-20, 24


def test_the_directive_page_shows_each_finding_once_with_who_made_it_and_its_confidence(client):
    text = client.get("/directive/").content.decode()
    assert text.count("one or more of Arts 10,21-25") == 7  # IE, IT, PT, ES, HR, MT, CZ: once each
    assert "the Commission, in an infringement letter or opinion" in text
    assert "confidence: low" in text


def test_on_a_past_day_only_the_findings_made_by_then_show(client):
    text = client.get("/directive/?as_of=2014-01-01").content.decode()
    assert "Swedish government inquiry" in text and "Reasoned opinion" not in text


def test_the_member_state_page_counts_only_the_articles_that_oblige_member_states(client):
    text = client.get("/member-states/IE/").content.decode()
    assert "of 25 articles" in text and "of 30 articles" not in text
    assert "not counted: obliges no Member State" in text
    assert "one or more of Arts 3-7" in text and "Findings on articles" in text


def test_liaison_de_is_not_asked_to_report_on_articles_that_oblige_no_member_state(client, liaison_de):
    client.force_login(liaison_de)
    assert client.get("/liaison/DE/articles/1/").status_code == 404
    assert client.get("/liaison/DE/articles/28/").status_code == 404
    assert client.get("/liaison/DE/articles/2/").status_code == 200
    text = client.get("/liaison/DE/").content.decode()
    assert "/liaison/DE/articles/27/" in text and "/liaison/DE/articles/26/" not in text


HEADER = "member_state_code,article,finding,finding_date,assessed_by,summary,source_url_or_ref,confidence\n"


def test_a_bad_article_cell_is_refused_and_nothing_is_written():
    data = (HEADER + "SE,31,concern_raised,2012-11,other,S.,https://example.org/a,high\n"
            "SE,10,concern_raised,2012-11,other,S.,https://example.org/a,high\n").encode()
    result = run_import("findings", data, "f.csv", dry_run=False)
    assert [(e.line, e.column) for e in result.errors] == [(2, "article")]
    assert ArticleFinding.objects.count() == 29


def test_the_shipped_findings_import_again_unchanged_and_the_staff_export_reimports(client, staff_user):
    from django.conf import settings

    data = (settings.BASE_DIR / "fixtures" / "data" / "article_findings.csv").read_bytes()
    result = run_import("findings", data, "article_findings.csv", dry_run=True)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 29)
    client.force_login(staff_user)
    export = client.get("/staff/import/current/findings/").content
    again = run_import("findings", export, "findings.csv", dry_run=True)
    assert again.ok and (again.created, again.updated) == (0, 0), again.errors
