"""Small pieces every importer shares: reading a confidence, a date, a list of sources; an upsert; and the
one rule that says whether loading the shipped data may change a record (`loader_may_change`)."""

from __future__ import annotations

import re
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from initiatives.choices import Confidence
from initiatives.dates import DateParseError, PartialDate
from initiatives.models import Source, split_citations

from .tabular import ImportResult, Row

# The history reason recorded on every row an import writes ("import of infringements.csv"); set by
# `initiatives.importers.run_import` for the length of one import.
CHANGE_REASON: ContextVar[str] = ContextVar("import_change_reason", default="")
# The history reason of every write `load_real_data` makes (set as CHANGE_REASON for the whole load). It is
# also how the loader recognises its own writes, so it is a fixed marker, not a translated sentence.
LOADER_REASON = "load_real_data: shipped data"
# 03/04/2014, 3.4.2014, 04-03-2014: day and month cannot be told apart.
AMBIGUOUS_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


def loading_shipped_data() -> bool:
    """True while `load_real_data` runs (importers.real_data.load_all), as opposed to a person's upload."""
    return CHANGE_REASON.get() == LOADER_REASON


def _loader_entry(entry) -> bool:
    """A history row written by the loader: no user, and the loader's reason (or none: loads made before the
    reason existed). Every other write has a user (the forms, the admin, uploads) or another reason (the
    `import` command)."""
    return entry.history_user_id is None and (entry.history_change_reason or "") in ("", LOADER_REASON)


def person_changed_fields(instance, names) -> dict:
    """Of the fields `names` of `instance`, those whose last change was a person's, each with the history row
    of that change. A field the loader wrote last (or that kept the value the loader gave it) is not in it.

    Read from the record's history, oldest first: each row that changes a field (or creates the record) is
    that field's last writer so far. Models without history are the loader's alone: nothing is returned.
    """
    history = getattr(type(instance), "history", None)
    if history is None or instance.pk is None or not names:
        return {}
    rows = list(history.model.objects.filter(id=instance.pk).select_related("history_user").order_by("history_id"))
    if all(_loader_entry(row) for row in rows):
        return {}
    attnames = {name: _attname(type(instance), name) for name in names}
    last_writer, previous = {}, None
    for row in rows:
        if row.history_type == "-":
            previous = None
            continue
        for name, attname in attnames.items():
            if previous is None or getattr(row, attname, None) != getattr(previous, attname, None):
                last_writer[name] = row
        previous = row
    return {name: row for name, row in last_writer.items() if not _loader_entry(row)}


def _attname(model, name: str) -> str:
    try:
        return model._meta.get_field(name).attname
    except Exception:  # noqa: BLE001 - not a concrete field (sources): compared by name
        return name


def person_entry(instance):
    """The newest history row a person wrote for `instance` (any field), or None when only the loader wrote it."""
    history = getattr(type(instance), "history", None)
    if history is None or instance.pk is None:
        return None
    rows = history.model.objects.filter(id=instance.pk).select_related("history_user").order_by("-history_id")
    return next((row for row in rows if not _loader_entry(row)), None)


def loader_may_change(instance, names=None) -> bool:
    """May loading the shipped data change these fields of this record? The one rule, for every importer the
    loader runs (`names`: the fields it would change; all concrete fields when None).

    Yes for a field whose last change the loader made (or that has kept the value the loader gave it), and
    for any field of a record without history; no for a field a person (a form, the admin, an upload) changed
    since: the shipped data is a starting point, and a person's edit wins. An importer that saves records
    itself uses it like this, while `loading_shipped_data()` is true:

        kept = person_changed_fields(instance, changed)   # {field: the person's history row}
        for field in kept: ... leave it, and list it: result.conflict(describe_conflict(label, row, {...}))
        ... save the other fields, with CHANGE_REASON (the loader's reason) as the history reason ...

    `upsert` applies it by itself; before re-creating a record the shipped data has and the database has not,
    an importer asks `deleted_by_person`.
    """
    if names is None:
        names = [field.name for field in type(instance)._meta.concrete_fields]
    return not person_changed_fields(instance, names)


