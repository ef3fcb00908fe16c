"""The only module that imports pandas.

Two kinds of function live here:
- `*_frame()` read the database once each (published rows only, through `.published()`) with
  `.values()` and return a DataFrame;
- everything else is a pure transform, DataFrame in, DataFrame (or plain dict) out, tested without a
  database.
Dates travel as `date` objects with a precision column beside them; what is unknown stays empty (None),
never a guessed value.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
from django.db.models.functions import ExtractYear

from initiatives import compiled
from initiatives.choices import (
    STAGE_RANK,
    AssessmentStatus,
    KeyActionStatus,
    ProcedureState,
    Stage,
)
from initiatives.dates import PartialDate, Precision
from initiatives.member_state_names import member_state_name
from initiatives.models.transposition import DIRECTIVE_CELEX  # noqa: F401 (read as aggregates.DIRECTIVE_CELEX)

# The least favourable assessment first: a Member State's map colour is its worst assessed article.
ASSESSMENT_SEVERITY = [AssessmentStatus.NON_CONFORM, AssessmentStatus.PARTIALLY_CONFORM, AssessmentStatus.CONFORM,
                       AssessmentStatus.NOT_ASSESSED]
LETTER_STAGES = (Stage.LETTER_OF_FORMAL_NOTICE, Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE)

# Category values that are neither a stage nor a status (the map and the matrix show them as such).
NOT_BOUND = "not_bound"
NO_PROCEDURE = "no_procedure"
NO_RECORD = "no_record"

KEY_ACTION_COLUMNS = ["id", "initiative", "initiative_title", "code", "short_title", "status",
                      "is_context_commitment", "deadline", "deadline_precision", "date", "date_precision",
                      "last_verified"]
EVENT_COLUMNS = ["key_action_id", "date", "date_precision", "kind", "description"]
# The events of one key action in one year, as the timeline draws them: how many, and the first (its date,
# precision and description: the whole event when it is the only one) and the last (date and precision).
EVENT_GROUP_COLUMNS = ["key_action_id", "year", "n", "date", "date_precision", "description", "last_date",
                       "last_precision"]
MEMBER_STATE_COLUMNS = ["code", "name", "iso_alpha3", "bound"]
PROCEDURE_COLUMNS = ["id", "member_state", "infr_number", "type", "state", "latest_stage", "latest_date",
                     "latest_precision", "last_verified", "last_listed"]
DECISION_COLUMNS = ["procedure_id", "member_state", "type", "infr_number", "position", "stage", "date",
                    "date_precision", "date_latest"]
PROCEDURE_COUNT_COLUMNS = ["member_state", "state", "n", "verified", "oldest", "newest", "unnumbered"]
DECISION_COUNT_COLUMNS = ["member_state", "stage", "year", "n"]
ARTICLE_COLUMNS = ["id", "number", "title", "group"]
STATUS_COLUMNS = ["member_state", "article_id", "status"]
DATED_STATUS_COLUMNS = [*STATUS_COLUMNS, "date", "date_precision"]


class Year(ExtractYear):
    """A date's year in SQL, as Django's ExtractYear; on SQLite by SQLite's own strftime() instead of the Python
    function Django registers, which SQLite calls back for every row and every use of it (five per event in
    event_group_frame: 37 ms for 2,400 events, 16 ms with strftime)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(STRFTIME('%%Y', {sql}) AS INTEGER)", params


def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


# --- reading the database: one query each ------------------------------------------------------------------


def key_action_frame(queryset=None, day: date | None = None) -> pd.DataFrame:
    """One row per published key action (and context commitment) of `queryset` (default: all), with its status
    and delivery date as they were on `day` (the state engine computes them: initiatives/state.py)."""
    rows = compiled.rows(_key_action_rows, day) if queryset is None else _key_action_rows(day, queryset)
    return _frame(rows, KEY_ACTION_COLUMNS)


def _key_action_rows(day, queryset=None):
    """`key_action_frame`'s query (`queryset`, default: the published key actions)."""
    from initiatives import state
    from initiatives.models import KeyAction

    queryset = KeyAction.objects.published() if queryset is None else queryset
    return state.key_actions(day, queryset).order_by(
        "initiative__number", "is_context_commitment", "code").values_list(
        "id", "initiative__number", "initiative__title", "code", "short_title", "status_on", "is_context_commitment",
        "deadline", "deadline_precision", "delivery_on", "delivery_precision_on", "last_verified")


