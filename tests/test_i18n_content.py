"""French and German readers: every user-facing string goes through gettext as one whole sentence, and
dates, numbers and names come out in the reader's language.

No catalogue is shipped yet, so a test that needs a translation adds a few entries to the active
catalogue in memory (`catalogue`): a string that does not go through gettext, or goes through it under
another msgid, keeps its English and the test fails. Month names and date formats are Django's own."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import trans_real

from initiatives.dates import DateParseError, PartialDate


@pytest.fixture
def catalogue():
    """add(language, {msgid: msgstr}) puts entries in that language's catalogue for this test only;
    a context goes in as ("context", msgid), a plural as (msgid, index)."""
    def add(language, entries):
        target = trans_real.translation(language)._catalog
        for msgid, msgstr in entries.items():
            if isinstance(msgid, tuple) and isinstance(msgid[1], str):
                msgid = f"{msgid[0]}\x04{msgid[1]}"
            target[msgid] = msgstr
    yield add
    trans_real._translations.clear()  # the next use reads the catalogues afresh


@pytest.mark.parametrize(("language", "text", "shown"), [
    ("en", "2014-01-27", "27 January 2014"),
    ("fr", "2014-01-27", "27 janvier 2014"),
    ("de", "2014-01-27", "27. Januar 2014"),
    ("en", "2014-01", "January 2014"),
    ("fr", "2014-01", "janvier 2014"),
    ("de", "2014-03", "März 2014"),
])
def test_a_date_is_shown_with_the_readers_month_names_and_format(language, text, shown):
    with translation.override(language):
        assert PartialDate.parse(text).display() == shown


def test_a_quarter_is_a_sentence_translators_can_reorder(catalogue):
    catalogue("fr", {("quarter of a year", "Q%(quarter)s %(year)s"): "%(quarter)se trimestre %(year)s"})
    catalogue("de", {("quarter of a year", "Q%(quarter)s %(year)s"): "%(quarter)s. Quartal %(year)s"})
    quarter = PartialDate.parse("2021-Q2")
    assert quarter.display() == "Q2 2021"
    with translation.override("fr"):
        assert quarter.display() == "2e trimestre 2021"
    with translation.override("de"):
        assert quarter.display() == "2. Quartal 2021"


def test_an_interval_is_one_sentence_with_both_days_in_the_readers_format(catalogue):
    catalogue("de", {"between %(first)s and %(last)s": "zwischen dem %(first)s und dem %(last)s"})
    interval = PartialDate.between(date(2020, 8, 24), date(2021, 6, 22))
    with translation.override("de"):
        assert interval.display() == "zwischen dem 24. August 2020 und dem 22. Juni 2021"


@pytest.mark.parametrize(("text", "msgid", "msgstr", "expected"), [
    ("next spring", "%(value)s is not a date; use one of these forms: %(forms)s.",
     "%(value)s n’est pas une date ; formes admises : %(forms)s.",
     "'next spring' n’est pas une date ; formes admises : YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, "
     "YYYY-MM-DD/YYYY-MM-DD."),
    ("2014-02-30", "%(value)s is not a real date (no such day in the calendar).",
     "%(value)s n’existe pas dans le calendrier.", "'2014-02-30' n’existe pas dans le calendrier."),
    ("1800-01-01", "%(value)s is outside the years %(first)s-%(last)s.",
     "%(value)s est hors des années %(first)s-%(last)s.", "'1800-01-01' est hors des années 1900-2100."),
    ("2021-06-22/2020-08-24", "%(value)s: the second day comes before the first.",
     "%(value)s : le second jour précède le premier.", "'2021-06-22/2020-08-24' : le second jour précède le premier."),
])
def test_the_reason_a_date_is_refused_is_in_the_readers_language(catalogue, text, msgid, msgstr, expected):
    """The importers and forms show these reasons as they are."""
    catalogue("fr", {msgid: msgstr})
    with translation.override("fr"), pytest.raises(DateParseError) as error:
        PartialDate.parse(text)
    assert str(error.value) == expected


PROTOCOL_ORDER = "BE BG CZ DK DE EE IE EL ES FR HR IT CY LV LT LU HU MT NL AT PL PT RO SI SK FI SE".split()
GERMAN_NAMES = {  # Interinstitutional Style Guide 7.1.2, table A, German edition
    "Belgium": "Belgien", "Bulgaria": "Bulgarien", "Czechia": "Tschechien", "Denmark": "Dänemark",
    "Germany": "Deutschland", "Estonia": "Estland", "Ireland": "Irland", "Greece": "Griechenland",
    "Spain": "Spanien", "France": "Frankreich", "Croatia": "Kroatien", "Italy": "Italien", "Cyprus": "Zypern",
    "Latvia": "Lettland", "Lithuania": "Litauen", "Luxembourg": "Luxemburg", "Hungary": "Ungarn",
    "Malta": "Malta", "Netherlands": "Niederlande", "Austria": "Österreich", "Poland": "Polen",
    "Portugal": "Portugal", "Romania": "Rumänien", "Slovenia": "Slowenien", "Slovakia": "Slowakei",
    "Finland": "Finnland", "Sweden": "Schweden"}


def test_every_stored_member_state_name_is_a_message_translators_see(db):
    from initiatives.member_state_names import SHORT_NAMES
    from initiatives.models import MemberState

    assert set(MemberState.objects.values_list("name", flat=True)) == set(SHORT_NAMES)


def test_a_member_state_is_named_in_the_readers_language(db, catalogue):
    from initiatives.models import MemberState

    catalogue("fr", {("Member State short name", "Germany"): "Allemagne"})
    germany = MemberState.objects.get(code="DE")
    with translation.override("fr"):
        assert (str(germany), germany.display_name) == ("Allemagne", "Allemagne")
    assert str(germany) == "Germany"


def test_member_states_keep_the_protocol_order_with_names_in_the_readers_language(db, catalogue):
    """The Style Guide (7.1.2) lists Member States in protocol order in every language, even where a table
    writes their names in the language of the publication: Tschechien before Dänemark, Österreich after
    Niederlande, not alphabetical."""
    from initiatives import aggregates

    catalogue("de", {("Member State short name", english): german for english, german in GERMAN_NAMES.items()})
    with translation.override("de"):
        frame = aggregates.member_state_frame()
    assert list(frame["code"]) == PROTOCOL_ORDER
    assert list(frame["name"])[:5] == ["Belgien", "Bulgarien", "Tschechien", "Dänemark", "Deutschland"]
    assert list(frame["name"]) != sorted(frame["name"])


def test_the_overview_lists_member_states_with_open_procedures_in_protocol_order(client, db):
    context = client.get("/").context
    codes = [code for code, _name in context["open_member_states"]]
    assert len(codes) > 1
    assert codes == sorted(codes, key=PROTOCOL_ORDER.index)


def test_the_facts_own_english_text_is_marked_as_english(client, db):
    """Event descriptions, the strategy's words, titles and sources exist only in English: a French or German
    page shows them as they are, marked lang="en" (so a screen reader does not read them in French)."""
    from initiatives.models import KeyAction, KeyActionEvent

    action = KeyAction.objects.filter(initiative__number=2).exclude(statement="").first()
    event = KeyActionEvent.objects.filter(key_action__initiative__number=2).first()
    html = client.get("/initiatives/2/").content.decode()
    assert f'<span lang="en">{escape(action.statement)}</span>' in html
    assert f'<span lang="en">{escape(action.short_title)}</span>' in html
    assert f'<span lang="en">{escape(event.description)}</span>' in html
    assert f'<span lang="en">{escape(action.initiative.title)}</span>' in html
    assert "<title>" in html and '<span lang="en">' not in html.split("<title>")[1].split("</title>")[0]


def test_the_marker_is_left_out_where_there_is_no_text():
    from initiatives.templatetags.tracker import in_english

    assert in_english("") == "" and in_english(None) is None
    assert in_english("<b>") == '<span lang="en">&lt;b&gt;</span>'


def test_terms_of_different_vocabularies_are_separate_messages(catalogue):
    """"unknown" as a key action's status and as a procedure's state, "closed" as a state and "closure" as a
    stage: each vocabulary has its own context, so a translator can give each its own word (and gender)."""
    from initiatives.choices import KeyActionStatus, ProcedureState, ProcedureType, Stage

    catalogue("fr", {("key action status", "unknown"): "inconnu",
                     ("infringement procedure state", "unknown"): "inconnue",
                     ("infringement stage", "letter of formal notice"): "lettre de mise en demeure",
                     ("infringement procedure type", "non-conformity"): "non-conformité"})
    with translation.override("fr"):
        assert (str(KeyActionStatus.UNKNOWN.label), str(ProcedureState.UNKNOWN.label)) == ("inconnu", "inconnue")
        assert str(Stage.LETTER_OF_FORMAL_NOTICE.label) == "lettre de mise en demeure"
        assert str(ProcedureType.NON_CONFORMITY.label) == "non-conformité"


EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}


def import_time_translations(source: str) -> list[str]:
    """The calls that translate a string when the module is imported (module level, class bodies, default
    arguments, decorators): an eager gettext there, or a lazy one forced into a str by %, .format(), str() or
    an f-string. Either freezes the string in the language active at start-up (English) for every reader."""
    tree = ast.parse(source)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            aliases.update({a.asname or a.name: a.name for a in node.names})

    def call_of(node, kinds):
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and aliases.get(node.func.id) in kinds)

    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for part in [*child.args.defaults, *child.args.kw_defaults, *getattr(child, "decorator_list", [])]:
                    if part is not None:
                        visit(ast.Module(body=[ast.Expr(part)], type_ignores=[]))
                continue  # the body runs at request time
            forced = (
                (isinstance(child, ast.BinOp) and isinstance(child.op, ast.Mod) and call_of(child.left, LAZY))
                or (isinstance(child, ast.JoinedStr) and any(
                    isinstance(v, ast.FormattedValue) and call_of(v.value, LAZY) for v in child.values))
                or (isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id == "str"
                    and child.args and call_of(child.args[0], LAZY))
                or (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
                    and child.func.attr == "format" and call_of(child.func.value, LAZY)))
            if call_of(child, EAGER) or forced:
                found.append(f"line {child.lineno}: {ast.unparse(child)[:80]}")
            visit(child)

    visit(tree)
    return found


@pytest.mark.parametrize("source", [
    "from django.utils.translation import gettext as _\nLABEL = _('Member State')",
    "from django.utils.translation import gettext as _\nclass Form:\n    label = _('Member State')",
    "from django.utils.translation import gettext_lazy as _\nTITLE = _('%(n)s items') % {'n': 2}",
    "from django.utils.translation import gettext_lazy as _\nTITLE = f\"{_('Overview')} · tracker\"",
    "from django.utils.translation import gettext\ndef f(label=gettext('x')):\n    pass",
])
def test_the_import_time_check_finds_a_string_frozen_at_start_up(source):
    assert import_time_translations(source)


def test_eager_gettext_in_a_function_runs_at_request_time_and_is_fine():
    assert not import_time_translations(
        "from django.utils.translation import gettext as _\ndef view():\n    return _('Overview')")


def test_no_module_translates_a_string_when_it_is_imported():
    """Labels, choices, verbose names and module constants must be lazy: read once at import, in English,
    they would stay English for a French or German reader."""
    root = Path(__file__).resolve().parent.parent
    problems = {
        str(path.relative_to(root)): found
        for folder in ("initiatives", "strategy_tracker")
        for path in sorted((root / folder).rglob("*.py"))
        if "migrations" not in path.parts and (found := import_time_translations(path.read_text()))}
    assert problems == {}


def test_a_register_copy_with_one_case_about_the_directive_says_is(client, db):
    from initiatives.models import RegisterCopy
    from tests.factories import RegisterCopyFactory

    RegisterCopy.objects.all().delete()
    RegisterCopyFactory(taken_on=date(2031, 6, 22), cases=12, cases_about_act=1)
    html = client.get("/about/").content.decode()
    assert "Copy of 22 June 2031: 1 of its 12 cases is about the Directive." in html


def test_the_overview_counts_bound_member_states_in_one_sentence(client, db):
    html = client.get("/").content.decode()
    assert '<span class="figure">26</span> of 27 Member States bound by Directive 2011/93/EU' in html


def test_a_feed_entrys_title_is_one_message(db, catalogue):
    """"Changed" and the record's title were glued with an f-string; French wants a space before the colon."""
    from initiatives.feeds import entries

    catalogue("fr", {"Added: %(what)s": "Ajouté : %(what)s", "Changed: %(what)s": "Modifié : %(what)s"})
    with translation.override("fr"):
        titles = [entry.title for entry in entries()]
    assert titles and all(title.startswith(("Ajouté : ", "Modifié : ")) for title in titles)


