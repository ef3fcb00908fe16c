from django.core.management.base import BaseCommand, CommandError

from initiatives.importers.real_data import load_all
from initiatives.importers.tabular import TableError


class Command(BaseCommand):
    help = ("Load the shipped, sourced data (fixtures/data). Running it again creates what is missing and changes "
            "only what no person changed since; it lists each conflict with a person's edit, which it keeps.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="Folder with the research CSV files (default: REAL_DATA_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, data_dir=None, dry_run=False, **options):
        try:
            results = load_all(data_dir, dry_run=dry_run)
        except (TableError, OSError) as error:
            raise CommandError(str(error)) from error
        failed = 0
        for part, result in results.items():
            self.stdout.write(f"{part}: {result.summary()}")
            for conflict in result.conflicts:
                self.stdout.write(f"  conflict, {part}: {conflict}")
            for error in result.errors:
                self.stderr.write(f"  {part}, {error}")
            failed += len(result.errors)
        if failed:
            raise CommandError(f"{failed} rows rejected; nothing was saved")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
