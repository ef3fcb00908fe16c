"""French and German readers: every user-facing string goes through gettext as one whole sentence, and
dates, numbers and names come out in the reader's language.

No catalogue is shipped yet, so a test that needs a translation adds a few entries to the active
catalogue in memory (`catalogue`): a string that does not go through gettext, or goes through it under
another msgid, keeps its English and the test fails. Month names and date formats are Django's own."""

from datetime import date

import pytest
from django.utils import translation
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
