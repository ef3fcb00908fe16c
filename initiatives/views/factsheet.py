"""The factsheet that opens a Member State's page: what a reader takes in at a glance, counted in SQL whatever
the number of procedures and decisions (`decision_stages`: one query; the page reads the rest already).

- open infringement procedures (the state engine's state) and the furthest stage any of them reached;
- the time since the Commission's latest dated decision;
- the findings on articles (a finding on a group of articles counts once);
- the articles the Member State's published reports cover, of those that oblige Member States.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet

from initiatives import state
from initiatives.choices import STAGE_RANK, Stage
from initiatives.dates import Precision
from initiatives.tables import duration


@dataclass(frozen=True)
class StageFigures:
    """The decisions of one stage, of a Member State's procedures, that count on the day."""

    stage: str
    decisions: int
    in_open: int  # how many of them belong to an open procedure
    last: date | None  # the latest on a known day (a decision known only to lie between two days is none)


def decision_stages(day: date | None, procedures: QuerySet, open_ids: Iterable[int]) -> list[StageFigures]:
    """The decisions of `procedures` (published procedures, not annotated) that count on `day`, grouped by stage
    in SQL: one query, a row per stage whatever the number of decisions. A decision that counts on the day makes
    its procedure known by then, so no other filter is needed.

    `open_ids`: the ids of the procedures the state engine finds open on `day` (`in_open` counts their decisions).
    A Member State's page reads the state of each of its procedures to count them, and gives these: the query
    holds a list of ids rather than the engine, which cost 3 ms (today) to 8 ms (a past day) to build and compile
    at every call."""
    from initiatives.models import Decision

    open_ids = sorted(open_ids)
    rows = state.decisions(day, Decision.objects.filter(procedure__in=procedures.values("pk"))).order_by().values(
        "stage").annotate(n=Count("id"), in_open=Count("id", filter=Q(procedure__in=open_ids)),
                          last=Max("date", filter=Q(date__isnull=False) & ~Q(date_precision=Precision.BETWEEN)))
    return [StageFigures(row["stage"], row["n"], row["in_open"], row["last"]) for row in rows]


@dataclass(frozen=True)
class Factsheet:
    open_procedures: int
    furthest_stage: str | None  # a Stage value, among the open procedures' decisions
    last_decision: date | None
    since_last_decision: str
    findings: int
    reported: int
    obliging: int

    @property
    def furthest_stage_label(self) -> str:
        return str(Stage(self.furthest_stage).label) if self.furthest_stage else ""


def factsheet(open_procedures: int, stages: list[StageFigures], findings, *, reported: int, obliging: int,
              reference_day: date) -> Factsheet:
    """`open_procedures`: how many the state engine finds open; `stages`: `decision_stages()`."""
    reached = [figures.stage for figures in stages if figures.in_open and figures.stage != Stage.CLOSED]
    furthest = max(reached, key=lambda stage: STAGE_RANK[Stage(stage)]) if reached else None
    dated = [figures.last for figures in stages if figures.last is not None]
    last = max(dated) if dated else None
    return Factsheet(open_procedures=open_procedures, furthest_stage=furthest, last_decision=last,
                     # a decision recorded with a day after the one shown is no time "ago": its day alone is shown
                     since_last_decision=duration(last, reference_day) if last and last <= reference_day else "",
                     findings=len(findings), reported=reported, obliging=obliging)


def average_time_since(days: int | None, reference_day: date) -> str:
    """The EU average time since the latest decision (`aggregates.eu_averages`' days), written as a Member State's
    own time since is ("3 years 10 months"), so that the two read side by side; "" when no average is known."""
    if days is None:
        return ""
    return duration(reference_day - timedelta(days=days), reference_day)
