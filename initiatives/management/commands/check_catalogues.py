"""CI's check of the catalogues (`make check`): fails when

- `makemessages` would change a catalogue's entries (a string marked in the code or a template but not in the
  catalogue, or an entry nothing marks any more): msgids, plurals and contexts are compared, never dates or
  locations;
- a language that must be complete (COMPLETE: French and German, the Commission's working languages) has an
  untranslated or fuzzy entry. Each is listed.

Compiling them (`manage.py compilemessages`, which `make install` runs) is the third check.
"""

import shutil
import tempfile
from contextlib import chdir
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from strategy_tracker import languages

COMPLETE = ("fr", "de")
SHOWN = 25  # entries listed per problem; the count says how many there are


def identity(entry: polib.POEntry) -> tuple:
    return entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""


def describe(key: tuple) -> str:
    context, msgid, plural = key
    text = (f"[{context}] " if context else "") + msgid + (f" / {plural}" if plural else "")
    return repr(text if len(text) <= 100 else text[:97] + "...")


def extracted(base_dir: Path) -> set[tuple]:
    """The entries `makemessages` would write today, extracted from a copy of the project (the catalogues
    themselves are never touched)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(base_dir, copy, ignore=shutil.ignore_patterns(
            ".git", "locale", "__pycache__", "*.mo", "*.sqlite3", *languages.EXTRACT_IGNORE))
        (copy / "locale").mkdir()
        with chdir(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["fr"], verbosity=0)
        catalogue = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / f"{languages.DOMAIN}.po"))
        return {identity(entry) for entry in catalogue if not entry.obsolete}


class Command(BaseCommand):
    help = "Fail when makemessages would change a catalogue, or French or German lacks a translation."

    def handle(self, *args, **options):
        problems = 0
        wanted = extracted(Path(settings.BASE_DIR))
        paths = languages.catalogue_paths(settings.LOCALE_PATHS)
        for code, path in sorted(paths.items()):
            entries = {identity(entry) for entry in polib.pofile(str(path)) if not entry.obsolete}
            for label, keys in (("marked but not in the catalogue", wanted - entries),
                                ("in the catalogue but marked nowhere", entries - wanted)):
                if keys:
                    problems += 1
                    self.stderr.write(f"{code}: {len(keys)} {label} (run `manage.py makemessages -a`):")
                    for key in sorted(keys)[:SHOWN]:
                        self.stderr.write(f"    {describe(key)}")
        for code in COMPLETE:
            if code not in paths:
                problems += 1
                self.stderr.write(f"{code}: no catalogue (run `manage.py makemessages -l {code}`)")
                continue
            missing = languages.untranslated(paths[code])
            if missing:
                problems += 1
                fuzzy = sum(1 for entry in missing if entry.fuzzy)
                self.stderr.write(f"{code}: {len(missing) - fuzzy} untranslated and {fuzzy} fuzzy entries:")
                for entry in missing[:SHOWN]:
                    self.stderr.write(f"    {'fuzzy ' if entry.fuzzy else ''}{describe(identity(entry))}")
        if problems:
            raise CommandError(f"{problems} problems with the catalogues (listed above)")
        self.stdout.write(f"{len(paths)} catalogues match the marked strings ({len(wanted)} entries); "
                          f"{', '.join(COMPLETE)} complete.")
