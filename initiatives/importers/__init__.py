"""Pure import functions shared by the management commands and the upload pages.

Each importer takes rows (from `tabular.read_table`) and writes through the ORM; the caller owns the
transaction and rolls it back on a dry run or when any row was rejected (all or nothing). `run_import`
is that caller for one uploaded file: the `import` command and the upload pages both go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .tabular import ImportResult, TableError, read_table


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    module_name: str

    @property
    def module(self):
        from importlib import import_module

        return import_module(f"initiatives.importers.{self.module_name}")

    @property
    def columns(self) -> list[str]:
        return self.module.COLUMNS


KINDS = {
    "infringements": Kind("infringements", gettext_lazy("infringement decisions"), "infringements"),
    "transposition": Kind("transposition", gettext_lazy("transposition reports"), "transposition"),
    "events": Kind("events", gettext_lazy("key-action events"), "events"),
    "legislation": Kind("legislation", gettext_lazy("legislative files, stage by stage"), "legislation"),
    "findings": Kind("findings", gettext_lazy("findings on articles"), "findings"),
}
# A copy of the Commission's register of infringement decisions: read by meaning, not by columns, and
# reconciled with the records (importers/register.py: run_file).
REGISTER_KIND = "register"
# What a liaison uploads: draft reports for their own Member State, through the Commission's review.
LIAISON_KIND = "liaison_transposition"


def run_import(kind: str, data: bytes, filename: str, *, dry_run: bool, member_state=None,
               progress: Callable[[int, int], None] | None = None, reason: str = "", taken_on=None,
               user=None) -> ImportResult:
    """Read and import one file in one transaction; roll it back on a dry run or on any rejected row.

    The result always carries the counts (created, updated, unchanged: what the import did or would do)
    and every rejected row; a file that cannot be read at all is one error on line 0. `member_state`
    restricts a transposition import to one Member State (a liaison's upload).
    """
    from .common import CHANGE_REASON

    if kind == REGISTER_KIND:  # a copy of the Commission's register: read by meaning, reconciled (register.py)
        from .register import run_file

        if taken_on is None:
            result = ImportResult()
            result.error(0, "", _("Give the day the copy of the register was taken."))
            return result
        return run_file(data, filename, taken_on=taken_on, dry_run=dry_run, user=user, reason=reason)
    if kind == LIAISON_KIND:
        from . import transposition as module

        required, optional, run = module.LIAISON_REQUIRED, module.LIAISON_OPTIONAL, module.run_liaison
    else:
        module = KINDS[kind].module
        required, optional, run = module.REQUIRED, module.OPTIONAL, module.run
    result = ImportResult()
    try:
        rows = read_table(data, filename, required=required, optional=optional)
    except TableError as error:
        if getattr(error, "errors", None):  # tabular.CellErrors: each cell with its line and column
            result.errors.extend(error.errors)
        else:
            result.error(0, "", str(error))
        return result
    token = CHANGE_REASON.set(reason or _("import of %(file)s") % {"file": filename})
    try:
        with transaction.atomic():
            kwargs = {"progress": progress}
            if kind in ("transposition", LIAISON_KIND):
                kwargs["member_state"] = member_state
            try:
                with transaction.atomic():
                    result = run(rows, **kwargs)
            except ValidationError as error:
                result.error(0, "", _("A row breaks a rule of the data: %(reason)s") % {
                    "reason": " ".join(error.messages)})
            except DatabaseError as error:
                result.error(0, "", _("The database refused a row: %(reason)s") % {"reason": error})
            transaction.set_rollback(dry_run or bool(result.errors))
    finally:
        CHANGE_REASON.reset(token)
    return result
