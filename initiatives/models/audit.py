"""The audit trail, read back: version tokens, readable diffs and "last changed" for the public pages.

Every tracked model keeps its history with django-simple-history (who, when, old and new values, an
optional reason). The newest history row of a record doubles as its version token: a form carries it in
a hidden field, and a save that finds a newer row refuses to overwrite (see services.EditConflict).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

from initiatives.dates import PartialDate

# Fields the diff never shows: bookkeeping, not content.
HIDDEN_FIELDS = {"id", "position", "import_key"}


def history_model(model):
    return model.history.model


def current_version(instance) -> int:
    """The id of the newest history row of `instance` (0 when it has none): the edit token."""
    if instance.pk is None:
        return 0
    return (history_model(type(instance)).objects.filter(id=instance.pk).order_by("-history_id")
            .values_list("history_id", flat=True).first()) or 0


def last_changed_subquery(model):
    rows = history_model(model).objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return Subquery(rows.values("history_date")[:1], output_field=models.DateTimeField())


class LastChangedQuerySetMixin:
    """`with_last_changed()` annotates `last_changed`, the time of the newest history row, in the same query."""

    def with_last_changed(self):
        return self.annotate(last_changed=last_changed_subquery(self.model))


def last_changed(instance) -> datetime | None:
    """When `instance` last changed (its newest history row), or None if no change was recorded."""
    if instance.pk is None:
        return None
    return (history_model(type(instance)).objects.filter(id=instance.pk).order_by("-history_date")
            .values_list("history_date", flat=True).first())


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    """One history row, made readable: who, when, what kind of change, why, and field by field."""

    history_id: int
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[FieldChange]


KIND_LABELS = {"+": "created", "~": "changed", "-": "deleted"}


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since: show its name
        return name


def _readable(model, record, name: str, value) -> str:
    """A value as a person reads it: choice labels, dates to their precision, related objects by name."""
    if value in (None, ""):
        return "—"
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return str(value)
    if field.many_to_many:
        target = field.related_model
        key = f"{target._meta.model_name}"
        ids = [row.get(key) for row in value if isinstance(row, dict)]
        names = [str(obj) for obj in target.objects.filter(pk__in=ids)]
        return "; ".join(sorted(names)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = field.related_model
        obj = target.objects.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return PartialDate.of(record, name).display()
        except ValueError:
            return str(value)
    return str(value)


def revisions(model, pk, *, exclude: dict | None = None) -> list[Revision]:
    """Every history row of one record, newest first, each with its field-by-field differences (to the row
    before it that is shown: `exclude` leaves rows out, e.g. a liaison's drafts for staff)."""
    rows = list(history_model(model).objects.filter(id=pk).exclude(**(exclude or {})).select_related("history_user")
                .order_by("history_date", "history_id"))
    result = []
    previous = None
    for record in rows:
        changes = []
        if record.history_type == "-":
            pass
        elif previous is None:
            for field in model._meta.get_fields():
                name = field.name
                if (not getattr(field, "editable", False) or name in HIDDEN_FIELDS or field.auto_created
                        or name.endswith("_precision") or (field.one_to_many or field.one_to_one)):
                    continue
                if field.many_to_many:
                    if name not in {f.name for f in record._history_m2m_fields}:
                        continue
                    value = list(getattr(record, name).values())
                else:
                    value = getattr(record, field.attname, None)
                text = _readable(model, record, name, value)
                if text != "—":
                    changes.append(FieldChange(_label(model, name), "", text))
        else:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                name = change.field
                if name.endswith("_precision") and name[: -len("_precision")] in delta.changed_fields:
                    continue  # shown with its date
                if name.endswith("_precision"):
                    name = name[: -len("_precision")]
                    old = _readable(model, previous, name, getattr(previous, name, None))
                    new = _readable(model, record, name, getattr(record, name, None))
                else:
                    old = _readable(model, previous, name, change.old)
                    new = _readable(model, record, name, change.new)
                if old != new:
                    changes.append(FieldChange(_label(model, name), old, new))
        user = record.history_user
        result.append(Revision(
            history_id=record.history_id, when=record.history_date,
            who=user.get_username() if user else gettext("system (import or command)"),
            kind=record.history_type, reason=record.history_change_reason or "", changes=changes))
        if record.history_type != "-":
            previous = record
    result.reverse()
    return result


def changes_since(instance, version: int) -> list[Revision]:
    """The revisions of `instance` newer than the history row `version`, newest first."""
    return [revision for revision in revisions(type(instance), instance.pk) if revision.history_id > version]
