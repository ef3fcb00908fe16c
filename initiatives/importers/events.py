"""Key-action events: the format of fixtures/data/key_actions_timeline.csv.

One row per dated event of a key action; a row with an empty `event_date` carries only the status.
The status column is the key action's status at its latest event and must agree across its rows.
A "delivered" action whose delivery date falls after its deadline's period is stored as "delivered late".
The optional `key_action_code` (1, 2a, 2-dsa ...) names the key action exactly; without it the key action
is found by its short title (or the research file's wording of it). Exports write both (`export_rows`).

An upload matches a row to an event by its key action, date and description. The shipped data
(`load_real_data`) matches by a key that survives edits: `import_key`, made of the key action, the date as
the file writes it and the row's rank among that key action's rows of that date (`shipped_key`).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from initiatives.choices import EventKind, KeyActionStatus
from initiatives.models import KeyAction, KeyActionEvent

from .common import (
    CHANGE_REASON,
    deleted_by_person,
    describe_conflict,
    loading_shipped_data,
    person_changed_fields,
    person_entry,
    read_confidence,
    read_date,
    read_sources,
    read_whole_number,
    upsert,
)
from .tabular import ImportResult, Row

REQUIRED = {"initiative_number", "key_action_short", "event_date", "event", "source_url_or_ref", "confidence"}
OPTIONAL = {"planned_date", "status_as_of_2026_11", "status", "kind", "key_action_code"}
COLUMNS = ["initiative_number", "key_action_code", "key_action_short", "event_date", "event", "kind", "status",
           "source_url_or_ref", "confidence"]
CONTEXT_SUFFIX = re.compile(r"\s*\(context commitment, not a key action\)\s*$", re.IGNORECASE)

# Ordered: the first rule that matches names the kind. Read against every shipped event (see tests).
# Enforcement wording comes first: "reasoned opinions to ..." is a step of an infringement procedure even
# though "opinion" would also match the report rule.
KIND_RULES = [
    (EventKind.DECISION, r"reasoned opinion|letters? of formal notice|\binfringement|\breferr(al|ed|s)\b|\brefers\b"
                         r"|commission decision"),
    (EventKind.POLITICAL_AGREEMENT, r"political (\(provisional\) )?agreement"),
    (EventKind.EXPIRY, r"stops applying|lapses"),
    (EventKind.PARLIAMENT_POSITION, r"parliament (plenary )?(approves|adopts|rejects)|parliament .*(mandate|position)"
                                    r"|parliament libe committee adopts"),
    (EventKind.TRILOGUE, r"trilogue"),
    (EventKind.COUNCIL_POSITION, r"council .*(position|mandate|general approach|backs)"),
    (EventKind.REPORT, r"^evaluation|impact assessment published"),
    (EventKind.PROPOSAL, r"\bpropos"),
    (EventKind.ENTRY_INTO_FORCE, r"applies in full|enters? into force"),
    (EventKind.ADOPTION, r"\badopted\b|signed"),
    (EventKind.LAUNCH, r"launch|opens|establishes|set up"),
    (EventKind.REPORT, r"report|publish|presents|study|opinion|mapping|workshop|feedback"),
]


def classify(description: str) -> str:
    text = description.lower()
    for kind, pattern in KIND_RULES:
        if re.search(pattern, text):
            return kind
    return EventKind.OTHER


def normalise_key(text: str) -> str:
    return " ".join(CONTEXT_SUFFIX.sub("", text).split()).lower()


def run(rows: list[Row], *, progress=None) -> ImportResult:
    result = ImportResult()
    all_actions = list(KeyAction.objects.select_related("initiative"))
    actions = {(ka.initiative.number, normalise_key(ka.short_title)): ka for ka in all_actions}
    by_code = {(ka.initiative.number, ka.code): ka for ka in all_actions}
    timeline_keys = _timeline_keys()
    statuses: dict[int, tuple[str, int]] = {}
    seen: dict[tuple, int] = {}
    ranks: dict[tuple, int] = {}
    shipped_keys: set[str] = set()
    loading = loading_shipped_data()
    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        key_action = _find_key_action(row, actions, timeline_keys, result, by_code)
        status_column = "status" if "status" in row.values else "status_as_of_2026_11"
        status = row.get(status_column)
        if key_action is not None and status:
            if status not in KeyActionStatus.values:
                result.error(row.line, status_column, _("%(value)r is not a status; use one of %(known)s.") % {
                    "value": status, "known": ", ".join(KeyActionStatus.values)})
            elif key_action.pk in statuses and statuses[key_action.pk][0] != status:
                result.error(row.line, status_column, _("The status differs from line %(line)s for the same key "
                                                        "action.") % {"line": statuses[key_action.pk][1]})
            else:
                statuses.setdefault(key_action.pk, (status, row.line))
        when = read_date(row, "event_date", result, required=False, actual=True)
        confidence = read_confidence(row, "confidence", result)
        if key_action is None or when is False or confidence is None:
            continue
        if when is None:
            continue  # a status-only row: no dated event was found
        citations = read_sources(row, "source_url_or_ref", result)
        description = row.get("event")
        if citations is None:
            continue
        if not description or len(description) > 500:
            result.error(row.line, "event", _("Describe the event in 1 to 500 characters."))
            continue
        kind = row.get("kind") or classify(description)
        if kind not in EventKind.values:
            result.error(row.line, "kind", _("%(value)r is not an event kind; use one of %(known)s.") % {
                "value": kind, "known": ", ".join(EventKind.values)})
            continue
        identity = (key_action.pk, when.value, description)
        if identity in seen:
            result.error(row.line, "", _("This row repeats line %(line)s (the same key action, date and "
                                         "event).") % {"line": seen[identity]})
            continue
        seen[identity] = row.line
        label = f"event {when.isoformat()} of key action {key_action.code}"
        if loading:
            rank = ranks[(key_action.pk, when.isoformat())] = ranks.get((key_action.pk, when.isoformat()), 0) + 1
            key = shipped_key(key_action, when.isoformat(), rank)
            shipped_keys.add(key)
            if not _adopt_unkeyed(key, key_action, when.value, description, result, label):
                continue
            upsert(KeyActionEvent, {"import_key": key}, {
                "key_action": key_action, "date": when.value, "description": description,
                "date_precision": when.precision, "kind": kind, "confidence": confidence,
            }, result, citations=citations, label=label)
            continue
        upsert(KeyActionEvent, {"key_action": key_action, "date": when.value, "description": description}, {
            "date_precision": when.precision, "kind": kind, "confidence": confidence,
        }, result, citations=citations, label=label)
    if result.errors:
        return result
    if loading:
        _remove_unshipped(shipped_keys, result)
    for pk, (status, line) in statuses.items():
        key_action = KeyAction.objects.get(pk=pk)
        new_status = key_action.status_from_report(status)
        if key_action.status != new_status:
            entry = person_changed_fields(key_action, ["status"]).get("status") if loading else None
            if entry is not None:
                result.conflict(describe_conflict(_("key action %(what)s") % {"what": key_action}, entry, {
                    "status": (new_status, key_action.status)}))
                continue
            key_action.status = new_status
            try:
                key_action.full_clean()
            except ValidationError as error:
                result.error(line, status_column, _("Key action %(code)s cannot take this status: %(reason)s") % {
                    "code": key_action.code, "reason": " ".join(error.messages)})
                continue
            if CHANGE_REASON.get():
                key_action._change_reason = CHANGE_REASON.get()
            key_action.save(update_fields=["status"])
            result.updated += 1
            result.changes.append(_("set status of key action %(code)s to %(status)s") % {
                "code": key_action.code, "status": new_status})
    return result


def shipped_key(key_action: KeyAction, event_date: str, rank: int) -> str:
    """The stable key of a shipped event row: '2/2b/2022-05-11#1' (the first row of that key action and date)."""
    return f"{key_action.initiative.number}/{key_action.code}/{event_date}#{rank}"


def _remove_unshipped(shipped_keys: set[str], result: ImportResult) -> None:
    """An event the loader made from a row the shipped data no longer has (its date was corrected, or the row
    removed) goes, unless a person edited it: then it stays, and the conflict is listed."""
    for event in KeyActionEvent.objects.exclude(import_key="").exclude(import_key__in=shipped_keys).select_related(
            "key_action"):
        label = f"event {event.when.isoformat()} of key action {event.key_action.code}"
        entry = person_entry(event)
        if entry is not None:
            result.conflict(_("%(what)s: no longer in the shipped data; kept, as %(who)s edited it on %(day)s") % {
                "what": label, "who": entry.history_user.get_username() if entry.history_user else _("a person"),
                "day": entry.history_date.date().isoformat()})
            continue
        event._change_reason = CHANGE_REASON.get()
        event.delete()
        result.removed += 1
        result.changes.append(_("remove %(what)s (no longer in the shipped data)") % {"what": label})


def _adopt_unkeyed(key, key_action, day, description, result, label) -> bool:
    """Give the event a database loaded before import keys existed its key, without a history row (so that
    whoever last changed it stays its last editor). False when a person deleted it: it is not loaded again."""
    if KeyActionEvent.objects.filter(import_key=key).exists():
        return True
    unkeyed = KeyActionEvent.objects.filter(import_key="")
    found = unkeyed.filter(key_action=key_action, date=day, description=description).first()
    history = KeyActionEvent.history.model.objects.filter(key_action=key_action, date=day, description=description)
    if found is None:  # edited since it was loaded: its history still has the shipped values
        found = unkeyed.filter(pk__in=history.values("id")).first()
    if found is not None:
        KeyActionEvent.objects.filter(pk=found.pk).update(import_key=key)
        return True
    for event_id in history.values_list("id", flat=True).distinct():
        gone = deleted_by_person(KeyActionEvent, id=event_id)
        if gone is not None:
            result.unchanged += 1
            result.conflict(_("%(what)s: not loaded again, deleted by %(who)s on %(day)s") % {
                "what": label, "who": gone.history_user.get_username() if gone.history_user else _("a person"),
                "day": gone.history_date.date().isoformat()})
            return False
    return True


def _timeline_keys() -> dict[tuple[int, str], str]:
    """The editorial table maps the research file's key_action_short to our key-action codes."""
    from django.conf import settings

    from .tabular import read_table

    path = settings.BASE_DIR / "fixtures" / "key_actions.csv"
    rows = read_table(path.read_bytes(), path.name, required={"initiative_number", "code", "timeline_key"},
                      optional=KEY_ACTION_COLUMNS)
    return {(read_whole_number(r.get("initiative_number")), normalise_key(r.get("timeline_key"))): r.get("code")
            for r in rows}