def event_frame(key_actions=None, day: date | None = None) -> pd.DataFrame:
    """One row per published event that had happened by `day`, of the key actions in `key_actions` (a queryset)
    if given."""
    from initiatives import state
    from initiatives.models import KeyActionEvent

    events = state.dated(KeyActionEvent.objects.published(), day)
    if key_actions is not None:
        events = events.filter(key_action__in=key_actions)
    rows = events.order_by("date", "id").values_list("key_action_id", "date", "date_precision", "kind",
                                                     "description")
    return _frame(rows, EVENT_COLUMNS)


def event_group_frame(key_actions=None, day: date | None = None) -> pd.DataFrame:
    """The published events that had happened by `day` (of the key actions in `key_actions`, a queryset, if
    given), counted in SQL per key action and year (`EVENT_GROUP_COLUMNS`): one query, one row per key action
    and year whatever the number of events. Window functions over each group give its count, its first event
    (the row kept) and its last event's date and precision; `event_groups` does the same to an event frame."""
    rows = compiled.rows(_event_group_rows, day) if key_actions is None else _event_group_rows(day, key_actions)
    return _frame(rows, EVENT_GROUP_COLUMNS)


def _event_group_rows(day, key_actions=None):
    """`event_group_frame`'s query."""
    from django.db.models import Count, F, Max, RowRange, Window
    from django.db.models.functions import LastValue, RowNumber

    from initiatives import state
    from initiatives.models import KeyActionEvent

    events = state.dated(KeyActionEvent.objects.published(), day)
    if key_actions is not None:
        events = events.filter(key_action__in=key_actions)
    # One window for all four (the same partition, order and frame), so that the database sorts and walks the
    # events once: three windows (the count and the maximum without an order) took 13 ms at 50x, one takes less.
    def over_group(function):
        return Window(function, partition_by=[F("key_action_id"), Year("date")],
                      order_by=[F("date").asc(), F("id").asc()], frame=RowRange(start=None, end=None))

    return events.order_by().annotate(
        year=Year("date"), n=over_group(Count("id")), position=over_group(RowNumber()),
        last_date=over_group(Max("date")), last_precision=over_group(LastValue("date_precision")),
    ).filter(position=1).order_by("date", "key_action_id").values_list(*EVENT_GROUP_COLUMNS)


def member_state_frame() -> pd.DataFrame:
    """The Member States in protocol order, the order of the Interinstitutional Style Guide (7.1.2) in every
    language, with their short names in the reader's language (the pages read this frame; the exports don't)."""
    rows = [(code, member_state_name(name), *rest) for code, name, *rest in compiled.rows(_member_state_rows)]
    return _frame(rows, MEMBER_STATE_COLUMNS)


def _member_state_rows():
    from initiatives.models import MemberState

    return MemberState.objects.order_by("protocol_order").values_list("code", "name", "iso_alpha3",
                                                                      "bound_by_directive")


def procedure_frame(day: date | None = None, member_state_code: str | None = None) -> pd.DataFrame:
    """One row per published procedure as it stood on `day` (None: now), with its state (one query: the state
    engine, initiatives/state.py, annotates it)."""
    from initiatives import state
    from initiatives.models import InfringementProcedure

    procedures = InfringementProcedure.objects.published()
    if member_state_code is not None:
        procedures = procedures.filter(member_state__code=member_state_code)
    rows = state.procedures(day, procedures).order_by("member_state__protocol_order", "id").values_list(
        "id", "member_state__code", "infr_number", "type", "state", "latest_stage", "latest_date",
        "latest_precision", "last_verified", "last_listed")
    frame = _frame(rows, PROCEDURE_COLUMNS)
    frame["is_closed"] = frame["state"].eq(ProcedureState.CLOSED)
    return frame


