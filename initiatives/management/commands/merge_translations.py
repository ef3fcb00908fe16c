"""Fill a catalogue's empty entries from a translator's JSON file; never overwrite a translation already there.

    python manage.py merge_translations fr fr-part1.out.json fr-part2.out.json

Each file is a JSON list of {"key": ..., "msgstr": ...} or {"key": ..., "msgstr_plural": [singular, plural]};
the key is the msgid, or msgctxt + "\\x04" + msgid. A key the catalogue does not hold is counted and skipped.
"""

import json
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

from strategy_tracker.languages import DOMAIN


def entry_key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def merge(catalogue: polib.POFile, items: list[dict]) -> dict[str, int]:
    """Fill empty entries from `items`; return how many were filled, already translated, unknown, unusable."""
    entries = {entry_key(entry): entry for entry in catalogue if not entry.obsolete}
    counts = {"filled": 0, "kept": 0, "unknown": 0, "unusable": 0}
    for item in items:
        entry = entries.get(item.get("key"))
        if entry is None:
            counts["unknown"] += 1
            continue
        if entry.msgid_plural:
            forms = item.get("msgstr_plural")
            if not (isinstance(forms, list) and forms and all(isinstance(f, str) and f for f in forms)):
                counts["unusable"] += 1
                continue
            if any(entry.msgstr_plural.values()) and "fuzzy" not in entry.flags:
                counts["kept"] += 1
                continue
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            text = item.get("msgstr")
            if not (isinstance(text, str) and text):
                counts["unusable"] += 1
                continue
            if entry.msgstr and "fuzzy" not in entry.flags:
                counts["kept"] += 1
                continue
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        counts["filled"] += 1
    return counts


class Command(BaseCommand):
    help = "Fill a catalogue's untranslated entries from translators' JSON files (never overwrites)."

    def add_arguments(self, parser):
        parser.add_argument("language", help="language code of the catalogue under locale/, e.g. fr")
        parser.add_argument("files", nargs="+", type=Path, help="JSON files of translations")

    def handle(self, *args, language, files, **options):
        path = Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            raise CommandError(f"No catalogue at {path}: create it with `manage.py makemessages -l {language}`.")
        items = []
        for file in files:
            try:
                loaded = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"{file}: {error}; nothing was merged") from error
            if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
                raise CommandError(f"{file}: not a JSON list of objects; nothing was merged")
            items += loaded
        catalogue = polib.pofile(str(path))
        counts = merge(catalogue, items)
        catalogue.metadata["Language"] = language
        catalogue.metadata_is_fuzzy = False
        catalogue.save()
        self.stdout.write(f"{path}: {counts['filled']} filled, {counts['kept']} already translated (kept), "
                          f"{counts['unknown']} not in the catalogue, {counts['unusable']} empty or malformed")