def test_a_duration_of_years_and_months_is_one_message(catalogue):
    from initiatives.tables import duration

    catalogue("fr", {"%(years)s %(months)s": "%(years)s et %(months)s",  # French has 3 plural forms in Django
                     **{("%(n)d year", i): "%(n)d ans" for i in (1, 2)},
                     **{("%(n)d month", i): "%(n)d mois" for i in (1, 2)}})
    assert duration(date(2020, 1, 1), date(2024, 3, 1)) == "4 years 2 months"
    assert duration(date(2020, 1, 1), date(2024, 1, 1)) == "4 years"
    with translation.override("fr"):
        assert duration(date(2020, 1, 1), date(2024, 3, 1)) == "4 ans et 2 mois"


def test_a_key_actions_title_in_the_timeline_table_is_marked_as_english(client, db):
    from initiatives.models import KeyAction

    action = KeyAction.objects.order_by("initiative__number", "code").first()
    html = client.get("/timeline/").content.decode()
    assert f'{action.get_absolute_url()}"><span lang="en">{escape(action.short_title)}</span></a>' in html


def test_a_dates_precision_is_its_own_message(catalogue):
    """"day" as a date's precision is not "day" as a unit of time ("2 days late")."""
    from initiatives.dates import Precision

    catalogue("de", {("date precision", "day"): "auf den Tag genau"})
    with translation.override("de"):
        assert str(Precision.DAY.label) == "auf den Tag genau"


