"""Exports of any table as CSV, XLSX or JSON, from one tablib Dataset.

Cells that begin with =, +, - or @ are neutralised with a leading apostrophe so that a spreadsheet does
not run them as formulas; control characters (initiatives/text.py), which XLSX cannot hold, are left out.
Dates are written in the machine form that the importers read back
(2014-01-27, 2014-01, 2021-Q2, 2020), so an export imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _

from initiatives.dates import PartialDate
from initiatives.text import strip_control_characters

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value safe to open in a spreadsheet."""
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    value = strip_control_characters(value)
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def build_dataset(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "data") -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(headers), title=title[:31])
    for row in rows:
        dataset.append([neutralise(value) for value in row])
    return dataset


def render(dataset: tablib.Dataset, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(_("Unknown export format %(fmt)r; use csv, xlsx or json.") % {"fmt": fmt})
    if fmt == "csv":
        return dataset.export("csv").encode("utf-8")
    if fmt == "xlsx":
        return dataset.export("xlsx")
    return dataset.export("json").encode("utf-8")


def response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """An attachment download of `dataset` in `fmt` (csv, xlsx or json)."""
    content = render(dataset, fmt)
    reply = HttpResponse(content, content_type=FORMATS[fmt])
    reply["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return reply


# --- The three importable tables, in their import format -------------------------------------------------
# An export of any of them imports back unchanged (`python manage.py import KIND FILE`): the columns and the
# row building live beside each importer (initiatives/importers/*.py), so format and reader cannot drift.

def infringement_dataset(decisions, *, with_ids: bool = False) -> tablib.Dataset:
    """`decisions` (a Decision queryset) in the import format of infringements.csv."""
    from initiatives.importers import infringements

    decisions = decisions.select_related("procedure__member_state", "procedure__legal_act").prefetch_related(
        "sources", "procedure__articles").order_by("procedure__member_state__protocol_order", "procedure_id",
                                                   "position")
    headers = infringements.COLUMNS + (["procedure_id", "position"] if with_ids else [])
    return build_dataset(headers, infringements.export_rows(decisions, with_ids=with_ids), title="infringements")


def event_dataset(key_actions) -> tablib.Dataset:
    """The events of `key_actions` (a KeyAction queryset) in the import format of key_actions_timeline.csv."""
    from django.db.models import Prefetch

    from initiatives.importers import events
    from initiatives.models import KeyActionEvent

    key_actions = key_actions.select_related("initiative").prefetch_related(
        Prefetch("events", queryset=KeyActionEvent.objects.published().prefetch_related("sources")
                 .order_by("date", "id")))
    return build_dataset(events.COLUMNS, events.export_rows(key_actions), title="events")


def transposition_dataset(reports) -> tablib.Dataset:
    """`reports` (a TranspositionReport queryset) in the transposition import format."""
    from initiatives.importers import transposition

    reports = reports.select_related("member_state", "article__legal_act").prefetch_related(
        "sources", "measures").order_by("member_state__protocol_order", "article__number")
    return build_dataset(transposition.COLUMNS, transposition.export_rows(reports), title="transposition")
