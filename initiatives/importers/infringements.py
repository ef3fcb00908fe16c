"""Infringement decisions: the format of fixtures/data/infringements.csv.

Columns: member_state_code, infr_number, stage, decision_date, source_url_or_ref, confidence, note; and,
optionally, `type` (non_communication or non_conformity), `legal_act` (CELEX, default 32011L0093) and
`articles` (the article numbers the procedure concerns, separated by " ; "; they are added, never removed).
The open-data download adds `procedure_id` and `position` so that decisions join their procedure; an
import reads them as information only (procedures are matched as below), so that file imports back too.

How rows become procedures:
- the procedure type comes from `type`, or else from the note ("Non-communication" or not);
- a `letter_of_formal_notice` whose note starts with "ADDITIONAL" is an additional letter, since the
  research vocabulary has no value of its own for these;
- a row with an INFR number joins the procedure with that number; a letter of formal notice without
  one starts a new procedure unless the same letter is already recorded; any other stage joins the
  latest procedure of that Member State, type and act;
- each procedure's decisions are put in date order (undated last) and checked against the order rules.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from initiatives.choices import STAGE_RANK, ProcedureType, Stage
from initiatives.dates import PartialDate, Precision
from initiatives.models import (
    Article,
    Decision,
    InfringementProcedure,
    LegalAct,
    MemberState,
    Source,
    sequence_errors,
)
from initiatives.models.infringements import INFR_NUMBER_RE

from .common import (
    describe_conflict,
    person_entry,
    read_confidence,
    read_date,
    read_member_state,
    read_sources,
    read_whole_number,
    upsert,
)
from .tabular import ImportResult, Row

REQUIRED = {"member_state_code", "infr_number", "stage", "decision_date", "source_url_or_ref", "confidence",
            "note"}
OPTIONAL = {"type", "legal_act", "articles", "procedure_id", "position"}
COLUMNS = ["member_state_code", "infr_number", "stage", "decision_date", "source_url_or_ref", "confidence", "note",
           "type", "legal_act", "articles"]
DEFAULT_ACT = "32011L0093"


@dataclass
class ParsedRow:
    row: Row
    member_state: MemberState
    infr_number: str | None
    type: str
    legal_act: LegalAct
    stage: str
    when: PartialDate | None
    confidence: str
    citations: list[str]
    note: str
    articles: list = None

    @property
    def identity(self):
        return (self.member_state.code, self.infr_number or self.type, self.legal_act.pk, self.stage,
                self.when.isoformat() if self.when else "")

    def sort_key(self):
        return sort_key(self.stage, self.when)


def sort_key(stage: str, when: PartialDate | None):
    rank = 99 if stage == Stage.CLOSED else STAGE_RANK[Stage(stage)]
    return (when is None, when.start if when else None, rank)


def run(rows: list[Row], *, progress=None) -> ImportResult:
    result = ImportResult()
    member_states = {ms.code: ms for ms in MemberState.objects.all()}
    acts = {act.celex: act for act in LegalAct.objects.all()}
    articles = {(a.legal_act_id, a.number): a for a in Article.objects.all()}
    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        item = _parse(row, member_states, acts, result, articles)
        if item is None:
            continue
        if item.identity in seen:
            result.error(row.line, "", _("This row repeats line %(line)s.") % {"line": seen[item.identity]})
            continue
        seen[item.identity] = row.line
        parsed.append(item)
    if result.errors:
        return result
    touched: dict[int, list[ParsedRow]] = defaultdict(list)
    for item in sorted(parsed, key=lambda p: (p.member_state.code, p.type, p.sort_key(), p.row.line)):
        procedure = _find_or_create_procedure(item, result)
        if procedure is not None:
            touched[procedure.pk].append(item)
            # The procedure's own facts (its number, its type) rest on the same sources as its decisions.
            # Add only what is missing: an add() of nothing still writes a history row of the procedure.
            have = set(procedure.sources.values_list("pk", flat=True))
            missing = [s for s in (Source.objects.get_or_create_from_citation(c) for c in item.citations)
                       if s.pk not in have]
            if missing:
                procedure.sources.add(*missing)
            new_articles = [a for a in item.articles if a.pk not in {x.pk for x in procedure.articles.all()}]
            if new_articles:
                procedure.articles.add(*new_articles)
                result.changes.append(_("add articles %(numbers)s to %(procedure)s") % {
                    "numbers": ", ".join(str(a.number) for a in new_articles), "procedure": procedure})
    if result.errors:
        return result
    for procedure_pk, items in touched.items():
        _apply_decisions(InfringementProcedure.objects.get(pk=procedure_pk), items, result)
    return result


def _parse(row: Row, member_states, acts, result, articles) -> ParsedRow | None:
    errors_before = len(result.errors)
    member_state = read_member_state(row, member_states, result)
    infr_number = row.get("infr_number") or None
    if infr_number and not re.match(INFR_NUMBER_RE, infr_number):
        result.error(row.line, "infr_number", _("%(value)r is not an INFR number; write it as INFR(2019)2136.") % {
            "value": infr_number})
    note = row.get("note")
    stage = row.get("stage").lower()
    if stage == Stage.LETTER_OF_FORMAL_NOTICE and note.upper().startswith("ADDITIONAL"):
        stage = Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE
    if stage not in Stage.values:
        result.error(row.line, "stage", _("%(value)r is not a stage; use one of %(known)s.") % {
            "value": row.get("stage"), "known": ", ".join(Stage.values)})
    kind = row.get("type").lower() if row.get("type") else (
        ProcedureType.NON_COMMUNICATION if "non-communication" in note.lower() else ProcedureType.NON_CONFORMITY)
    if kind not in ProcedureType.values:
        result.error(row.line, "type", _("%(value)r is not a procedure type; use non_communication or "
                                         "non_conformity.") % {"value": row.get("type")})
    act = acts.get(row.get("legal_act") or DEFAULT_ACT)
    if act is None:
        result.error(row.line, "legal_act", _("No legal act with CELEX %(value)r.") % {"value": row.get("legal_act")})
    when = read_date(row, "decision_date", result, required=False, actual=True)  # a decision taken, never to come
    confidence = read_confidence(row, "confidence", result)
    citations = read_sources(row, "source_url_or_ref", result)
    if len(note) > 2000:
        result.error(row.line, "note", _("The note is longer than 2000 characters."))
    concerned = []
    for number in filter(None, (part.strip() for part in row.get("articles").split(";"))):
        whole = read_whole_number(number)
        article = articles.get((act.pk, whole)) if act is not None and whole is not None else None
        if article is None:
            result.error(row.line, "articles", _("%(act)s has no article %(value)r.") % {
                "act": act or DEFAULT_ACT, "value": number})
        else:
            concerned.append(article)
    if len(result.errors) > errors_before:
        return None
    return ParsedRow(row, member_state, infr_number, kind, act, stage, when, confidence, citations, note,
                     concerned)


def _find_or_create_procedure(item: ParsedRow, result: ImportResult) -> InfringementProcedure | None:
    candidates = InfringementProcedure.objects.filter(
        member_state=item.member_state, type=item.type, legal_act=item.legal_act)
    if item.infr_number:
        procedure = InfringementProcedure.objects.filter(infr_number=item.infr_number).first()
        if procedure is not None:
            if (procedure.member_state_id, procedure.type) != (item.member_state.pk, item.type):
                result.error(item.row.line, "infr_number", _("%(number)s belongs to a %(type)s procedure against "
                                                             "%(ms)s.") % {
                    "number": item.infr_number, "type": procedure.get_type_display(), "ms": procedure.member_state})
                return None
            return procedure
    same = candidates.filter(decisions__stage=item.stage, decisions__date=item.when.value if item.when else None)
    if item.infr_number:
        same = same.filter(infr_number__isnull=True) | same.filter(infr_number=item.infr_number)
    procedure = same.order_by("-id").first()
    if procedure is None and item.stage != Stage.LETTER_OF_FORMAL_NOTICE:
        procedure = candidates.filter(infr_number__isnull=True).order_by("-id").first() if not item.infr_number \
            else None
        if procedure is None and not item.infr_number:
            procedure = candidates.order_by("-id").first()
    if procedure is None:
        if item.stage != Stage.LETTER_OF_FORMAL_NOTICE:
            result.error(item.row.line, "stage", _("There is no %(type)s procedure against %(ms)s to add a "
                                                   "%(stage)s to: a procedure starts with a letter of formal "
                                                   "notice.") % {
                "type": ProcedureType(item.type).label, "ms": item.member_state, "stage": Stage(item.stage).label})
            return None
        procedure = InfringementProcedure(member_state=item.member_state, type=item.type, legal_act=item.legal_act,
                                          infr_number=item.infr_number, confidence=item.confidence)
        procedure.full_clean()
        procedure.save()
        result.created += 1
        result.changes.append(_("create procedure %(procedure)s") % {"procedure": procedure})
    elif item.infr_number and procedure.infr_number != item.infr_number:
        procedure.infr_number = item.infr_number
        procedure.full_clean()
        procedure.save()
        result.changes.append(_("set INFR number of %(procedure)s") % {"procedure": procedure})
    return procedure


def _apply_decisions(procedure: InfringementProcedure, items: list[ParsedRow], result: ImportResult) -> None:
    existing = list(procedure.decisions.all())
    by_identity = {(d.stage, d.date, d.date_precision if d.date else ""): d for d in existing}
    steps = []  # (sort key, stage, when, parsed row or None, existing decision or None)
    matched = set()
    for item in items:
        identity = (item.stage, item.when.value if item.when else None, item.when.precision if item.when else "")
        decision = by_identity.get(identity)
        if decision is None:
            decision = _known_more_precisely(item, existing, matched)
            if decision is not None:  # a more precise source (the Commission's register) dated it since: keep that
                matched.add(decision.pk)
                result.unchanged += 1
                steps.append((sort_key(decision.stage, decision.when), decision.stage, decision.when, None, decision))
                continue
            decision = _created_from(item, existing, matched)
            if decision is not None:  # the decision this row made, whose date a person corrected since: keep it
                matched.add(decision.pk)
                entry = person_entry(decision)
                if entry is not None:
                    result.conflict(describe_conflict(str(decision), entry, {
                        "date": (item.when.isoformat() if item.when else "", decision.when.isoformat()
                                 if decision.when else "")}))
                result.unchanged += 1
                steps.append((sort_key(decision.stage, decision.when), decision.stage, decision.when, None, decision))
                continue
        if decision is not None:
            matched.add(decision.pk)
        steps.append((item.sort_key(), item.stage, item.when, item, decision))
    for decision in existing:
        if decision.pk not in matched:
            steps.append((sort_key(decision.stage, decision.when), decision.stage, decision.when, None, decision))
    steps.sort(key=lambda step: step[0])
    errors = sequence_errors([(stage, when) for _key, stage, when, _item, _d in steps], procedure.type)
    if errors:
        lines = ", ".join(str(item.row.line) for item in items)
        for message in errors:
            result.error(items[0].row.line, "stage", _("%(procedure)s (lines %(lines)s): %(message)s") % {
                "procedure": procedure, "lines": lines, "message": message})
        return
    # Move the decisions whose place changes out of the way first (positions are unique per procedure).
    for position, (_key, _stage, _when, _item, decision) in enumerate(steps, start=1):
        if decision is not None and decision.position != position:
            Decision.objects.filter(pk=decision.pk).update(position=decision.position + 1000)
    for position, (_key, stage, when, item, decision) in enumerate(steps, start=1):
        if item is None:
            if decision.position != position:
                Decision.objects.filter(pk=decision.pk).update(position=position)
            continue
        upsert(Decision, {"procedure": procedure, "stage": stage, "date": when.value if when else None}, {
            "date_precision": when.precision if when else "day", "date_latest": when.end if when else None,
            "position": position,
            "confidence": item.confidence, "note": item.note,
        }, result, citations=item.citations, label=_("%(stage)s of %(date)s for %(procedure)s") % {
            "stage": Stage(stage).label, "date": when.display() if when else _("unknown date"),
            "procedure": procedure})


def _created_from(item: ParsedRow, existing: list[Decision], matched: set[int]) -> Decision | None:
    """The recorded decision of the row's stage that was created with the row's date (its first history entry),
    if any: the same decision, whose date was changed since. Its history is the key that survives an edit, so
    loading the row again does not add a second copy."""
    identity = (item.when.value if item.when else None, item.when.precision if item.when else Precision.DAY)
    for decision in existing:
        if decision.pk in matched or decision.stage != item.stage:
            continue
        first = (Decision.history.filter(id=decision.pk, history_type="+").order_by("history_id")
                 .values_list("date", "date_precision").first())
        if first is not None and (first[0], first[1] if first[0] else Precision.DAY) == identity:
            return decision
    return None


def _known_more_precisely(item: ParsedRow, existing: list[Decision], matched: set[int]) -> Decision | None:
    """The recorded decision of the row's stage whose date lies within the row's (a month narrowed to its day,
    an undated closure since known to lie between two days), if any: the row says the same, less precisely."""
    for decision in existing:
        if decision.pk in matched or decision.stage != item.stage or decision.when is None:
            continue
        if item.when is None:
            if item.stage == Stage.CLOSED:  # a procedure has one closure
                return decision
            continue
        if item.when.start <= decision.when.start and decision.when.end <= item.when.end:
            return decision
    return None


def export_rows(decisions, *, with_ids: bool = False) -> list[list]:
    """`decisions` (procedure, member state, legal act, sources and articles prefetched) in this import format
    (COLUMNS, then `procedure_id` and `position` when `with_ids`), so that an export imports back unchanged."""
    rows = []
    for decision in decisions:
        procedure = decision.procedure
        row = [
            procedure.member_state.code, procedure.infr_number or "", decision.stage, decision.when,
            " ; ".join(s.citation for s in decision.sources.all()), decision.confidence, decision.note,
            procedure.type, procedure.legal_act.celex,
            " ; ".join(str(a.number) for a in procedure.articles.all()),
        ]
        if with_ids:
            row += [procedure.pk, decision.position]
        rows.append(row)
    return rows