KEY_ACTION_COLUMNS = {"ka_index", "is_context_commitment", "short_title", "lead_actor", "deadline_wording",
                      "deadline", "delivery_date", "delivery_basis", "quote"}


def _find_key_action(row, actions, timeline_keys, result, by_code):
    number = read_whole_number(row.get("initiative_number"))
    if number is None:
        result.error(row.line, "initiative_number", _("%(value)r is not an initiative number.") % {
            "value": row.get("initiative_number")})
        return None
    if row.get("key_action_code"):
        found = by_code.get((number, row.get("key_action_code")))
        if found is None:
            result.error(row.line, "key_action_code", _("No key action %(code)r in initiative %(n)s.") % {
                "code": row.get("key_action_code"), "n": number})
        return found
    key = normalise_key(row.get("key_action_short"))
    found = actions.get((number, key))
    if found is None and (number, key) in timeline_keys:
        code = timeline_keys[(number, key)]
        found = next((ka for ka in actions.values() if ka.initiative.number == number and ka.code == code), None)
    if found is None:
        result.error(row.line, "key_action_short", _("No key action %(key)r in initiative %(n)s.") % {
            "key": row.get("key_action_short"), "n": number})
    return found


def export_rows(key_actions) -> list[list]:
    """Every event of `key_actions` (with their events and sources prefetched) in this import format
    (COLUMNS); a key action without events gets one status-only row, so that its status travels too."""
    rows = []
    for ka in key_actions:
        events = list(ka.events.all())
        for event in events:
            rows.append([ka.initiative.number, ka.code, ka.short_title, event.when, event.description, event.kind,
                         ka.status, " ; ".join(s.citation for s in event.sources.all()), event.confidence])
        if not events:
            rows.append([ka.initiative.number, ka.code, ka.short_title, "", "", "", ka.status, "", ka.confidence])
    return rows
