"""The factsheet that opens a Member State's page: what a reader takes in at a glance, from what the page has
already read (no query of its own).

- open infringement procedures (the state engine's state) and the furthest stage any of them reached;
- the time since the Commission's latest dated decision;
- the findings on articles (a finding on a group of articles counts once);
- the articles the Member State's published reports cover, of those that oblige Member States.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from initiatives.choices import STAGE_RANK, ProcedureState, Stage
from initiatives.dates import Precision
from initiatives.tables import duration


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


def factsheet(procedures, findings, *, reported: int, obliging: int, reference_day: date) -> Factsheet:
    """`procedures` annotated by state.procedures() with their `decision_list` (as the page shows them)."""
    open_ = [p for p in procedures if p.state == ProcedureState.OPEN]
    stages = [d.stage for p in open_ for d in p.decision_list if d.stage != Stage.CLOSED]
    furthest = max(stages, key=lambda stage: STAGE_RANK[Stage(stage)]) if stages else None
    # A closure known only to lie between two days (read from the register) is no decision on a known day.
    dated = [d.date for p in procedures for d in p.decision_list
             if d.date is not None and d.date_precision != Precision.BETWEEN]
    last = max(dated) if dated else None
    return Factsheet(open_procedures=len(open_), furthest_stage=furthest, last_decision=last,
                     since_last_decision=duration(last, reference_day) if last else "",
                     findings=len(findings), reported=reported, obliging=obliging)
