"""Load the shipped, sourced data in order, through the same importers a user's upload uses."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import commitments, events, findings, infringements, legislation, reference
from .common import CHANGE_REASON, LOADER_REASON
from .events import KEY_ACTION_COLUMNS
from .tabular import ImportResult, read_table


def load_all(data_dir: Path | None = None, *, dry_run: bool = False) -> dict[str, ImportResult]:
    """Load everything in one transaction; nothing is written if any part has an error.

    Every write is recorded in the history as the loader's (LOADER_REASON). Loading again creates what is
    missing and changes only what no person changed since (common.loader_may_change); each result's
    `conflicts` lists where the shipped data and a person's edit disagree (the edit is kept).
    """
    data_dir = Path(data_dir or settings.REAL_DATA_DIR)
    text = Path(settings.STRATEGY_TEXT_PATH).read_text(encoding="utf-8")
    key_actions = settings.BASE_DIR / "fixtures" / "key_actions.csv"

    def table(path: Path, required: set[str], optional: set[str] = frozenset()):
        return read_table(path.read_bytes(), path.name, required=required, optional=optional)

    results: dict[str, ImportResult] = {}
    token = CHANGE_REASON.set(LOADER_REASON)
    try:
        return _load(results, table, data_dir, text, key_actions, dry_run)
    finally:
        CHANGE_REASON.reset(token)


def _load(results, table, data_dir, text, key_actions, dry_run):
    with transaction.atomic():
        results["member states"] = reference.load_member_states(
            table(data_dir / "member_states.csv", {"code", "iso_alpha2", "iso_alpha3", "name_en", "eu_accession_year"}))
        results["directive and articles"] = reference.load_directive(
            table(data_dir / "directive_articles.csv", {"article", "title", "group", "known_lagging", "source"}))
        results["strategy, initiatives and key actions"] = reference.load_strategy(
            text, table(key_actions, {"initiative_number", "code", "timeline_key"}, KEY_ACTION_COLUMNS))
        results["key action events"] = events.run(
            table(data_dir / "key_actions_timeline.csv", events.REQUIRED, events.OPTIONAL))
        results["infringement decisions"] = infringements.run(
            table(data_dir / "infringements.csv", infringements.REQUIRED, infringements.OPTIONAL))
        results["copies of the Commission's register"] = load_register_copies(data_dir / "register")
        results["findings on articles"] = findings.run(
            table(data_dir / "article_findings.csv", findings.REQUIRED, findings.OPTIONAL))
        results["key action commitments"] = commitments.run(
            table(key_actions.parent / "key_action_commitments.csv", commitments.REQUIRED, commitments.OPTIONAL))
        results["legislative files"] = legislation.run(
            table(data_dir / "legislative_procedures.csv", legislation.REQUIRED, legislation.OPTIONAL))
        if dry_run or any(result.errors for result in results.values()):
            transaction.set_rollback(True)
    return results


REGISTER_COPY_NAME = re.compile(r"^register_(\d{4}-\d{2}-\d{2})\.(json|csv|xlsx)$")


def load_register_copies(folder: Path) -> ImportResult:
    """The shipped copies of the Commission's register, oldest first, through the importer an upload uses.
    The day each copy was taken is in its file name (register_2024-04-24.json); a copy already imported
    (same SHA-256) changes nothing."""
    from datetime import date

    from .register import run_file

    total = ImportResult()
    if not folder.is_dir():
        return total
    for path in sorted(folder.iterdir()):
        match = REGISTER_COPY_NAME.match(path.name)
        if match is None:
            continue
        total.add(run_file(path.read_bytes(), path.name, taken_on=date.fromisoformat(match[1]), dry_run=False))
    return total