def deleted_by_person(model: type[models.Model], **lookup):
    """The history row of a person's deletion of the record `lookup` finds in `model`'s history (fields as
    stored in the history: an import key, a natural key), when that deletion is the record's last entry;
    else None. The loader does not bring back what a person removed."""
    history = getattr(model, "history", None)
    if history is None:
        return None
    newest = history.model.objects.filter(**lookup).select_related("history_user").order_by("-history_id").first()
    if newest is None or newest.history_type != "-" or _loader_entry(newest):
        return None
    return newest


def describe_conflict(what: str, entry, differences: dict[str, tuple]) -> str:
    """'key action 2/2b ...: kept the edit by staff on 2026-11-30 (status: shipped “in_progress”, kept
    “delivered_late”)'. `differences` maps a field name to (shipped value, kept value)."""
    who = entry.history_user.get_username() if entry.history_user else _("a person")
    def shown(value) -> str:
        if value in (None, ""):
            return "—"
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    details = "; ".join(_("%(field)s: shipped “%(shipped)s”, kept “%(kept)s”") % {
        "field": field, "shipped": shown(shipped), "kept": shown(kept)}
        for field, (shipped, kept) in differences.items())
    return _("%(what)s: kept the edit by %(who)s on %(day)s (%(details)s)") % {
        "what": what, "who": who, "day": entry.history_date.date().isoformat(), "details": details}


def read_member_state(row: Row, member_states: dict, result: ImportResult):
    """The bound Member State a row's `member_state_code` names (GR is read as EL); None after an error."""
    code = row.get("member_state_code").upper()
    member_state = member_states.get("EL" if code == "GR" else code)
    if member_state is None:
        result.error(row.line, "member_state_code", _("%(value)r is not an EU Member State code.") % {
            "value": row.get("member_state_code")})
    elif not member_state.bound_by_directive:
        result.error(row.line, "member_state_code", _("%(name)s is not bound by the Directive.") % {
            "name": member_state.display_name})
        return None
    return member_state


def read_confidence(row: Row, column: str, result: ImportResult) -> str | None:
    value = row.get(column).lower()
    if value not in Confidence.values:
        result.error(row.line, column, _("%(value)r is not a confidence; use high, medium or low.") % {
            "value": row.get(column)})
        return None
    return value


def read_whole_number(text: str) -> int | None:
    """`text` as a whole number when it is ASCII digits only, else None. str.isdigit() and int() accept other
    digits ("²", "٢٧", "２７"), and int("²") raises: every number read from a file goes through here."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def read_number(row: Row, column: str, result: ImportResult, *, what: str = "") -> int | None:
    """The whole number in `column` (ASCII digits, see read_whole_number); None after recording an error."""
    number = read_whole_number(row.get(column))
    if number is None:
        result.error(row.line, column, _("%(value)r is not %(what)s written with the digits 0 to 9.") % {
            "value": row.get(column), "what": what or _("a whole number")})
    return number


def read_text(row: Row, column: str, result: ImportResult, model: type[models.Model], field: str) -> str | None:
    """The text in `column`, within the length `model.field` allows (its max_length: the same limit as the
    form's and the model's); None after recording an error."""
    text = row.get(column)
    limit = model._meta.get_field(field).max_length
    if limit is not None and len(text) > limit:
        result.error(row.line, column, _("The text is %(length)s characters long; the limit is %(limit)s.") % {
            "length": len(text), "limit": limit})
        return None
    return text


def future_date_error(when: PartialDate) -> str | None:
    """Why an actual date (of an event, a decision, a report, a measure) cannot be `when`, or None: the rule of
    the forms' date field (PartialDateField(allow_future=False)), so that a form and an import agree."""
    from initiatives.forms import PartialDateField

    try:
        PartialDateField(allow_future=False).validate(when)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def read_date(row: Row, column: str, result: ImportResult, *, required: bool,
              actual: bool = False) -> PartialDate | None | bool:
    """A PartialDate; None when empty and allowed; False (after recording an error) when bad.

    `actual`: the date of something that happened (not a deadline or a forecast), so never in the future,
    by the forms' rule (future_date_error)."""
    raw = row.get(column)
    if not raw:
        if required:
            result.error(row.line, column, _("A date is required."))
            return False
        return None
    if AMBIGUOUS_DATE.match(raw):
        result.error(row.line, column, _("%(value)r is not a date that can be read safely: it is ambiguous, day "
                                         "and month cannot be told apart. Write it as YYYY-MM-DD (or YYYY-MM when "
                                         "only the month is known).") % {
            "value": raw})
        return False
    try:
        when = PartialDate.parse(raw)
    except DateParseError as error:
        result.error(row.line, column, str(error))
        return False
    if actual and (problem := future_date_error(when)):
        result.error(row.line, column, problem)
        return False
    return when


