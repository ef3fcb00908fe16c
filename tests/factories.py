"""Factories for tests that build their own small data (factory-boy).

The test session also loads the shipped data (conftest.py); rules are tested on records made here, usually
under a legal act of their own (`LegalActFactory`), so that a correction of the shipped data never breaks
them. Member States are reference data: `member_state("FR")` returns the loaded one.
"""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from initiatives.choices import Confidence, EventKind, LeadActor, Pillar, ProcedureType, Stage
from initiatives.dates import PartialDate
from initiatives.models import (
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    LegalAct,
    MemberState,
    RegisterCopy,
    RegisterListing,
    Source,
    Strategy,
)


def member_state(code: str) -> MemberState:
    return MemberState.objects.get(code=code)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("citation",)

    citation = factory.Sequence(lambda n: f"Test source {n} https://example.org/source/{n}")
    url = factory.LazyAttribute(lambda o: o.citation.split()[-1])


class LegalActFactory(DjangoModelFactory):
    class Meta:
        model = LegalAct

    short_name = factory.Sequence(lambda n: f"Test Directive 2099/{n}/EU")
    celex = factory.Sequence(lambda n: f"3209{n:04d}L")
    title = factory.LazyAttribute(lambda o: f"{o.short_name} (test data)")
    kind = "directive"
    register_patterns = factory.Sequence(lambda n: f"2099/{n}/")


class ProcedureFactory(DjangoModelFactory):
    class Meta:
        model = InfringementProcedure

    member_state = factory.LazyFunction(lambda: member_state("FR"))
    legal_act = factory.SubFactory(LegalActFactory)
    type = ProcedureType.NON_CONFORMITY
    infr_number = None
    confidence = Confidence.HIGH


class DecisionFactory(DjangoModelFactory):
    """A decision; give `when` (a PartialDate, or text such as "2019-10" or "2020-08-24/2021-06-22")."""

    class Meta:
        model = Decision
        exclude = ("when_value",)

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.LazyAttribute(lambda o: o.procedure.decisions.count() + 1)
    stage = Stage.LETTER_OF_FORMAL_NOTICE
    confidence = Confidence.HIGH
    when_value = None

    @classmethod
    def _create(cls, model_class, *args, when=None, **kwargs):
        decision = model_class(*args, **kwargs)
        if when is not None:
            decision.when = PartialDate.parse(when) if isinstance(when, str) else when
        decision.save()
        return decision


class RegisterCopyFactory(DjangoModelFactory):
    class Meta:
        model = RegisterCopy

    legal_act = factory.SubFactory(LegalActFactory)
    taken_on = date(2021, 6, 22)
    newest_decision = factory.LazyAttribute(lambda o: o.taken_on)
    file_name = factory.LazyAttribute(lambda o: f"register_{o.taken_on.isoformat()}.json")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    rows = 10
    cases = 10
    cases_about_act = 1
    source = factory.SubFactory(SourceFactory)


class RegisterListingFactory(DjangoModelFactory):
    class Meta:
        model = RegisterListing

    copy = factory.SubFactory(RegisterCopyFactory)
    procedure = factory.SubFactory(ProcedureFactory)


# --- legislative files (engineer B) ------------------------------------------------------------------------------


class LegislativeFileFactory(DjangoModelFactory):
    class Meta:
        model = "initiatives.LegislativeFile"

    reference = factory.Sequence(lambda n: f"2031/{n:04d}(COD)")
    title = factory.Sequence(lambda n: f"Test legislative file {n}")


class LegislativeStageFactory(DjangoModelFactory):
    """A stage of a file, dated to the day unless `date_precision` says otherwise; one source."""

    class Meta:
        model = "initiatives.LegislativeStage"
        skip_postgeneration_save = True

    file = factory.SubFactory(LegislativeFileFactory)
    stage = "proposal"
    date = date(2031, 1, 2)
    date_precision = "day"
    confidence = Confidence.HIGH

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory()])


def open_procedures():
    """Every procedure open today, as the state engine decides it (initiatives/state.py)."""
    from initiatives import state
    from initiatives.choices import ProcedureState

    return state.procedures(queryset=InfringementProcedure.objects.all()).filter(state=ProcedureState.OPEN)


# --- key actions and their events ---------------------------------------------------------------------------------


class InitiativeFactory(DjangoModelFactory):
    """An initiative of the loaded strategy, numbered from 90 so that it never meets a shipped one."""

    class Meta:
        model = Initiative

    strategy = factory.LazyFunction(lambda: Strategy.objects.first())
    number = factory.Sequence(lambda n: 90 + n)
    title = factory.Sequence(lambda n: f"Test initiative {n}")
    pillar = factory.LazyFunction(lambda: Pillar.values[0])
    summary = "A test initiative."
    section_reference = "test"


class KeyActionFactory(DjangoModelFactory):
    class Meta:
        model = KeyAction

    initiative = factory.SubFactory(InitiativeFactory)
    code = factory.Sequence(lambda n: f"t{n}")
    short_title = factory.Sequence(lambda n: f"Test key action {n}")
    statement = "A test statement."
    section_reference = "test"
    lead_actor = factory.LazyFunction(lambda: LeadActor.values[0])
    deadline_wording = "none"


class KeyActionEventFactory(DjangoModelFactory):
    class Meta:
        model = KeyActionEvent

    key_action = factory.SubFactory(KeyActionFactory)
    kind = factory.LazyFunction(lambda: EventKind.values[0])
    date = date(2021, 3, 1)
    description = factory.Sequence(lambda n: f"Test event {n}")
