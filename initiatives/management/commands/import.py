from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from initiatives.importers import KINDS, run_import
from initiatives.importers.tabular import MAX_BYTES


class Command(BaseCommand):
    help = ("Import a CSV (UTF-8) or XLSX file of infringement decisions, transposition reports or key-action "
            "events. All or nothing: one rejected row and nothing is written. Importing it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="What the file holds.")
        parser.add_argument("path", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and show what would change; write nothing.")

    def handle(self, *args, kind, path, dry_run=False, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
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
