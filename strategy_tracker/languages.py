"""Which languages the tracker offers: English, and every language whose catalogue is translated enough.

The rule, in one place (settings.LANGUAGES and `manage.py translation_coverage` both read it): a language is
offered when its catalogue `<locale path>/<code>/LC_MESSAGES/django.po` has at least OFFER_THRESHOLD of its
entries translated (a fuzzy entry is not translated). English is the language of the source strings and is
always offered, first. Each language is named in itself (Django's LANG_INFO `name_local`). Adding a language
is adding a catalogue: nothing in code or templates.

Imported by settings.py: it reads files only, never Django's settings or apps.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import polib
from django.conf import locale as django_locale
from django.utils.translation import to_language

SOURCE_LANGUAGE = "en"
OFFER_THRESHOLD = Fraction(95, 100)
DOMAIN = "django"  # no djangojs: the JavaScript (charts.js, as_of.js) shows no text of its own
# What `manage.py makemessages` never reads (initiatives/management/commands/makemessages.py adds these).
EXTRACT_IGNORE = [".venv", "staticfiles", "bench-results", "tests", "screenshots"]

# Official EU languages that Django does not name itself (Django ships no Maltese locale).
EXTRA_LANG_INFO = {
    "mt": {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"},
}
for _code, _info in EXTRA_LANG_INFO.items():
    django_locale.LANG_INFO.setdefault(_code, _info)


@dataclass(frozen=True)
class Coverage:
    """How much of one catalogue is translated."""

    code: str  # Django's language code: "fr", "pt-br"
    path: Path
    translated: int
    fuzzy: int
    total: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.translated, self.total) if self.total else Fraction(0)

    @property
    def percent(self) -> float:
        return float(self.share * 100)

    @property
    def named(self) -> bool:
        return self.code in django_locale.LANG_INFO

    @property
    def offered(self) -> bool:
        return self.total > 0 and self.named and self.share >= OFFER_THRESHOLD


def name_local(code: str) -> str:
    return django_locale.LANG_INFO[code]["name_local"]


def catalogue_paths(locale_paths) -> dict[str, Path]:
    """Every catalogue under the locale paths, by language code (the first locale path holding it wins)."""
    found: dict[str, Path] = {}
    for root in map(Path, locale_paths):
        for po in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            code = to_language(po.parent.parent.name)
            if code != SOURCE_LANGUAGE:
                found.setdefault(code, po)
    return found


def coverage(code: str, path: Path) -> Coverage:
    catalogue = polib.pofile(str(path))
    entries = [entry for entry in catalogue if not entry.obsolete]
    translated = sum(1 for entry in entries if entry.translated())
    fuzzy = sum(1 for entry in entries if entry.fuzzy)
    return Coverage(code=code, path=path, translated=translated, fuzzy=fuzzy, total=len(entries))


def coverages(locale_paths) -> list[Coverage]:
    return [coverage(code, path) for code, path in sorted(catalogue_paths(locale_paths).items())]


def offered_languages(locale_paths) -> list[tuple[str, str]]:
    """settings.LANGUAGES: English first, then each sufficiently translated language, named in itself."""
    offered = [(item.code, name_local(item.code)) for item in coverages(locale_paths) if item.offered]
    return [(SOURCE_LANGUAGE, name_local(SOURCE_LANGUAGE)), *offered]


def untranslated(path: Path) -> list[polib.POEntry]:
    """The entries of a catalogue that are not translated or are fuzzy, in file order."""
    entries = polib.pofile(str(path))
    return [entry for entry in entries if not entry.obsolete and (entry.fuzzy or not entry.translated())]