def read_sources(row: Row, column: str, result: ImportResult) -> list[str] | None:
    citations = split_citations(row.get(column))
    if not citations:
        result.error(row.line, column, _("Every fact needs at least one source (a link or a document "
                                         "reference)."))
        return None
    too_long = [c for c in citations if len(c) > 1000]
    if too_long:
        result.error(row.line, column, _("A source is longer than 1000 characters."))
        return None
    return citations


def upsert(model: type[models.Model], lookup: dict, values: dict, result: ImportResult, *,
           citations: list[str] | None = None, label: str = "") -> models.Model | None:
    """Create or update one row by its natural key; count it as created, updated or unchanged.

    While the shipped data loads, a record a person changed since the loader wrote it is left as it is
    and each difference is listed as a conflict (`loader_may_change`); a record a person deleted is not
    created again (then None is returned).
    """
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    loading = loading_shipped_data()
    if created and loading:
        gone = deleted_by_person(model, **lookup)
        if gone is not None:
            result.unchanged += 1
            result.conflict(_("%(what)s: not loaded again, deleted by %(who)s on %(day)s") % {
                "what": label or ", ".join(f"{k}={v}" for k, v in lookup.items()),
                "who": gone.history_user.get_username() if gone.history_user else _("a person"),
                "day": gone.history_date.date().isoformat()})
            return None
    changed = [] if created else [name for name, value in values.items() if getattr(instance, name) != value]
    wanted = None
    if citations is not None:
        wanted = {Source.objects.get_or_create_from_citation(c).pk for c in citations}
    sources_differ = (not created and wanted is not None
                      and set(instance.sources.values_list("pk", flat=True)) != wanted)
    if loading and (changed or sources_differ):
        kept = person_changed_fields(instance, changed)
        if sources_differ and (entry := person_entry(instance)) is not None:
            kept["sources"] = entry  # the history of sources is not read field by field: a person's record keeps them
        if kept:
            differences = {name: (values[name], getattr(instance, name)) for name in changed if name in kept}
            if "sources" in kept:
                differences["sources"] = (" ; ".join(citations), " ; ".join(
                    instance.sources.order_by("citation").values_list("citation", flat=True)))
            newest = max(kept.values(), key=lambda row: row.history_id)
            result.conflict(describe_conflict(label or str(instance), newest, differences))
            changed = [name for name in changed if name not in kept]
            sources_differ = sources_differ and "sources" not in kept
            if not changed and not sources_differ:
                result.unchanged += 1
                return instance
    if created:
        instance = model(**lookup, **values)
    for name in changed:
        setattr(instance, name, values[name])
    if created or changed:
        instance.full_clean(validate_unique=False)
        if CHANGE_REASON.get():
            instance._change_reason = CHANGE_REASON.get()
        instance.save()
    if wanted is not None and (created or sources_differ):
        instance.sources.set(wanted)
        if not created:
            changed.append("sources")
    what = label or str(instance)
    if created:
        result.created += 1
        result.changes.append(_("create %(what)s") % {"what": what})
    elif changed:
        result.updated += 1
        result.changes.append(_("update %(what)s (%(fields)s)") % {"what": what, "fields": ", ".join(changed)})
    else:
        result.unchanged += 1
    return instance
