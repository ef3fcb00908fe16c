"""The tags that render a record's sources, its last verification, its choice labels and status badges: the
Member State and key-action events pages call them once per row instead of an include each."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from initiatives.models import Decision
from initiatives.templatetags.tracker import choice_label, last_verified_note, sources_details, status_badge


def source(citation, url=""):
    label = citation.replace(url, "").strip(" ;:") if url else citation
    return SimpleNamespace(citation=citation, url=url, label=label)


def test_sources_one_per_document_escaped_and_counted():
    html = sources_details([source("A <b>report</b>; https://e.eu/x", "https://e.eu/x"),
                            source("https://e.eu/x", "https://e.eu/x"), source("Plain & simple")], "high")
    assert html.startswith('<details class="sources">') and html.endswith("</details>")
    assert "<summary>2 sources · confidence: high</summary>" in html
    assert '<a href="https://e.eu/x" rel="noopener noreferrer" lang="en">A &lt;b&gt;report&lt;/b&gt;</a>' in html
    assert '<span lang="en">Plain &amp; simple</span>' in html


def test_no_source_and_no_confidence():
    html = sources_details([], "")
    assert "<summary>0 sources</summary>" in html and "<li>No source recorded.</li>" in html


def test_the_include_renders_the_tag():
    sources = [source("One")]
    included = Template('{% include "initiatives/includes/sources.html" with sources=s confidence=c %}').render(
        Context({"s": sources, "c": "low"}))
    assert included == sources_details(sources, "low") + "\n"
    verified = Template('{% include "initiatives/includes/last_verified.html" with last_verified=d %}').render(
        Context({"d": date(2026, 3, 3)}))
    assert verified == last_verified_note(date(2026, 3, 3)) + "\n"


def test_last_verified_in_the_readers_language():
    assert "Last verified 3 March 2026" in last_verified_note(date(2026, 3, 3))
    assert "Not yet verified by staff" in last_verified_note(None)
    with translation.override("fr"):
        assert "mars 2026" in last_verified_note(date(2026, 3, 3))


def test_choice_label_is_get_display():
    decision = Decision(stage="closed", confidence="high")
    assert choice_label(decision, "confidence") == decision.get_confidence_display()
    assert choice_label(decision, "stage") == decision.get_stage_display()
    with translation.override("fr"):
        assert choice_label(decision, "stage") == decision.get_stage_display()
    assert choice_label(Decision(stage="nonsense"), "stage") == "nonsense"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_badge_is_built_once_per_language(language):
    with translation.override(language):
        first = status_badge("stage", "closed")
        assert status_badge("stage", "closed") is first
    with translation.override("de" if language == "en" else "en"):
        assert status_badge("stage", "closed") != first


@pytest.mark.parametrize("text", ["Commission press release IP/21/2743", "x" * 140, "x" * 141, "y" * 400,
                                  "Cour de justice, arre\u0302t du 8 mai" + " suite" * 30, "e\u0301" * 140])
def test_a_source_label_is_shortened_as_django_s_truncator_shortens_it(text):
    from django.utils.text import Truncator

    from initiatives.templatetags.tracker import _shortened

    assert _shortened(text) == Truncator(text).chars(140)