def decision_frame(day: date | None = None, member_state_code: str | None = None) -> pd.DataFrame:
    """One row per decision of the published procedures (of one Member State if given) that counts on `day`."""
    from initiatives import state
    from initiatives.models import Decision, InfringementProcedure

    procedures = InfringementProcedure.objects.published()
    if member_state_code is not None:
        procedures = procedures.filter(member_state__code=member_state_code)
    decisions = state.decisions(day, Decision.objects.filter(procedure__in=procedures))
    rows = decisions.order_by("procedure_id", "position").values_list(
        "procedure_id", "procedure__member_state__code", "procedure__type", "procedure__infr_number", "position",
        "stage", "date", "date_precision", "date_latest")
    return _frame(rows, DECISION_COLUMNS)


def decision_rows_frame(rows) -> pd.DataFrame:
    """Decisions already read (`procedure_id`, `position`, `stage`, `date`, `date_precision`, `date_latest`
    tuples), as the frame `charts.procedure_timeline` draws: no query."""
    return _frame(rows, ["procedure_id", "position", "stage", "date", "date_precision", "date_latest"])


def procedure_count_frame(day: date | None = None) -> pd.DataFrame:
    """The published procedures as they stood on `day` (None: now), counted in SQL by Member State and state
    (the state engine decides it: initiatives/state.py): one query, at most 27 x 3 rows whatever the volume.
    `verified`, `oldest`, `newest`: how many staff have verified, and the oldest and newest such day;
    `unnumbered`: how many have no INFR number."""
    return _frame(compiled.rows(_procedure_count_rows, day), PROCEDURE_COUNT_COLUMNS)


def _procedure_count_rows(day):
    from django.db.models import Count, Max, Min, OuterRef, Q, Subquery

    from initiatives import state
    from initiatives.models import MemberState

    # Grouped by the Member State's id, its code read for each group: joined to the Member States first, PostgreSQL
    # sorted the procedures by code through a nested loop over all 27 (3.7 ms at 50x on a past day; 2.7 ms so).
    return state.procedures(day, only_state=True).order_by().values("member_state_id", "state").annotate(
        n=Count("id"), verified=Count("last_verified"), oldest=Min("last_verified"), newest=Max("last_verified"),
        unnumbered=Count("id", filter=Q(infr_number__isnull=True)),
    ).annotate(code=Subquery(MemberState.objects.filter(pk=OuterRef("member_state_id")).values("code"))).values_list(
        "code", "state", "n", "verified", "oldest", "newest", "unnumbered")


