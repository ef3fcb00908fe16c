from datetime import date

import pytest

from initiatives.dates import DateParseError, PartialDate, Precision


@pytest.mark.parametrize(("text", "value", "precision", "shown"), [
    ("2014-01-27", date(2014, 1, 27), Precision.DAY, "27 January 2014"),
    ("2014-01", date(2014, 1, 1), Precision.MONTH, "January 2014"),
    ("2021-Q2", date(2021, 4, 1), Precision.QUARTER, "Q2 2021"),
    ("2020", date(2020, 1, 1), Precision.YEAR, "2020"),
])
def test_a_date_keeps_its_precision_from_text_to_display_and_back(text, value, precision, shown):
    parsed = PartialDate.parse(text)
    assert (parsed.value, parsed.precision) == (value, precision)
    assert parsed.display() == shown
    assert PartialDate.parse(parsed.isoformat()) == parsed


def test_a_month_is_never_shown_as_its_first_day():
    assert "1 January" not in PartialDate.parse("2014-01").display()


@pytest.mark.parametrize(("text", "end"), [
    ("2024-02", date(2024, 2, 29)),   # leap year
    ("2023-02", date(2023, 2, 28)),
    ("2021-Q2", date(2021, 6, 30)),
    ("2020-Q4", date(2020, 12, 31)),
    ("2020", date(2020, 12, 31)),
    ("2015-07-16", date(2015, 7, 16)),
])
def test_the_end_of_a_period_is_its_last_day(text, end):
    assert PartialDate.parse(text).end == end


@pytest.mark.parametrize("text", ["", "2014-13", "2014-02-30", "14/01/2014", "2014-1", "January 2014",
                                  "2014-Q5", "1800-01-01", "2014-01-01T00:00"])
def test_a_bad_or_ambiguous_date_is_refused_with_a_reason(text):
    with pytest.raises(DateParseError) as error:
        PartialDate.parse(text)
    assert str(error.value)


def test_a_month_is_not_certainly_before_a_day_inside_it():
    month, day = PartialDate.parse("2014-01"), PartialDate.parse("2014-01-27")
    assert not month.certainly_before(day)
    assert not day.certainly_before(month)
    assert month.certainly_before(PartialDate.parse("2014-02-01"))


def test_a_partial_date_must_start_its_period():
    with pytest.raises(ValueError):
        PartialDate(date(2014, 1, 27), Precision.MONTH)


def test_the_api_schema_names_the_precision_values_once_whatever_the_precision_labels():
    """The settings name the precisions' enum by its values: adding "between" (labelled "between two days")
    must keep one PrecisionEnum, not one enum per field (check --deploy fails on drf-spectacular's warning)."""
    from django.conf import settings

    from initiatives.dates import Precision

    assert settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["PrecisionEnum"] == Precision.values


def test_a_day_formatted_once_reads_in_each_language_as_its_own():
    """format_day remembers a day's form per language: after English, French and German still get theirs."""
    from django.utils import translation

    from initiatives.dates import format_day

    day = date(2014, 1, 27)
    forms = {}
    for _round in range(2):
        for language in ("en", "fr", "de"):
            with translation.override(language):
                forms.setdefault(language, set()).add((format_day(day), format_day(day, "YEAR_MONTH_FORMAT")))
    assert forms == {"en": {("27 January 2014", "January 2014")}, "fr": {("27 janvier 2014", "janvier 2014")},
                     "de": {("27. Januar 2014", "Januar 2014")}}
