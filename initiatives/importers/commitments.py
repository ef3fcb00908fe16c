"""What each key action commits to do and what should come of it: fixtures/key_action_commitments.csv.

Columns: code (the key action's code: 1, 2a, 2-dsa ...), commitment (a value of Commitment: propose, launch,
set_up, support, study, enforce, other), outcome (what should come of it, in words). The verbs are those of the
key actions' own statements, quoted on the public pages. Only these two fields are written.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from initiatives.choices import Commitment
from initiatives.models import KeyAction

from .common import upsert
from .tabular import ImportResult, Row

REQUIRED = {"code", "commitment", "outcome"}
OPTIONAL: set[str] = set()


def run(rows: list[Row], *, progress=None) -> ImportResult:
    result = ImportResult()
    actions = {action.code: action for action in KeyAction.objects.select_related("initiative")}
    for row in rows:
        action = actions.get(row.get("code"))
        if action is None:
            result.error(row.line, "code", _("No key action %(code)r.") % {"code": row.get("code")})
            continue
        if row.get("commitment") not in Commitment.values:
            result.error(row.line, "commitment", _("%(value)r is not a commitment; use one of %(known)s.") % {
                "value": row.get("commitment"), "known": ", ".join(Commitment.values)})
            continue
        outcome = " ".join(row.get("outcome").split())
        if len(outcome) > 200:
            result.error(row.line, "outcome", _("Say the outcome in at most 200 characters."))
            continue
        upsert(KeyAction, {"pk": action.pk}, {"commitment": row.get("commitment"), "outcome": outcome}, result,
               label=_("commitment of key action %(code)s") % {"code": action.code})
    return result
