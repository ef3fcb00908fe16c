"""Django's makemessages with the tracker's defaults, so that every run extracts the same catalogue.

`python manage.py makemessages -a` updates every catalogue under locale/; `-l it` starts a new one. Added to
what is given: the folders never read (strategy_tracker/languages.py EXTRACT_IGNORE), no obsolete entries kept,
and locations by file without line numbers (a moved line does not change the catalogue).
"""

from django.core.management.commands import makemessages

from strategy_tracker.languages import EXTRACT_IGNORE


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), *EXTRACT_IGNORE]
        options["no_obsolete"] = True
        if not options.get("add_location"):
            options["add_location"] = "file"
        return super().handle(*args, **options)
