"""How much of each catalogue under LOCALE_PATHS is translated, and whether its language is offered.

A language is offered at 95% translated entries (fuzzy ones do not count): strategy_tracker/languages.py.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from strategy_tracker import languages


class Command(BaseCommand):
    help = "Print the translated share of every catalogue and whether its language is offered (95% and up)."

    def handle(self, *args, **options):
        threshold = float(languages.OFFER_THRESHOLD * 100)
        self.stdout.write(f"en  {languages.name_local('en'):<22} source language                offered")
        found = languages.coverages(settings.LOCALE_PATHS)
        for item in found:
            name = languages.name_local(item.code) if item.named else "(no name known)"
            fuzzy = f"{item.fuzzy} fuzzy" if item.fuzzy else ""
            offered = "offered" if item.offered else "not offered"
            self.stdout.write(f"{item.code:<3} {name:<22} {item.translated:>5}/{item.total:<5} {item.percent:5.1f}%  "
                              f"{fuzzy:<9} {offered}")
        self.stdout.write(f"{len(found)} catalogues; a language is offered from {threshold:.0f}% translated.")
