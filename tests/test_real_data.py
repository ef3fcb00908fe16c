"""The shipped, sourced data: loaded once per session by conftest, through the import code."""

import pytest
from django.apps import apps
from django.core.management import call_command

from initiatives.choices import KeyActionStatus, Stage
from initiatives.dates import Precision
from initiatives.models import (
    Article,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    MemberState,
    Source,
    Strategy,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return {model.__name__: sorted(map(repr, model.objects.values_list()))
            for model in apps.get_app_config("initiatives").get_models()
            if not model.__name__.startswith("Historical")}


def test_loading_the_data_twice_gives_identical_rows(capsys):
    before = snapshot()
    call_command("load_real_data")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert " 0 created, 0 updated" in out
    assert "created, 0 updated, 52 unchanged" in out  # every infringement row is recognised


def test_the_strategy_is_com_2020_607_for_2020_to_2025():
    strategy = Strategy.objects.get()
    assert (strategy.reference, strategy.adopted_on.isoformat()) == ("COM(2020) 607", "2020-07-24")
    assert (strategy.period_start, strategy.period_end) == (2020, 2025)


def test_27_member_states_26_bound_denmark_not():
    assert MemberState.objects.count() == 27
    assert MemberState.objects.bound().count() == 26
    denmark = MemberState.objects.get(code="DK")
    assert not denmark.bound_by_directive
    assert "Red Barnet" in denmark.bound_source.citation


def test_greece_has_eu_code_el_and_iso_code_gr():
    greece = MemberState.objects.get(code="EL")
    assert (greece.iso_alpha2, greece.iso_alpha3, greece.name) == ("GR", "GRC", "Greece")


def test_the_directive_has_30_articles_and_a_successor():
    articles = Article.objects.filter(legal_act__celex="32011L0093")
    assert articles.count() == 30
    assert articles.get(number=30).title == "Addressees"
    assert articles.get(number=27).legal_act.successor.short_name == "COM(2024) 60"
    assert articles.get(number=27).legal_act.transposition_deadline.isoformat() == "2013-12-18"


def test_eight_initiatives_in_two_pillars():
    assert list(Initiative.objects.values_list("number", "pillar")) == [
        (1, "I"), (2, "I"), (3, "I"), (4, "II"), (5, "II"), (6, "II"), (7, "II"), (8, "II")]
    assert Initiative.objects.get(number=6).title == "A European centre to prevent and counter child sexual abuse"


def test_nine_key_actions_and_four_context_commitments():
    assert KeyAction.objects.key_actions_only().count() == 9
    assert list(KeyAction.objects.filter(initiative__number=2, is_context_commitment=False)
                .values_list("code", flat=True)) == ["2a", "2b"]
    assert set(KeyAction.objects.filter(is_context_commitment=True).values_list("code", flat=True)) == {
        "2-dsa", "2-europol", "2-e-evidence", "2-revision"}


def test_key_action_statements_are_quoted_from_the_strategy_text(settings):
    text = " ".join(settings.STRATEGY_TEXT_PATH.read_text(encoding="utf-8").split())
    for action in KeyAction.objects.all():
        assert action.statement in text, action.code
    assert KeyAction.objects.get(code="2b").statement.startswith("In a second stage, by Q2 2021")


def test_deadlines_keep_their_wording_and_precision():
    action = KeyAction.objects.get(code="2b")
    assert action.deadline_wording == "by Q2 2021"
    assert (action.deadline_date.precision, action.deadline_date.end.isoformat()) == (Precision.QUARTER, "2021-06-30")
    assert KeyAction.objects.get(code="1").deadline is None  # "as a matter of priority" names no date


def test_delivery_after_the_deadline_is_delivered_late_and_unknown_stays_unknown():
    assert KeyAction.objects.get(code="7").status == KeyActionStatus.DELIVERED_LATE
    assert KeyAction.objects.get(code="2-dsa").status == KeyActionStatus.DELIVERED
    wep = KeyAction.objects.get(code="8")
    assert wep.status == KeyActionStatus.UNKNOWN and wep.progress is None and not wep.events.exists()


def test_slippage_is_computed_from_deadline_and_delivery():
    from datetime import date

    assert KeyAction.objects.get(code="7").slippage_days(date(2026, 11, 28)) == 25  # 31 Dec 2020 -> 25 Jan 2021
    assert KeyAction.objects.get(code="2-dsa").slippage_days(date(2026, 11, 28)) < 0
    assert KeyAction.objects.get(code="1").slippage_days(date(2026, 11, 28)) is None


def test_every_key_action_event_and_decision_has_a_source_and_a_confidence():
    for model in (KeyAction, KeyActionEvent, Decision, Article):
        missing = model.objects.filter(sources__isnull=True)
        assert not missing.exists(), f"{model.__name__} without source: {list(missing)}"
        assert not model.objects.filter(confidence="").exists()


def test_grouped_sources_are_kept_as_separate_sources():
    decision = Decision.objects.get(procedure__member_state__code="MT", date="2014-01-27")
    urls = sorted(decision.sources.values_list("url", flat=True))
    assert len(urls) == 2 and all(url.startswith("https://") for url in urls)
    assert not Source.objects.filter(citation__contains=" ; ").exists()


def test_the_2019_letters_of_formal_notice_reach_23_member_states():
    codes = set(Decision.objects.filter(stage=Stage.LETTER_OF_FORMAL_NOTICE, date__year=2019)
                .values_list("procedure__member_state__code", flat=True))
    assert len(codes) == 23
    assert "IE" not in codes and "DK" not in codes and "NL" not in codes


def test_a_month_precision_decision_date_survives_the_round_trip():
    decision = Decision.objects.get(procedure__member_state__code="EL", stage=Stage.LETTER_OF_FORMAL_NOTICE,
                                    date__year=2014)
    assert decision.when.precision == Precision.MONTH
    assert decision.when.display() == "January 2014"
    assert decision.when.isoformat() == "2014-01"


def test_additional_letters_are_their_own_stage_in_the_same_procedure():
    portugal = InfringementProcedure.objects.get(infr_number="INFR(2018)2334")
    assert [d.stage for d in portugal.decisions.all()] == [
        Stage.LETTER_OF_FORMAL_NOTICE, Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE]
