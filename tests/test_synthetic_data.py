"""make_synthetic_data fills a database of its own with labelled synthetic data, and never touches real data."""

import io

import pytest
from django.core.management import CommandError, call_command

from initiatives.management.commands.make_synthetic_data import BASE_VOLUME, SYNTHETIC_LABEL
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    KeyActionEvent,
    NationalMeasure,
    Source,
    TranspositionReport,
)

pytestmark = pytest.mark.django_db


def make(**options):
    out = io.StringIO()
    call_command("make_synthetic_data", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def synthetic_database(settings):
    """What bench.settings says of its database, here on a test database emptied of the real volume facts
    (the reference frame stays: Member States, articles, key actions). Rolled back after the test."""
    settings.SYNTHETIC_DATABASE = True
    InfringementProcedure.objects.all().delete()
    KeyActionEvent.objects.all().delete()
    for model in (InfringementProcedure, Decision, KeyActionEvent):
        model.history.all().delete()
    return settings


def test_it_refuses_the_ordinary_database():
    with pytest.raises(CommandError, match="only into a database of its own"):
        make()
    assert not Source.objects.filter(citation__startswith=SYNTHETIC_LABEL).exists()


def test_it_refuses_a_database_that_holds_real_data_even_when_marked_synthetic(settings):
    settings.SYNTHETIC_DATABASE = True
    from initiatives.models import Decision, InfringementProcedure, KeyActionEvent

    procedures, decisions = InfringementProcedure.objects.count(), Decision.objects.count()
    events = KeyActionEvent.objects.count()
    with pytest.raises(CommandError, match=rf"holds real data \({procedures} procedures, {decisions} decisions, "
                                           rf"{events} events\)"):
        make()
    assert not Source.objects.filter(citation__startswith=SYNTHETIC_LABEL).exists()


def test_at_1x_it_makes_the_real_volume_every_fact_labelled_synthetic(synthetic_database):
    make(multiplier=1)
    assert InfringementProcedure.objects.count() == BASE_VOLUME["procedures"] == 30
    assert Decision.objects.count() == BASE_VOLUME["decisions"] == 52
    assert KeyActionEvent.objects.count() == BASE_VOLUME["events"] == 48
    assert TranspositionReport.objects.count() == Assessment.objects.count() == 15
    assert NationalMeasure.objects.count() == 10
    for model in (InfringementProcedure, Decision, KeyActionEvent, TranspositionReport, Assessment):
        unlabelled = model.objects.exclude(sources__citation__startswith=SYNTHETIC_LABEL)
        assert not unlabelled.exists(), f"{model.__name__} without a synthetic source"
    assert not NationalMeasure.objects.exclude(title__startswith=SYNTHETIC_LABEL).exists()
    assert all(number.startswith("INFR(2099)") for number in
               InfringementProcedure.objects.values_list("infr_number", flat=True))


def test_the_decisions_it_makes_keep_the_order_rules(synthetic_database):
    from initiatives.models import sequence_errors

    make(multiplier=1)
    for procedure in InfringementProcedure.objects.prefetch_related("decisions"):
        steps = [(decision.stage, decision.when) for decision in procedure.decisions.all()]
        assert sequence_errors(steps, procedure.type) == [], procedure


def test_every_dated_decision_it_makes_knows_the_last_day_of_its_period(synthetic_database, client):
    # bulk_create skips Decision.save(), which sets date_latest: without it a Member State's chart failed (500)
    make(multiplier=1)
    for decision in Decision.objects.filter(note__startswith=SYNTHETIC_LABEL):
        assert decision.date_latest == decision.when.end, decision
    code = Decision.objects.filter(note__startswith=SYNTHETIC_LABEL).values_list(
        "procedure__member_state__code", flat=True).first()
    assert client.get(f"/member-states/{code}/").status_code == 200


def test_it_writes_history_beyond_creation(synthetic_database):
    make(multiplier=1)
    assert InfringementProcedure.history.filter(history_type="+").count() == 30
    assert InfringementProcedure.history.filter(history_type="~").count() == 30
    assert Decision.history.filter(history_type="~").count() == 26


def test_at_3x_it_makes_three_times_the_volume(synthetic_database):
    summary = make(multiplier=3)
    assert InfringementProcedure.objects.count() == 90 and Decision.objects.count() == 156
    assert KeyActionEvent.objects.count() == 144 and TranspositionReport.objects.count() == 45
    assert "procedures: 90" in summary


def test_a_second_run_needs_replace_and_then_replaces_only_synthetic_rows(synthetic_database):
    make(multiplier=2)
    with pytest.raises(CommandError, match="--replace"):
        make(multiplier=1)
    real_sources = Source.objects.exclude(citation__startswith=SYNTHETIC_LABEL).count()
    make(multiplier=1, replace=True)
    assert InfringementProcedure.objects.count() == 30
    assert InfringementProcedure.history.count() == 60  # the 2x rows' history went with them
    assert Source.objects.exclude(citation__startswith=SYNTHETIC_LABEL).count() == real_sources


def test_a_multiplier_out_of_range_is_refused(synthetic_database):
    with pytest.raises(CommandError, match="between 1 and 200"):
        make(multiplier=0)
