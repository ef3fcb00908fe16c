"""Exports of any table as CSV, XLSX or JSON, from one tablib Dataset.

Cells that begin with =, +, - or @ are neutralised with a leading apostrophe so that a spreadsheet does
not run them as formulas. Dates are written in the machine form that the importers read back
(2014-01-27, 2014-01, 2021-Q2, 2020), so an export imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _

from initiatives.dates import PartialDate

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
