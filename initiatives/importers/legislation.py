"""Legislative files, stage by stage: the format of fixtures/data/legislative_procedures.csv.

Columns: procedure_ref (2022/0155(COD)), short_title, legal_act (the act once adopted, as the source words it:
"Regulation (EU) 2021/1232; CELEX 32021R1232; OJ L 274, 30.7.2021"), key_action (its code: 2a, 2b; "recast"
is the revision of Directive 2011/93/EU), stage (a value of LegislativeStageKind), date (YYYY, YYYY-MM or
YYYY-MM-DD), detail, source_url_or_ref, confidence.

How rows become records:
- one file per procedure_ref; its title must be the same on every row; its key actions are added, never removed;
- the resulting act is read from the rows of the adoption and after (adoption, signature, publication, entry
  into force), which must agree; an expiry row may name an earlier act (the one that lapsed);
- the Commission proposal's number (COM(2022) 209) is read from the proposal row's detail;
- a recast ("Recast of Directive 2011/93/EU") is linked to the act it replaces;
- the research file had no value for a Council position at first reading or a Parliament second reading; its
  rows marked "Mapped stage" in `detail` are read as those stages when the detail says so;
- each file's stages (those already recorded and those in the file) are checked against the order rules.
Stages are matched by file, stage and date: importing the same file again changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from initiatives.choices import LegislativeStageKind as Kind
from initiatives.models import KeyAction, LegalAct, LegislativeFile, LegislativeStage
from initiatives.models.legislation import ADOPTION, AFTER_ADOPTION, PROCEDURE_RE, STAGE_ORDER, order_errors

from .common import read_confidence, read_date, read_sources, upsert
from .tabular import ImportResult, Row

REQUIRED = {"procedure_ref", "short_title", "legal_act", "key_action", "stage", "date", "detail",
            "source_url_or_ref", "confidence"}
OPTIONAL: set[str] = set()
COLUMNS = ["procedure_ref", "short_title", "legal_act", "key_action", "stage", "date", "detail",
           "source_url_or_ref", "confidence"]
KEY_ACTION_ALIASES = {"recast": "2-revision"}
ACT_RE = re.compile(r"\b(Regulation|Directive|Decision) \(EU\) \d{4}/\d+")
CELEX_IN_TEXT = re.compile(r"CELEX:?\s*(\d{5}[A-Z]{1,2}\d{4})")
OJ_RE = re.compile(r"\bOJ\b[^;]*?(?=\s+-\s|\s*;|\s*$)")
COM_RE = re.compile(r"COM\(\d{4}\)\s*\d+")
RECAST_RE = re.compile(r"recast of directive (\d{4})/(\d+)", re.IGNORECASE)
ACT_STAGES = (*ADOPTION, *AFTER_ADOPTION)
MAPPED = "mapped stage"
# A "Mapped stage" row is read as the stage its detail names.
MAPPINGS = [
    (re.compile(r"position at first reading|first-reading position", re.IGNORECASE),
     Kind.COUNCIL_GENERAL_APPROACH, Kind.COUNCIL_FIRST_READING_POSITION),
    (re.compile(r"second reading", re.IGNORECASE), Kind.EP_PLENARY_APPROVAL, Kind.EP_SECOND_READING),
]


def stage_of(stage: str, detail: str) -> str:
    """The stage a row records: its `stage`, or for a "Mapped stage" row the more exact stage its detail names."""
    if detail.lower().startswith(MAPPED):
        for pattern, written, meant in MAPPINGS:
            if stage == written and pattern.search(detail):
                return meant
    return stage


def parse_act(text: str) -> dict:
    act = ACT_RE.search(text)
    celex = CELEX_IN_TEXT.search(text)
    oj = OJ_RE.search(text)
    return {"act_number": act[0] if act else "", "act_celex": celex[1] if celex else "",
            "act_oj": oj[0].strip(" ,") if oj else "", "act_note": " ".join(text.split())[:300]}


def run(rows: list[Row], *, progress=None) -> ImportResult:
    result = ImportResult()
    key_actions = {ka.code: ka for ka in KeyAction.objects.all()}
    by_file: dict[str, list[tuple[Row, dict]]] = defaultdict(list)
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        parsed = _parse(row, key_actions, result)
        if parsed is None:
            continue
        identity = (parsed["reference"], parsed["stage"], parsed["when"].start)
        if identity in seen:
            result.error(row.line, "", _("This row repeats line %(line)s (the same procedure, stage and date).") % {
                "line": seen[identity]})
            continue
        seen[identity] = row.line
        by_file[parsed["reference"]].append((row, parsed))
    files = {}
    for reference, entries in by_file.items():
        values = _file_values(reference, entries, result)
        if values is not None:
            files[reference] = values
    for reference, entries in by_file.items():
        incoming = {(parsed["stage"], parsed["when"].start): parsed["when"] for _row, parsed in entries}
        recorded = [(stage.stage, stage.when) for stage in LegislativeStage.objects.filter(file__reference=reference)
                    if (stage.stage, stage.date) not in incoming]
        for message in order_errors(recorded + [(stage, when) for (stage, _start), when in incoming.items()]):
            result.error(entries[0][0].line, "stage", _("%(ref)s: %(message)s") % {"ref": reference,
                                                                                   "message": message})
    if result.errors:
        return result
    directive_acts = {act.celex: act for act in LegalAct.objects.all()}
    for reference, entries in by_file.items():
        values = files[reference]
        replaces = None
        recast = RECAST_RE.search(values["title"])
        if recast:
            replaces = directive_acts.get(f"3{recast[1]}L{int(recast[2]):04d}")
        file = upsert(LegislativeFile, {"reference": reference}, {
            "title": values["title"], "proposal_reference": values["proposal_reference"], "replaces": replaces,
            **values["act"]}, result, label=_("legislative file %(ref)s") % {"ref": reference})
        wanted = {ka.pk for _row, parsed in entries for ka in [parsed["key_action"]]}
        missing = wanted - set(file.key_actions.values_list("pk", flat=True))
        if missing:
            file.key_actions.add(*missing)
            codes = sorted(ka.code for ka in key_actions.values() if ka.pk in missing)
            result.changes.append(_("link %(ref)s to key action(s) %(codes)s") % {
                "ref": reference, "codes": ", ".join(codes)})
        for _row, parsed in sorted(entries, key=lambda entry: (entry[1]["when"].start,
                                                                 STAGE_ORDER[entry[1]["stage"]])):
            when = parsed["when"]
            upsert(LegislativeStage, {"file": file, "stage": parsed["stage"], "date": when.value}, {
                "date_precision": when.precision, "detail": parsed["detail"], "confidence": parsed["confidence"],
            }, result, citations=parsed["citations"],
                label=_("%(stage)s of %(ref)s, %(date)s") % {"stage": parsed["stage"], "ref": reference,
                                                              "date": when.isoformat()})
    apply_derived_statuses(result)
    return result


def _parse(row: Row, key_actions: dict, result: ImportResult) -> dict | None:
    errors_before = len(result.errors)
    reference = row.get("procedure_ref")
    if not PROCEDURE_RE.match(reference):
        result.error(row.line, "procedure_ref", _("%(value)r is not a procedure reference; write it as "
                                                  "2022/0155(COD).") % {"value": reference})
    title = " ".join(row.get("short_title").split())
    if not title or len(title) > 300:
        result.error(row.line, "short_title", _("Give the file's title in 1 to 300 characters."))
    code = row.get("key_action")
    key_action = key_actions.get(KEY_ACTION_ALIASES.get(code.lower(), code))
    if key_action is None:
        result.error(row.line, "key_action", _("No key action %(code)r.") % {"code": code})
    detail = " ".join(row.get("detail").split())
    if len(detail) > 2000:
        result.error(row.line, "detail", _("The detail is longer than 2000 characters."))
    stage = row.get("stage")
    if stage not in Kind.values:
        result.error(row.line, "stage", _("%(value)r is not a stage; use one of %(known)s.") % {
            "value": stage, "known": ", ".join(Kind.values)})
    when = read_date(row, "date", result, required=True)
    confidence = read_confidence(row, "confidence", result)
    citations = read_sources(row, "source_url_or_ref", result)
    if len(result.errors) > errors_before:
        return None
    return {"reference": reference, "title": title, "key_action": key_action, "stage": stage_of(stage, detail),
            "when": when, "detail": detail, "confidence": confidence, "citations": citations,
            "legal_act": " ".join(row.get("legal_act").split())}


def _file_values(reference: str, entries, result: ImportResult) -> dict | None:
    first_row, first = entries[0]
    ok = True
    for row, parsed in entries[1:]:
        if parsed["title"] != first["title"]:
            result.error(row.line, "short_title", _("The title differs from line %(line)s for the same procedure.") % {
                "line": first_row.line})
            ok = False
    act_rows = [(row, parsed) for row, parsed in entries if parsed["stage"] in ACT_STAGES and parsed["legal_act"]]
    act = {"act_number": "", "act_celex": "", "act_oj": "", "act_note": ""}
    if act_rows:
        act = parse_act(act_rows[0][1]["legal_act"])
        for row, parsed in act_rows[1:]:
            if parsed["legal_act"] != act_rows[0][1]["legal_act"]:
                result.error(row.line, "legal_act", _("The act differs from line %(line)s for the same procedure.") % {
                    "line": act_rows[0][0].line})
                ok = False
        if not act["act_number"]:
            result.error(act_rows[0][0].line, "legal_act", _("%(value)r names no act such as “Regulation (EU) "
                                                             "2021/1232”.") % {"value": act_rows[0][1]["legal_act"]})
            ok = False
    proposal = next((parsed for _row, parsed in entries if parsed["stage"] == Kind.PROPOSAL), None)
    com = COM_RE.search(proposal["detail"]) if proposal else None
    return {"title": first["title"], "proposal_reference": " ".join(com[0].split()) if com else "",
            "act": act} if ok else None


def export_rows(files) -> list[list]:
    """Every stage of `files` (with `stage_list`, `key_action_list` and sources prefetched: with_related()) in
    this import format (COLUMNS), so that the export imports back unchanged."""
    rows = []
    for file in files:
        codes = [ka.code for ka in file.key_action_list] or [""]
        code = next((alias for alias, meant in KEY_ACTION_ALIASES.items() if meant == codes[0]), codes[0])
        for stage in file.stage_list:
            act = file.act_note if stage.stage in ACT_STAGES else ""
            rows.append([file.reference, file.title, act, code, stage.stage, stage.when.isoformat(), stage.detail,
                         " ; ".join(s.citation for s in stage.sources.all()), stage.confidence])
    return rows


def apply_derived_statuses(result: ImportResult | None = None) -> None:
    """Give each key action whose commitment is to propose, and whose legislative files have a proposal, the
    status that follows (KeyAction.derived_status): delivered on the proposal's day, late after its deadline.
    A status staff set (with a reason and a source) is left alone."""
    from initiatives.choices import Commitment

    from .common import CHANGE_REASON

    proposals: dict[int, list] = defaultdict(list)
    for stage in LegislativeStage.objects.filter(stage=Kind.PROPOSAL, file__key_actions__commitment=Commitment.PROPOSE,
                                                 file__key_actions__status_set_by_staff=False).prefetch_related(
            "file__key_actions"):
        for action in stage.file.key_actions.all():
            proposals[action.pk].append(stage.when)
    for action in KeyAction.objects.filter(pk__in=proposals):
        derived = action.derived_status(proposals[action.pk])
        if derived is None or action.status_set_by_staff:
            continue
        status, when = derived
        if (action.status, action.date, action.date_precision) == (status, when.start, when.precision):
            continue
        action.status, action.date, action.date_precision = status, when.start, when.precision
        action.full_clean()
        action._change_reason = CHANGE_REASON.get() or _("status from the proposal of its legislative file")
        action.save()
        if result is not None:
            result.updated += 1
            result.changes.append(_("set key action %(code)s to %(status)s on %(date)s, from its file's proposal") % {
                "code": action.code, "status": status, "date": when.isoformat()})
