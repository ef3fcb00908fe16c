from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from initiatives.importers import KINDS, REGISTER_KIND, run_import
from initiatives.importers.tabular import MAX_BYTES


class Command(BaseCommand):
    help = ("Import a CSV (UTF-8) or XLSX file of infringement decisions, transposition reports or key-action "
            "events. All or nothing: one rejected row and nothing is written. Importing it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted([*KINDS, REGISTER_KIND]),
                            help="What the file holds (register: a copy of the Commission's register of "
                                 "infringement decisions, JSON, CSV or XLSX; give --taken-on).")
        parser.add_argument("--taken-on", type=str, default="",
                            help="register only: the day the copy was made, YYYY-MM-DD.")
        parser.add_argument("path", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and show what would change; write nothing.")

    def handle(self, *args, kind, path, dry_run=False, taken_on="", **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if kind == REGISTER_KIND:
            return self.register(path, taken_on, dry_run, options.get("verbosity", 1))
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: the file is {path.stat().st_size} bytes; the limit is {MAX_BYTES} bytes.")
        data = path.read_bytes()
        verbose = options.get("verbosity", 1) >= 1

        def progress(done, total):
            if verbose and (done == total or done % 500 == 0):
                self.stdout.write(f"  checked {done} of {total} rows")

        result = run_import(kind, data, path.name, dry_run=dry_run, progress=progress)
        for error in result.errors:
            self.stderr.write(f"{path.name}: {error}" if error.line else f"{path.name}: {error.message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} problems found; nothing was saved.")
        if verbose and options.get("verbosity", 1) >= 2:
            for change in result.changes:
                self.stdout.write(f"  {change}")
        self.stdout.write(result.summary())
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")

    def register(self, path, taken_on, dry_run, verbosity):
        from datetime import date

        try:
            day = date.fromisoformat(taken_on)
        except ValueError:
            raise CommandError("--taken-on YYYY-MM-DD is required for a copy of the register: the day the copy "
                               "was made.") from None
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: the file is {path.stat().st_size} bytes; the limit is {MAX_BYTES} bytes.")
        result = run_import(REGISTER_KIND, path.read_bytes(), path.name, taken_on=day, dry_run=dry_run,
                            reason=f"import of {path.name} (register copy of {day.isoformat()})")
        for warning in result.warnings:
            self.stdout.write(f"{path.name}: note: {warning}")
        for error in result.errors:
            self.stderr.write(f"{path.name}: {error}" if error.line else f"{path.name}: {error.message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} problems found; nothing was saved.")
        if verbosity >= 1:
            for title, items in result.section_list():
                self.stdout.write(f"{title} ({len(items)}):")
                for item in items:
                    self.stdout.write(f"  {item}")
        self.stdout.write(result.summary())
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
