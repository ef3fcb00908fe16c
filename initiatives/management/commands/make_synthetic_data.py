"""Fill a database of its own with synthetic data, N times the volume of the real data, for the benchmark.

Only into a separate database: it refuses unless the settings say so (bench/settings.py sets
SYNTHETIC_DATABASE and reads BENCH_DATABASE_URL), refuses the project's own db.sqlite3, and refuses any
database that holds a real procedure, decision, event, report, assessment or national measure. Every synthetic
row is labelled: its source's citation (or a national measure's title) starts with SYNTHETIC_LABEL.

The reference frame that every page is built on (the 27 Member States, the Directive and its articles, the
strategy, its initiatives and key actions) is loaded from the shipped files, unchanged, when the database has
none; it does not grow with N. What grows is what grows in real life: procedures, decisions, events,
transposition reports, assessments, national measures, and their history.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from initiatives import caching
from initiatives.choices import (
    AssessmentStatus,
    Confidence,
    EventKind,
    LegalActKind,
    NotificationStatus,
    ProcedureType,
    Stage,
)
from initiatives.dates import PartialDate, Precision
from initiatives.importers import reference
from initiatives.importers.events import KEY_ACTION_COLUMNS
from initiatives.importers.tabular import read_table
from initiatives.models import (
    Article,
    Assessment,
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LegalAct,
    MemberState,
    NationalMeasure,
    Source,
    TranspositionReport,
)

SYNTHETIC_LABEL = "SYNTHETIC DATA - not real"
CHANGE_REASON = "synthetic data for the benchmark"
FACTS_PER_SOURCE = 10

# The real volume (fixtures/data, November 2026): 30 procedures with 52 decisions, 48 key-action events.
# The real data has no transposition reports, assessments or national measures yet; their 1x volume is set
# so that 50x still fits the one-per-Member-State-and-article rule (26 bound states x 30 articles).
BASE_VOLUME = {"procedures": 30, "decisions": 52, "events": 48, "reports": 15, "assessments": 15, "measures": 10}
VOLUME_MODELS = {
    "procedures": InfringementProcedure, "decisions": Decision, "events": KeyActionEvent,
    "reports": TranspositionReport, "assessments": Assessment,
}


def is_synthetic_only_database() -> bool:
    return bool(getattr(settings, "SYNTHETIC_DATABASE", False))


def real_facts() -> dict[str, int]:
    """How many rows of each volume table are not labelled synthetic (they would be real data)."""
    counts = {name: model.objects.exclude(sources__citation__startswith=SYNTHETIC_LABEL).count()
              for name, model in VOLUME_MODELS.items()}
    counts["measures"] = NationalMeasure.objects.exclude(title__startswith=SYNTHETIC_LABEL).count()
    return {name: count for name, count in counts.items() if count}


def synthetic_facts() -> dict[str, int]:
    counts = {name: model.objects.filter(sources__citation__startswith=SYNTHETIC_LABEL).distinct().count()
              for name, model in VOLUME_MODELS.items()}
    counts["measures"] = NationalMeasure.objects.filter(title__startswith=SYNTHETIC_LABEL).count()
    return counts


def load_reference_frame() -> None:
    """The shipped Member States, Directive, strategy and key actions (no procedures, decisions or events)."""
    data_dir = Path(settings.REAL_DATA_DIR)

    def table(path: Path, required: set[str], optional=frozenset()):
        return read_table(path.read_bytes(), path.name, required=required, optional=optional)

    results = [
        reference.load_member_states(table(data_dir / "member_states.csv",
                                           {"code", "iso_alpha2", "iso_alpha3", "name_en", "eu_accession_year"})),
        reference.load_directive(table(data_dir / "directive_articles.csv",
                                       {"article", "title", "group", "known_lagging", "source"})),
        reference.load_strategy(Path(settings.STRATEGY_TEXT_PATH).read_text(encoding="utf-8"),
                                table(settings.BASE_DIR / "fixtures" / "key_actions.csv",
                                      {"initiative_number", "code", "timeline_key"}, KEY_ACTION_COLUMNS)),
    ]
    errors = [str(error) for result in results for error in result.errors]
    if errors:
        raise CommandError("the shipped reference data did not load: " + "; ".join(errors[:5]))


class Generator:
    """Builds N times the base volume, deterministic for a given seed."""

    def __init__(self, multiplier: int, seed: int):
        self.n = multiplier
        self.random = random.Random(seed)
        self.sources: list[Source] = []

    def volume(self, name: str) -> int:
        return BASE_VOLUME[name] * self.n

    def some_date(self, start: date, end: date) -> date:
        return start + timedelta(days=self.random.randrange((end - start).days + 1))

    def precise(self, day: date) -> tuple[date, str]:
        """Most dates known to the day, some only to the month (stored as the first of the month)."""
        if self.random.random() < 0.25:
            return day.replace(day=1), Precision.MONTH
        return day, Precision.DAY

    def make_sources(self, facts: int) -> None:
        count = -(-facts // FACTS_PER_SOURCE)
        Source.objects.bulk_create(
            Source(citation=f"{SYNTHETIC_LABEL}: generated by make_synthetic_data (x{self.n}), source {i:05d}")
            for i in range(1, count + 1))
        self.sources = list(Source.objects.filter(citation__startswith=SYNTHETIC_LABEL).order_by("id"))

    def cite(self, model, objects) -> None:
        through = model.sources.through
        field = f"{model._meta.model_name}_id"
        through.objects.bulk_create(
            through(**{field: obj.pk, "source_id": self.sources[i % len(self.sources)].pk})
            for i, obj in enumerate(objects))

    def confidence(self) -> str:
        return self.random.choice([Confidence.HIGH, Confidence.MEDIUM, Confidence.MEDIUM, Confidence.LOW])

    def run(self) -> dict[str, int]:
        bound = list(MemberState.objects.bound().order_by("protocol_order"))
        directive = LegalAct.objects.filter(kind=LegalActKind.DIRECTIVE).order_by("adopted_on").first()
        articles = list(Article.objects.filter(legal_act=directive).order_by("number"))
        key_actions = list(KeyAction.objects.order_by("id"))
        if not (bound and directive and articles and key_actions):
            raise CommandError("the reference frame is incomplete: Member States, Directive articles and key "
                               "actions are needed")
        self.make_sources(sum(self.volume(name) for name in VOLUME_MODELS))
        procedures = self.procedures(bound, directive)
        decisions = self.decisions(procedures)
        events = self.events(key_actions)
        measures = self.measures(bound)
        reports = self.reports(bound, articles, measures)
        assessments = self.assessments(bound, articles)
        changed = self.later_changes(procedures, decisions)
        return {"procedures": len(procedures), "decisions": len(decisions), "events": len(events),
                "reports": len(reports), "assessments": len(assessments), "measures": len(measures),
                "sources": len(self.sources), "later changes in history": changed}

    def procedures(self, bound, directive):
        count = self.volume("procedures")
        procedures = [
            InfringementProcedure(
                member_state=bound[i % len(bound)],
                infr_number=f"INFR(2099){i + 1:04d}",  # the year 2099 marks the number as made up
                type=ProcedureType.NON_COMMUNICATION if i % 3 else ProcedureType.NON_CONFORMITY,
                legal_act=directive, confidence=self.confidence(),
                note=f"{SYNTHETIC_LABEL}.")
            for i in range(count)]
        procedures = bulk_create_with_history(procedures, InfringementProcedure, batch_size=500,
                                              default_change_reason=CHANGE_REASON)
        procedures = list(InfringementProcedure.objects.filter(infr_number__startswith="INFR(2099)").order_by("id"))
        self.cite(InfringementProcedure, procedures)
        return procedures

    def decisions(self, procedures):
        """One letter of formal notice each; then a reasoned opinion or a closure for as many as the volume
        needs (52 decisions for 30 procedures at 1x). Dates move forward within a procedure."""
        extra = self.volume("decisions") - len(procedures)
        decisions = []
        for i, procedure in enumerate(procedures):
            opened = self.some_date(date(2014, 1, 1), date(2025, 6, 30))
            day, precision = self.precise(opened)
            stages = [Stage.LETTER_OF_FORMAL_NOTICE]
            if i < extra:
                stages.append(Stage.REASONED_OPINION if i % 2 else Stage.CLOSED)
            for position, stage in enumerate(stages, start=1):
                decision = Decision(procedure=procedure, position=position, stage=stage,
                                    confidence=self.confidence(), note=f"{SYNTHETIC_LABEL}.")
                decision.when = PartialDate(day, precision)  # bulk_create skips save(): date_latest set here
                decisions.append(decision)
                day, precision = (opened + timedelta(days=self.random.randrange(60, 700))), Precision.DAY
        bulk_create_with_history(decisions, Decision, batch_size=500, default_change_reason=CHANGE_REASON)
        decisions = list(Decision.objects.filter(procedure__in=procedures).order_by("id"))
        self.cite(Decision, decisions)
        return decisions

    def events(self, key_actions):
        kinds = [EventKind.PROPOSAL, EventKind.COUNCIL_POSITION, EventKind.PARLIAMENT_POSITION, EventKind.ADOPTION,
                 EventKind.LAUNCH, EventKind.REPORT, EventKind.OTHER]
        events = []
        for i in range(self.volume("events")):
            day, precision = self.precise(self.some_date(date(2020, 7, 24), date(2026, 10, 31)))
            events.append(KeyActionEvent(
                key_action=key_actions[i % len(key_actions)], kind=kinds[i % len(kinds)], date=day,
                date_precision=precision, confidence=self.confidence(),
                description=f"{SYNTHETIC_LABEL}: synthetic step {i + 1}"))
        bulk_create_with_history(events, KeyActionEvent, batch_size=500, default_change_reason=CHANGE_REASON)
        events = list(KeyActionEvent.objects.filter(description__startswith=SYNTHETIC_LABEL).order_by("id"))
        self.cite(KeyActionEvent, events)
        return events

    def measures(self, bound):
        measures = [
            NationalMeasure(member_state=bound[i % len(bound)], title=f"{SYNTHETIC_LABEL}: synthetic measure {i + 1}",
                            reference=f"SYNTHETIC/{i + 1:05d}", date=date(2013, 1, 1) + timedelta(days=17 * i % 4000),
                            date_precision=Precision.DAY)
            for i in range(self.volume("measures"))]
        bulk_create_with_history(measures, NationalMeasure, batch_size=500, default_change_reason=CHANGE_REASON)
        return list(NationalMeasure.objects.filter(title__startswith=SYNTHETIC_LABEL).order_by("id"))

    def pairs(self, bound, articles, count):
        pairs = list(itertools.product(bound, articles))
        self.random.shuffle(pairs)
        return pairs[:count]

    def reports(self, bound, articles, measures):
        statuses = list(NotificationStatus)
        reports = [
            TranspositionReport(member_state=state, article=article, status=statuses[i % len(statuses)],
                                date=self.some_date(date(2014, 1, 1), date(2026, 10, 31)),
                                date_precision=Precision.DAY, confidence=self.confidence(),
                                comment=f"{SYNTHETIC_LABEL}.")
            for i, (state, article) in enumerate(self.pairs(bound, articles, self.volume("reports")))]
        bulk_create_with_history(reports, TranspositionReport, batch_size=500, default_change_reason=CHANGE_REASON)
        reports = list(TranspositionReport.objects.filter(comment__startswith=SYNTHETIC_LABEL).order_by("id"))
        self.cite(TranspositionReport, reports)
        by_state = {}
        for measure in measures:
            by_state.setdefault(measure.member_state_id, []).append(measure)
        through = TranspositionReport.measures.through
        through.objects.bulk_create(
            through(transpositionreport_id=report.pk, nationalmeasure_id=by_state[report.member_state_id][0].pk)
            for report in reports if report.member_state_id in by_state)
        return reports

    def assessments(self, bound, articles):
        statuses = list(AssessmentStatus)
        assessments = [
            Assessment(member_state=state, article=article, status=statuses[i % len(statuses)],
                       date=self.some_date(date(2016, 1, 1), date(2026, 10, 31)), date_precision=Precision.DAY,
                       confidence=self.confidence(), comment=f"{SYNTHETIC_LABEL}.")
            for i, (state, article) in enumerate(self.pairs(bound, articles, self.volume("assessments")))]
        bulk_create_with_history(assessments, Assessment, batch_size=500, default_change_reason=CHANGE_REASON)
        assessments = list(Assessment.objects.filter(comment__startswith=SYNTHETIC_LABEL).order_by("id"))
        self.cite(Assessment, assessments)
        return assessments

    def later_changes(self, procedures, decisions) -> int:
        """History beyond creation: every procedure and every other decision is edited once afterwards."""
        for procedure in procedures:
            procedure.note = f"{SYNTHETIC_LABEL}. Reviewed."
        changed_decisions = decisions[::2]
        for decision in changed_decisions:
            decision.confidence = Confidence.HIGH
        bulk_update_with_history(procedures, InfringementProcedure, ["note"], batch_size=500,
                                 default_change_reason=CHANGE_REASON)
        bulk_update_with_history(changed_decisions, Decision, ["confidence"], batch_size=500,
                                 default_change_reason=CHANGE_REASON)
        return len(procedures) + len(changed_decisions)


class Command(BaseCommand):
    help = ("Fill a separate database with synthetic data (N x the real volume) for the benchmark. "
            "Refused on any database that is not marked synthetic-only (use --settings=bench.settings).")

    def add_arguments(self, parser):
        parser.add_argument("--multiplier", type=int, default=1, help="Times the real volume (1 to 200).")
        parser.add_argument("--seed", type=int, default=2020, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--replace", action="store_true",
                            help="Delete the synthetic rows already there first (never anything else).")

    def handle(self, *args, multiplier, seed, replace, **options):
        if not is_synthetic_only_database():
            raise CommandError(
                "Refused: synthetic data goes only into a database of its own, never next to real data. Run it "
                "with --settings=bench.settings and BENCH_DATABASE_URL naming a separate SQLite file or "
                "PostgreSQL database (make bench does this).")
        name = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and Path(name).resolve() == (settings.BASE_DIR / "db.sqlite3").resolve():
            raise CommandError(f"Refused: {name} is the project's own database.")
        if not 1 <= multiplier <= 200:
            raise CommandError("--multiplier must be between 1 and 200.")
        real = real_facts()
        if real:
            found = ", ".join(f"{count} {name}" for name, count in real.items())
            raise CommandError(f"Refused: this database holds real data ({found}). Point BENCH_DATABASE_URL at "
                               "an empty database.")
        existing = {name: count for name, count in synthetic_facts().items() if count}
        if existing and not replace:
            raise CommandError("This database already holds synthetic data; add --replace to regenerate it.")
        with transaction.atomic():
            if replace:
                self.delete_synthetic()
            if not MemberState.objects.exists():
                load_reference_frame()
            counts = Generator(multiplier, seed).run()
        caching.invalidate()  # bulk writes send no signals
        self.stdout.write(f"Synthetic data x{multiplier} (labelled '{SYNTHETIC_LABEL}') in {name}:")
        for what, count in counts.items():
            self.stdout.write(f"  {what}: {count}")

    def delete_synthetic(self):
        """Only rows labelled synthetic, with their history (creation, later changes and the deletion)."""
        label = SYNTHETIC_LABEL
        doomed = [(model, model.objects.filter(sources__citation__startswith=label))
                  for model in (Decision, InfringementProcedure, KeyActionEvent, TranspositionReport, Assessment)]
        doomed.append((NationalMeasure, NationalMeasure.objects.filter(title__startswith=label)))
        for model, rows in doomed:
            ids = list(rows.values_list("pk", flat=True).distinct())
            model.objects.filter(pk__in=ids).delete()
            model.history.filter(id__in=ids).delete()
        Source.objects.filter(citation__startswith=label).delete()