def test_search_names_a_member_state_in_the_readers_language(db, catalogue):
    from initiatives.search import KINDS, search

    catalogue("fr", {("Member State short name", "Germany"): "Allemagne"})
    member_states = [kind for kind in KINDS if kind.key == "member_states"]
    with translation.override("fr"):
        groups = search("Germany", member_states)
    assert [hit.title for group in groups for hit in group.hits] == ["Allemagne"]
    assert member_states[0].order_by == ("protocol_order",)


def test_the_deadlines_filter_names_member_states_in_the_readers_language(db, catalogue):
    from initiatives.models import Initiative, MemberState
    from initiatives.views.deadlines import DeadlineFilterForm

    catalogue("de", {("Member State short name", "Greece"): "Griechenland"})
    with translation.override("de"):
        form = DeadlineFilterForm(member_states=MemberState.objects.order_by("protocol_order"),
                                  initiatives=Initiative.objects.all())
        choices = dict(form.fields["member_state"].choices)
    assert choices["EL"] == "EL Griechenland"


@pytest.mark.django_db
def test_english_facts_on_french_pages_are_marked_english_where_they_were_not(client):
    """Found reading /fr/ pages: a decision's note written by the register's importer, the Directive's article
    titles in a country's table, the strategy's worded deadlines and its initiative titles in the timeline's
    filter were English text claimed as French."""
    page = client.get("/fr/member-states/FR/").content.decode()
    assert re.search(r'<span lang="en">Not listed among the active cases', page)
    assert re.search(r'Art\. 6 <span lang="en">Solicitation of children', page)
    timeline = client.get("/fr/timeline/").content.decode()
    assert re.search(r'<option value="1" lang="en">1\. Ensure complete implementation', timeline)
    assert '<span lang="en">as a matter of priority</span>' in timeline
    # A source's title, linked to it, is the source's own words too.
    assert re.search(r'<a href="https://www\.djb\.de/[^"]*" rel="noopener noreferrer" lang="en">',
                     client.get("/fr/member-states/DE/").content.decode())


def test_each_language_gets_its_own_chart_locale_whatever_was_served_before(client, db):
    """The chart pages' #plotly-locale is built once per language and process: a French page served first
    must not give an English or German reader French month names."""
    def locale(path):
        page = client.get(path).content.decode()
        found = re.search(r'<script id="plotly-locale" type="application/json">(.*?)</script>', page, re.S)
        assert found, f"{path} has no chart locale"
        return found[1]

    for path, month, separator in [("/fr/", "janvier", '"decimal": ","'), ("/", "January", '"decimal": "."'),
                                   ("/de/timeline/", "Januar", '"decimal": ","'), ("/timeline/", "January", None)]:
        script = locale(path)
        assert f'"{month}"' in script, path
        if separator:
            assert separator in script, path
