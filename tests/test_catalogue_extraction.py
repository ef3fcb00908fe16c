"""Every message the Python code marks reaches the catalogues, whatever name the code imported gettext under.

xgettext knows gettext, ngettext, pgettext, _ and their lazy forms; it does not know an alias such as
`gettext as _g`. Seventeen modules once imported gettext so, and 101 of their messages (the state of a procedure,
what the overview's figures rest on, staff messages) were never extracted: French and German readers saw them in
English while the catalogues passed every check."""

import ast
from pathlib import Path

import polib
from django.conf import settings

TRANSLATION_FUNCTIONS = {"gettext": 0, "gettext_lazy": 0, "gettext_noop": 0, "ngettext": 0, "ngettext_lazy": 0,
                         "pgettext": 1, "pgettext_lazy": 1, "npgettext": 1, "npgettext_lazy": 1}
SOURCES = ("initiatives", "strategy_tracker")


def marked_messages(path: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every call, in one module, of a django.utils.translation function by any name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in TRANSLATION_FUNCTIONS:
                    names[alias.asname or alias.name] = alias.name
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            position = TRANSLATION_FUNCTIONS[names[node.func.id]]
            args = node.args
            if len(args) > position and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                            for a in args[:position + 1]):
                context = args[0].value if position else ""
                found.add((context, args[position].value))
    return found


def python_files():
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_message_marked_in_python_is_in_the_french_and_german_catalogues():
    base = Path(settings.BASE_DIR)
    for code in ("fr", "de"):
        catalogue = polib.pofile(str(base / "locale" / code / "LC_MESSAGES" / "django.po"))
        extracted = {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}
        missing = sorted({(str(path.relative_to(base)), message) for path in python_files()
                          for message in marked_messages(path) if message not in extracted})
        assert missing == [], f"{code}: marked in the code but not in the catalogue: {missing[:10]}"


def test_the_check_sees_a_message_marked_through_an_alias(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text('from django.utils.translation import gettext as _g, pgettext as pg\n'
                      'A = _g("through an alias")\nB = pg("ctx", "with a context")\n', encoding="utf-8")
    assert marked_messages(module) == {("", "through an alias"), ("ctx", "with a context")}


def test_a_french_reader_reads_what_the_open_procedures_rest_on_in_french():
    from datetime import date

    from django.utils import translation

    from initiatives import state

    with translation.override("fr"):
        said = state.Basis(date(2024, 4, 24), decisions_since=False).describe()
    assert "listed" not in said and "registre de la Commission" in said and "24 avril 2024" in said


def test_the_overviews_tiles_agree_with_their_figure_in_french():
    from django.utils import translation

    from initiatives.choices import KeyActionStatus
    from initiatives.views.public import headline_label

    with translation.override("fr"):
        assert headline_label(KeyActionStatus.DELIVERED_LATE, 1) == "réalisée en retard"
        assert headline_label(KeyActionStatus.DELIVERED_LATE, 4) == "réalisées en retard"
