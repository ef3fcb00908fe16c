"""Small pieces every importer shares: reading a confidence, a date, a list of sources; an upsert."""

from __future__ import annotations

import re
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext as _

from initiatives.choices import Confidence
from initiatives.dates import DateParseError, PartialDate
from initiatives.models import Source, split_citations

from .tabular import ImportResult, Row

# The history reason recorded on every row an import writes ("import of infringements.csv"); set by
# `initiatives.importers.run_import` for the length of one import.
CHANGE_REASON: ContextVar[str] = ContextVar("import_change_reason", default="")
# 03/04/2014, 3.4.2014, 04-03-2014: day and month cannot be told apart.
AMBIGUOUS_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


def read_member_state(row: Row, member_states: dict, result: ImportResult):
    """The bound Member State a row's `member_state_code` names (GR is read as EL); None after an error."""
    code = row.get("member_state_code").upper()
    member_state = member_states.get("EL" if code == "GR" else code)
    if member_state is None:
        result.error(row.line, "member_state_code", _("%(value)r is not an EU Member State code.") % {
            "value": row.get("member_state_code")})
    elif not member_state.bound_by_directive:
        result.error(row.line, "member_state_code", _("%(name)s is not bound by the Directive.") % {
            "name": member_state.name})
        return None
    return member_state


def read_confidence(row: Row, column: str, result: ImportResult) -> str | None:
    value = row.get(column).lower()
    if value not in Confidence.values:
        result.error(row.line, column, _("%(value)r is not a confidence; use high, medium or low.") % {
            "value": row.get(column)})
        return None
    return value


def read_date(row: Row, column: str, result: ImportResult, *, required: bool) -> PartialDate | None | bool:
    """A PartialDate; None when empty and allowed; False (after recording an error) when bad."""
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
        return PartialDate.parse(raw)
    except DateParseError as error:
        result.error(row.line, column, str(error))
        return False


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
           citations: list[str] | None = None, label: str = "") -> models.Model:
    """Create or update one row by its natural key; count it as created, updated or unchanged."""
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    changed = []
    if created:
        instance = model(**lookup, **values)
    else:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        for name in changed:
            setattr(instance, name, values[name])
    if created or changed:
        instance.full_clean(validate_unique=False)
        if CHANGE_REASON.get():
            instance._change_reason = CHANGE_REASON.get()
        instance.save()
    if citations is not None:
        wanted = {Source.objects.get_or_create_from_citation(c).pk for c in citations}
        if created or set(instance.sources.values_list("pk", flat=True)) != wanted:
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