def decision_count_frame(day: date | None = None, stages: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The decisions of the published procedures that count on `day` (of `stages` only, if given: the letters,
    for `letters_by_year`), counted in SQL by Member State, stage and year (None: undated): one query, bounded by
    27 Member States x stages x years whatever the volume."""
    return _frame(compiled.rows(_decision_count_rows, day, stages), DECISION_COUNT_COLUMNS)


def _decision_count_rows(day, stages=None):
    from django.db.models import Count

    from initiatives import state
    from initiatives.models import decisions_of_published_procedures

    decisions = state.decisions(day, decisions_of_published_procedures())
    if stages is not None:
        decisions = decisions.filter(stage__in=stages)
    return decisions.order_by().annotate(year=Year("date")).values(
        "procedure__member_state__code", "stage", "year").annotate(n=Count("id")).values_list(
        "procedure__member_state__code", "stage", "year", "n")


def decision_stage_frame(day: date | None = None) -> pd.DataFrame:
    """For each Member State and stage, the one decision of the published procedures (counting on `day`) that
    `member_state_summary` reads: the latest with a known day, month or year (by date, then position, then
    procedure), or else any one of them. One query, at most 27 x stages rows whatever the volume: what the
    summary needs of `decision_frame` (the furthest stage reached, the latest dated decision), grouped in SQL."""
    return _frame(compiled.rows(_decision_stage_rows, day), DECISION_COLUMNS)


def _decision_stage_rows(day):
    from django.db.models import Case, F, IntegerField, Value, When, Window
    from django.db.models.functions import RowNumber

    from initiatives import state
    from initiatives.models import decisions_of_published_procedures

    decisions = state.decisions(day, decisions_of_published_procedures())
    known = Case(When(date__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField())
    known = Case(When(date_precision=Precision.BETWEEN, then=Value(0)), default=known, output_field=IntegerField())
    return decisions.annotate(rank=Window(
        RowNumber(), partition_by=[F("procedure__member_state_id"), F("stage")],
        order_by=[known.desc(), F("date").desc(nulls_last=True), F("position").desc(), F("procedure_id").desc()],
    )).filter(rank=1).order_by("procedure__member_state__protocol_order", "stage").values_list(
        "procedure_id", "procedure__member_state__code", "procedure__type", "procedure__infr_number", "position",
        "stage", "date", "date_precision", "date_latest")


def latest_decision_frame(day: date | None = None) -> pd.DataFrame:
    """For each Member State, the day of its latest decision of the published procedures (counting on `day`) that
    is known to a day, month or year: a decision with no date, or a closure known only to lie between two days, is
    none, as in `member_state_summary`. One query grouped in SQL, at most 27 rows whatever the volume: what
    `member_state_figures` reads of the decisions. Columns `member_state`, `latest_date`."""
    return _frame(compiled.rows(_latest_decision_rows, day), ["member_state", "latest_date"])


def _latest_decision_rows(day):
    from django.db.models import Max

    from initiatives import state
    from initiatives.models import decisions_of_published_procedures

    decisions = state.decisions(day, decisions_of_published_procedures())
    return decisions.filter(date__isnull=False).exclude(date_precision=Precision.BETWEEN).order_by().values_list(
        "procedure__member_state__code").annotate(latest_date=Max("date"))


def finding_frame(day: date | None = None) -> pd.DataFrame:
    """One row per published finding on articles made by `day`, with its Member State."""
    from initiatives import state
    from initiatives.models import ArticleFinding

    rows = state.dated(ArticleFinding.objects.published(), day).order_by().values_list("member_state__code")
    return _frame(rows, ["member_state"])


def article_frame(articles=None) -> pd.DataFrame:
    """The articles of `articles` (a queryset; default: those of Directive 2011/93/EU)."""
    from initiatives.models.transposition import directive_articles

    if articles is None:
        articles = directive_articles()
    return _frame(articles.order_by("number").values_list("id", "number", "title", "group"), ARTICLE_COLUMNS)


def report_frame(member_state_code: str | None = None, day: date | None = None) -> pd.DataFrame:
    """What each Member State reports it notified, per article: published reports only, as of `day`."""
    from initiatives import state
    from initiatives.models import TranspositionReport

    reports = state.dated(TranspositionReport.objects.published(), day)
    if member_state_code is not None:
        reports = reports.filter(member_state__code=member_state_code)
    return _frame(reports.order_by().values_list("member_state__code", "article_id", "status", "date",
                                                 "date_precision"), DATED_STATUS_COLUMNS)


def assessment_frame(member_state_code: str | None = None, day: date | None = None) -> pd.DataFrame:
    """The Commission's assessment per Member State and article: published assessments only."""
    from initiatives import state
    from initiatives.models import Assessment

    assessments = state.dated(Assessment.objects.published(), day)
    if member_state_code is not None:
        assessments = assessments.filter(member_state__code=member_state_code)
    return _frame(assessments.order_by().values_list("member_state__code", "article_id", "status", "date",
                                                     "date_precision"), DATED_STATUS_COLUMNS)


def status_count_frame(model, day: date | None = None, *, by_status: bool = True, obliging: bool = False
                       ) -> pd.DataFrame:
    """The published rows of `model` (TranspositionReport, Assessment, ArticleFinding) dated by `day`, counted in
    SQL by Member State (and status): what `member_state_summary` reads of `report_frame`, `assessment_frame` and
    `finding_frame`, in at most 27 x statuses rows whatever the volume. Columns `member_state`, `status` (if
    `by_status`), `n`. `obliging`: count only the rows on the articles that oblige Member States (reports,
    assessments)."""
    return _frame(compiled.rows(_status_count_rows, model, day, by_status, obliging),
                  ["member_state", "status", "n"] if by_status else ["member_state", "n"])


def _status_count_rows(model, day, by_status, obliging):
    from django.db.models import Count

    from initiatives import state
    from initiatives.models.transposition import obliging_articles

    columns = ["member_state__code", "status"] if by_status else ["member_state__code"]
    rows = state.dated(model.objects.published(), day)
    if obliging:
        rows = rows.filter(article__in=obliging_articles().order_by().values("pk"))
    return rows.order_by().values_list(*columns).annotate(n=Count("id"))


# --- pure transforms ----------------------------------------------------------------------------------------


def key_actions_only(actions: pd.DataFrame) -> pd.DataFrame:
    return actions[~actions["is_context_commitment"].astype(bool)]


# The overview's tiles: these always show (a zero is a figure too); any other status shows when it occurs.
DELIVERED_NO_DEADLINE = "delivered_no_deadline"  # a tile of its own: delivered, with no dated deadline
# What came of the key actions first, then what is still under way, then what is not known.
TILE_ORDER = (KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE, KeyActionStatus.PARTIALLY_DELIVERED,
              KeyActionStatus.IN_PROGRESS, KeyActionStatus.STALLED, KeyActionStatus.NOT_STARTED,
              KeyActionStatus.SUPERSEDED, KeyActionStatus.UNKNOWN)
HEADLINE_STATUSES = (KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE, KeyActionStatus.IN_PROGRESS,
                     KeyActionStatus.STALLED)


def headline_counts(actions: pd.DataFrame) -> dict:
    """Key actions (not context commitments) per status, and in all. `tiles` holds (status, count) in the
    vocabulary's order: the usual four always, every other status that occurs, so that they add up to `total`
    whatever the day."""
    key_actions = key_actions_only(actions)
    status = key_actions["status"]
    counts = {s.value: int(status.eq(s).sum()) for s in KeyActionStatus}
    # "On time" needs a dated deadline: a delivery with none to judge it by is counted apart, never as on time.
    undated = int((status.eq(KeyActionStatus.DELIVERED) & key_actions["deadline"].isna()).sum())
    counts[KeyActionStatus.DELIVERED.value] -= undated
    counts[DELIVERED_NO_DEADLINE] = undated
    tiles = []
    for s in TILE_ORDER:
        if s in HEADLINE_STATUSES or counts[s.value]:
            tiles.append((s.value, counts[s.value]))
        if s == KeyActionStatus.DELIVERED and undated:
            tiles.append((DELIVERED_NO_DEADLINE, undated))
    return {**counts, "tiles": tiles, "total": int(len(status))}


def event_groups(events: pd.DataFrame) -> pd.DataFrame:
    """The events of an `event_frame` per key action and year, as `event_group_frame` counts them in SQL; a
    frame already grouped is returned as it is."""
    if "n" in events.columns:
        return events
    rows = {}
    for event in sorted(events.to_dict("records"), key=lambda e: e["date"]):  # stable: ties keep their order
        key = (event["key_action_id"], event["date"].year)
        if key not in rows:
            rows[key] = {"key_action_id": key[0], "year": key[1], "n": 0, "date": event["date"],
                         "date_precision": event["date_precision"], "description": event["description"]}
        rows[key].update(n=rows[key]["n"] + 1, last_date=event["date"], last_precision=event["date_precision"])
    return pd.DataFrame(sorted(rows.values(), key=lambda r: (r["date"], r["key_action_id"])),
                        columns=EVENT_GROUP_COLUMNS)


def status_by_initiative(actions: pd.DataFrame) -> pd.DataFrame:
    """Key actions per initiative and status: one row per initiative, one column per status (in the
    vocabulary's order, only those that occur), and `total`."""
    rows = key_actions_only(actions)[["initiative", "initiative_title", "status"]].to_dict("records")
    present = {row["status"] for row in rows}
    statuses = [s.value for s in KeyActionStatus if s.value in present]
    table: dict[int, dict] = {}
    for row in sorted(rows, key=lambda r: r["initiative"]):
        entry = table.setdefault(row["initiative"], {"initiative": row["initiative"],
                                                     "initiative_title": row["initiative_title"],
                                                     **dict.fromkeys(statuses, 0), "total": 0})
        entry[row["status"]] += 1
        entry["total"] += 1
    return pd.DataFrame(list(table.values()), columns=["initiative", "initiative_title", *statuses, "total"])


def _period_end(value: date | None, precision: str | None) -> date | None:
    if value is None or pd.isna(value):
        return None
    return PartialDate.from_parts(value, precision or "day").end


def timeline_rows(actions: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per key action: the planned deadline (the last day of the period it names), the delivery date (the
    first day of the period known), and the slippage in days; unknown stays None."""
    out = actions.copy()
    out["deadline_end"] = [_period_end(v, p) for v, p in zip(out["deadline"], out["deadline_precision"],
                                                             strict=True)]
    out["delivered"] = [None if v is None or pd.isna(v) else v for v in out["date"]]
    done = out["status"].isin([KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE])
    slippage = []
    for deadline_end, delivered, is_done in zip(out["deadline_end"], out["delivered"], done, strict=True):
        if deadline_end is None or (is_done and delivered is None):
            slippage.append(None)
        else:
            slippage.append(((delivered if is_done else today) - deadline_end).days)
    out["slippage_days"] = pd.array(slippage, dtype="Int64")
    return out


def verification(frame: pd.DataFrame) -> dict:
    """How many of the records behind a figure staff have verified, and the oldest and newest such day."""
    days = [value for value in frame["last_verified"] if not _missing(value)]
    return {"verified": len(days), "total": len(frame), "oldest": min(days, default=None),
            "newest": max(days, default=None)}


def procedure_figures(counts: pd.DataFrame) -> dict:
    """What the overview and the about page say of the procedures, from `procedure_count_frame`: how many, open
    (and in which Member States), closed, unknown, without an INFR number, and verified."""
    def total(frame) -> int:
        return int(frame["n"].sum())

    by_state = {value.value: counts[counts["state"] == value] for value in ProcedureState}
    days = [value for column in ("oldest", "newest") for value in counts[column] if not _missing(value)]
    return {"total": total(counts), "open": total(by_state[ProcedureState.OPEN]),
            "closed": total(by_state[ProcedureState.CLOSED]), "unknown": total(by_state[ProcedureState.UNKNOWN]),
            "open_member_states": sorted(set(by_state[ProcedureState.OPEN]["member_state"])),
            "unnumbered": int(counts["unnumbered"].sum()),
            "verification": {"verified": int(counts["verified"].sum()), "total": total(counts),
                             "oldest": min(days, default=None), "newest": max(days, default=None)}}


def open_procedures(procedures: pd.DataFrame) -> pd.DataFrame:
    """The procedures open on the frame's day (the state engine decides it: initiatives/state.py)."""
    return procedures[procedures["state"] == ProcedureState.OPEN]


def letters_by_year(decisions: pd.DataFrame) -> pd.DataFrame:
    """Per year: letters of formal notice (first and additional) sent, and the Member States they reach.
    `decisions`: one row per decision (a `date`), or counted ones (`decision_count_frame`: a `year` and `n`).

    Letters with an unknown date are left out (none in the shipped data)."""
    years: dict[int, dict] = {}
    counted = "year" in decisions.columns
    when = decisions["year"] if counted else decisions["date"]
    for code, stage, value, n in zip(decisions["member_state"], decisions["stage"], when, _weights(decisions),
                                     strict=True):
        year = value if counted else (None if _missing(value) else value.year)
        if stage not in LETTER_STAGES or _missing(year):
            continue
        year = int(year)
        entry = years.setdefault(year, {"year": year, "first_letters": 0, "additional_letters": 0, "codes": set()})
        entry["first_letters" if stage == Stage.LETTER_OF_FORMAL_NOTICE else "additional_letters"] += int(n)
        entry["codes"].add(code)
    rows = [{**entry, "member_states": len(entry["codes"]), "codes": sorted(entry["codes"])}
            for _year, entry in sorted(years.items())]
    return pd.DataFrame(rows, columns=["year", "first_letters", "additional_letters", "member_states", "codes"])


def furthest_stage(stages) -> str | None:
    """The furthest stage of escalation among `stages` (a closure is not one); None if there is none."""
    ranked = [s for s in stages if s and s != Stage.CLOSED]
    return max(ranked, key=lambda s: STAGE_RANK[Stage(s)]) if ranked else None


def worst_assessment(statuses) -> str | None:
    """The least favourable Commission assessment among `statuses`; None when there is none."""
    present = set(statuses)
    for status in ASSESSMENT_SEVERITY:
        if status in present:
            return status.value
    return None


def member_state_summary(member_states: pd.DataFrame, procedures: pd.DataFrame, decisions: pd.DataFrame,
                         assessments: pd.DataFrame, reports: pd.DataFrame,
                         findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per Member State: procedures recorded and open, the furthest stage reached, the latest
    decision, the least favourable assessment, and the number of articles reported and assessed.

    `procedures`: one row per procedure (procedure_frame) or counted by Member State and state
    (procedure_count_frame); `assessments`, `reports`, `findings`: one row each (assessment_frame ...) or
    counted by Member State (and status: status_count_frame); `decisions`: one row per decision
    (decision_frame) or, what the summary reads of them, one per Member State and stage
    (decision_stage_frame). The pages pass the counted ones.

    `stage_category` and `assessment_category` are what the map colours: a stage or an assessment status,
    or NOT_BOUND (Denmark), NO_PROCEDURE, NO_RECORD. Grouped once per frame, not filtered per Member State."""
    # A few hundred rows at most: read as plain columns, once each (pandas' groupby costs more than the counting).
    procedure_count = _count_by_member_state(procedures)
    open_count = _count_by_member_state(open_procedures(procedures))
    stages: dict[str, list] = {}
    latest, latest_key = {}, {}
    for row in decisions[["member_state", "stage", "date", "date_precision", "date_latest", "position",
                          "procedure_id"]].itertuples(index=False):
        stages.setdefault(row.member_state, []).append(row.stage)
        # the latest decision on a known day (or month ...): a closure known only between two days is none;
        # among equal dates, positions and procedures, the last one read
        if _missing(row.date) or row.date_precision == Precision.BETWEEN:
            continue
        key = (row.date, row.position, row.procedure_id)
        if row.member_state not in latest_key or key >= latest_key[row.member_state]:
            latest[row.member_state], latest_key[row.member_state] = row, key
    furthest = {code: furthest_stage(found) for code, found in stages.items()}
    statuses: dict[str, set] = {}
    for code, status in zip(assessments["member_state"], assessments["status"], strict=True):
        statuses.setdefault(code, set()).add(status)
    worst = {code: worst_assessment(found) for code, found in statuses.items()}
    assessed, reported = _count_by_member_state(assessments), _count_by_member_state(reports)
    found = _count_by_member_state(findings) if findings is not None else {}
    rows = []
    for protocol, ms in enumerate(member_states.itertuples(index=False), start=1):
        stage, status, last = furthest.get(ms.code), worst.get(ms.code), latest.get(ms.code)
        if not ms.bound:
            stage_category = assessment_category = NOT_BOUND
        else:
            stage_category, assessment_category = stage or NO_PROCEDURE, status or NO_RECORD
        total = int(procedure_count.get(ms.code, 0))
        rows.append({
            "code": ms.code, "name": ms.name, "iso_alpha3": ms.iso_alpha3, "bound": bool(ms.bound),
            "protocol": protocol,
            "furthest_rank": STAGE_RANK[Stage(stage)] if stage else (0 if ms.bound else -1),
            "assessment_rank": (len(ASSESSMENT_SEVERITY) - ASSESSMENT_SEVERITY.index(AssessmentStatus(status))
                                if status else (0 if ms.bound else -1)),
            "procedures": total, "open_procedures": int(open_count.get(ms.code, 0)),
            "furthest_stage": stage,
            "latest_date": last.date if last is not None else None,
            "latest_precision": last.date_precision if last is not None else None,
            "latest_date_latest": last.date_latest if last is not None else None,
            "latest_stage": last.stage if last is not None else None,
            "worst_assessment": status,
            "articles_reported": int(reported.get(ms.code, 0)), "articles_assessed": int(assessed.get(ms.code, 0)),
            "findings": int(found.get(ms.code, 0)),
            "stage_category": stage_category, "assessment_category": assessment_category,
        })
    return pd.DataFrame(rows)


def member_state_figures(member_states: pd.DataFrame, procedures: pd.DataFrame, latest: pd.DataFrame,
                         reports: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """The columns of `member_state_summary` that `eu_averages` reads (`code`, `bound`, `open_procedures`,
    `findings`, `articles_reported`, `latest_date`), counted as the summary counts them, from frames already
    counted in SQL: `procedure_count_frame`, `latest_decision_frame`, `status_count_frame` of the reports (on the
    articles that oblige Member States) and of the findings. The averages need no stage, assessment or map colour,
    and these frames cost half of the whole summary's."""
    open_count = _count_by_member_state(open_procedures(procedures))
    reported, found = _count_by_member_state(reports), _count_by_member_state(findings)
    latest_dates = dict(zip(latest["member_state"], latest["latest_date"], strict=True))
    return pd.DataFrame([{
        "code": ms.code, "bound": bool(ms.bound), "open_procedures": int(open_count.get(ms.code, 0)),
        "findings": int(found.get(ms.code, 0)), "articles_reported": int(reported.get(ms.code, 0)),
        "latest_date": latest_dates.get(ms.code)} for ms in member_states.itertuples(index=False)],
        columns=["code", "bound", "open_procedures", "findings", "articles_reported", "latest_date"])


def _count_by_member_state(frame: pd.DataFrame) -> Counter:
    """Rows per Member State: one row each, or counted already (an `n` column)."""
    counts = Counter()
    for code, n in zip(frame["member_state"], _weights(frame), strict=True):
        counts[code] += int(n)
    return counts


def _weights(frame: pd.DataFrame):
    """How many records each row stands for: its `n` when counted in SQL, else one."""
    return frame["n"] if "n" in frame.columns else [1] * len(frame)


def eu_averages(summary: pd.DataFrame, reference_day: date) -> dict:
    """The mean over the bound Member States of what a country's factsheet shows: open procedures, findings,
    articles reported, and days since the latest decision (of those with one). `summary`: `member_state_summary`,
    or `member_state_figures` (its columns that these read)."""
    bound = summary[summary["bound"]]
    if not len(bound):
        return {}
    days = [(reference_day - value).days for value in bound["latest_date"]
            if not _missing(value) and value <= reference_day]  # a day after the one shown is no time since
    return {"open_procedures": float(bound["open_procedures"].mean()), "findings": float(bound["findings"].mean()),
            "articles_reported": float(bound["articles_reported"].mean()),
            "days_since_decision": round(sum(days) / len(days)) if days else None, "member_states": len(bound)}


def article_matrix(member_states: pd.DataFrame, articles: pd.DataFrame, reports: pd.DataFrame,
                   assessments: pd.DataFrame) -> pd.DataFrame:
    """One row per Member State and article: what was notified and what the Commission assessed.

    No report is NO_RECORD, no assessment is NO_RECORD; a Member State not bound is NOT_BOUND in both."""
    notified, assessed = _status_by_cell(reports), _status_by_cell(assessments)
    article_rows = articles.to_dict("records")
    rows = []
    for ms in member_states.to_dict("records"):
        for article in article_rows:
            key = (ms["code"], article["id"])
            rows.append((ms["code"], ms["name"], article["id"], article["number"], article["title"], article["group"],
                         notified.get(key, NO_RECORD) if ms["bound"] else NOT_BOUND,
                         assessed.get(key, NO_RECORD) if ms["bound"] else NOT_BOUND))
    return pd.DataFrame.from_records(rows, columns=["member_state", "name", "article_id", "article", "title",
                                                    "group", "notification", "assessment"])


def _status_by_cell(frame: pd.DataFrame) -> dict:
    """{(Member State, article id): status} of a report or assessment frame, read column by column: a dict per row
    (`to_dict("records")`) cost 7 ms for the 750 reports of the 50x benchmark, the columns 0.3 ms."""
    return dict(zip(zip(frame["member_state"].tolist(), frame["article_id"].tolist(), strict=True),
                    frame["status"].tolist(), strict=True))


def matrix_counts(matrix: pd.DataFrame, measure: str) -> pd.DataFrame:
    """How many cells have each value of `measure` ("notification" or "assessment")."""
    counts = matrix[measure].value_counts()
    return counts.rename_axis("value").reset_index(name="cells")


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts for templates and tables, with pandas' missing values turned back into None."""
    return [{key: (None if _missing(value) else value) for key, value in row.items()}
            for row in frame.to_dict("records")]


def _missing(value) -> bool:
    if isinstance(value, (list, tuple, set, dict)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
