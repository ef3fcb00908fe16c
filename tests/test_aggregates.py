"""The pure transforms of aggregates.py, on frames built by hand: no database."""

from datetime import date

import pandas as pd

from initiatives import aggregates
from initiatives.aggregates import NO_PROCEDURE, NO_RECORD, NOT_BOUND


def actions(*rows):
    defaults = {"id": 0, "initiative": 1, "initiative_title": "One", "code": "1", "short_title": "x",
                "status": "unknown", "is_context_commitment": False, "deadline": None, "deadline_precision": "",
                "date": None, "date_precision": "day", "last_verified": None}
    return pd.DataFrame([{**defaults, "id": i, **row} for i, row in enumerate(rows, start=1)],
                        columns=aggregates.KEY_ACTION_COLUMNS)


def decisions(*rows):
    keys = ["procedure_id", "member_state", "stage", "date"]
    frame = pd.DataFrame([dict(zip(keys, row, strict=True)) for row in rows])
    frame["type"], frame["infr_number"], frame["position"], frame["date_precision"] = "non_conformity", None, 1, "day"
    frame["date_latest"] = frame["date"]
    return frame[aggregates.DECISION_COLUMNS]


def test_headline_counts_key_actions_and_leaves_context_commitments_out():
    frame = actions({"status": "delivered", "deadline": date(2021, 1, 1), "deadline_precision": "year"},
                    {"status": "delivered_late"}, {"status": "in_progress"},
                    {"status": "stalled"}, {"status": "delivered", "is_context_commitment": True})
    counts = aggregates.headline_counts(frame)
    assert (counts["delivered"], counts["delivered_late"], counts["in_progress"], counts["stalled"], counts["total"]) \
        == (1, 1, 1, 1, 4)


def test_the_headline_tiles_always_add_up_to_the_total_whatever_the_statuses():
    frame = actions({"status": "not_started"}, {"status": "in_progress"}, {"status": "partially_delivered"},
                    {"status": "unknown"}, {"status": "superseded"})
    counts = aggregates.headline_counts(frame)
    assert [status for status, _n in counts["tiles"]] == [
        "delivered", "delivered_late", "partially_delivered", "in_progress", "stalled", "not_started", "superseded",
        "unknown"]
    assert sum(n for _status, n in counts["tiles"]) == counts["total"] == 5


def test_status_by_initiative_has_one_column_per_status_present_in_vocabulary_order():
    frame = actions({"initiative": 2, "initiative_title": "Two", "status": "in_progress"},
                    {"initiative": 1, "status": "delivered"}, {"initiative": 2, "initiative_title": "Two",
                                                               "status": "delivered"})
    table = aggregates.status_by_initiative(frame)
    assert list(table.columns) == ["initiative", "initiative_title", "in_progress", "delivered", "total"]
    assert table.to_dict("records") == [
        {"initiative": 1, "initiative_title": "One", "in_progress": 0, "delivered": 1, "total": 1},
        {"initiative": 2, "initiative_title": "Two", "in_progress": 1, "delivered": 1, "total": 2}]


def test_slippage_runs_from_the_end_of_the_deadlines_period_to_delivery_or_today():
    frame = actions(
        {"status": "delivered_late", "deadline": date(2020, 1, 1), "deadline_precision": "year",
         "date": date(2021, 1, 25)},
        {"status": "in_progress", "deadline": date(2021, 4, 1), "deadline_precision": "quarter"},
        {"status": "delivered", "deadline": None, "date": date(2023, 7, 12)},
        {"status": "delivered", "deadline": date(2020, 1, 1), "deadline_precision": "year"})
    rows = aggregates.timeline_rows(frame, today=date(2021, 7, 10))
    assert list(rows["deadline_end"]) == [date(2020, 12, 31), date(2021, 6, 30), None, date(2020, 12, 31)]
    assert rows["slippage_days"].tolist() == [25, 10, pd.NA, pd.NA]


def test_the_2019_letters_reach_each_member_state_once():
    frame = decisions((1, "BG", "letter_of_formal_notice", date(2019, 7, 25)),
                      (2, "DE", "letter_of_formal_notice", date(2019, 10, 10)),
                      (3, "DE", "letter_of_formal_notice", date(2019, 11, 10)),
                      (1, "BG", "additional_letter_of_formal_notice", date(2023, 2, 15)),
                      (1, "BG", "reasoned_opinion", date(2024, 2, 15)),
                      (4, "MT", "closed", None))
    letters = aggregates.letters_by_year(frame)
    assert letters.to_dict("records") == [
        {"year": 2019, "first_letters": 3, "additional_letters": 0, "member_states": 2, "codes": ["BG", "DE"]},
        {"year": 2023, "first_letters": 0, "additional_letters": 1, "member_states": 1, "codes": ["BG"]}]


def test_furthest_stage_ignores_closure_and_worst_assessment_prefers_non_conform():
    assert aggregates.furthest_stage(["letter_of_formal_notice", "reasoned_opinion", "closed"]) == "reasoned_opinion"
    assert aggregates.furthest_stage(["closed"]) is None
    assert aggregates.worst_assessment(["conform", "non_conform", "partially_conform"]) == "non_conform"
    assert aggregates.worst_assessment([]) is None


def member_states():
    return pd.DataFrame([("DE", "Germany", "DEU", True), ("DK", "Denmark", "DNK", False),
                         ("CY", "Cyprus", "CYP", True)], columns=aggregates.MEMBER_STATE_COLUMNS)


def test_member_state_summary_shows_denmark_as_not_bound_and_no_procedure_as_such():
    procedures = pd.DataFrame([(1, "DE", None, "non_conformity", "open", "letter_of_formal_notice",
                                date(2019, 7, 25), "day", None, None)], columns=aggregates.PROCEDURE_COLUMNS)
    frame = decisions((1, "DE", "letter_of_formal_notice", date(2019, 7, 25)))
    empty = pd.DataFrame(columns=aggregates.STATUS_COLUMNS)
    summary = aggregates.member_state_summary(member_states(), procedures, frame, empty, empty).set_index("code")
    assert summary.loc["DE", "stage_category"] == "letter_of_formal_notice"
    assert summary.loc["DE", "open_procedures"] == 1
    assert summary.loc["DK", "stage_category"] == NOT_BOUND
    assert summary.loc["CY", "stage_category"] == NO_PROCEDURE
    assert summary.loc["DE", "assessment_category"] == NO_RECORD


def test_matrix_is_unknown_where_nothing_is_published_and_shows_what_is():
    articles = pd.DataFrame([(10, 18, "Assistance", "victims"), (11, 27, "Transposition", "final_provisions")],
                            columns=aggregates.ARTICLE_COLUMNS)
    reports = pd.DataFrame([("DE", 10, "complete")], columns=aggregates.STATUS_COLUMNS)
    assessed = pd.DataFrame([("DE", 10, "partially_conform")], columns=aggregates.STATUS_COLUMNS)
    matrix = aggregates.article_matrix(member_states(), articles, reports, assessed)
    cells = {(r.member_state, r.article): (r.notification, r.assessment) for r in matrix.itertuples()}
    assert cells[("DE", 18)] == ("complete", "partially_conform")
    assert cells[("DE", 27)] == (NO_RECORD, NO_RECORD)
    assert cells[("DK", 18)] == (NOT_BOUND, NOT_BOUND)
    assert aggregates.matrix_counts(matrix, "assessment").set_index("value")["cells"].to_dict() == {
        NO_RECORD: 3, NOT_BOUND: 2, "partially_conform": 1}


def test_records_turn_missing_values_into_none():
    frame = pd.DataFrame({"a": [1, None], "b": [["x"], None]})
    assert aggregates.records(frame)[1] == {"a": None, "b": None}


# --- as of a past day -----------------------------------------------------------------------------------------


def test_verification_counts_the_records_verified_and_their_oldest_and_newest_day():
    assert aggregates.verification(actions({}, {})) == {"verified": 0, "total": 2, "oldest": None, "newest": None}
    frame = actions({"last_verified": date(2026, 3, 1)}, {"last_verified": date(2026, 1, 5)}, {})
    assert aggregates.verification(frame) == {"verified": 2, "total": 3, "oldest": date(2026, 1, 5),
                                              "newest": date(2026, 3, 1)}


def test_a_delivery_with_no_dated_deadline_is_not_counted_as_on_time():
    """Issue 13: "1 key actions delivered on time" was 4/4, whose deadline names no date."""
    frame = actions({"status": "delivered", "deadline": date(2020, 1, 1), "deadline_precision": "year"},
                    {"status": "delivered", "deadline": None})
    counts = aggregates.headline_counts(frame)
    assert (counts["delivered"], counts[aggregates.DELIVERED_NO_DEADLINE]) == (1, 1)
    assert ("delivered_no_deadline", 1) in counts["tiles"]
    assert sum(n for _status, n in counts["tiles"]) == counts["total"] == 2


def test_every_status_has_its_place_among_the_tiles():
    from initiatives.choices import KeyActionStatus

    assert set(aggregates.TILE_ORDER) == set(KeyActionStatus)


def test_eu_averages_are_over_the_bound_member_states_and_a_closure_between_two_days_is_no_latest_decision():
    procedures = pd.DataFrame([(1, "DE", None, "non_conformity", "open", "letter_of_formal_notice",
                                date(2019, 7, 25), "day", None, None)], columns=aggregates.PROCEDURE_COLUMNS)
    frame = decisions((1, "DE", "letter_of_formal_notice", date(2019, 7, 25)))
    closure = pd.DataFrame([(1, "DE", "non_conformity", None, 2, "closed", date(2023, 1, 11), "between",
                             date(2024, 4, 24))], columns=aggregates.DECISION_COLUMNS)
    empty = pd.DataFrame(columns=aggregates.STATUS_COLUMNS)
    findings = pd.DataFrame([("DE",), ("DE",), ("CY",)], columns=["member_state"])
    summary = aggregates.member_state_summary(member_states(), procedures, pd.concat([frame, closure]), empty, empty,
                                              findings)
    assert summary.set_index("code").loc["DE", "latest_date"] == date(2019, 7, 25)
    averages = aggregates.eu_averages(summary, date(2019, 8, 4))
    assert (averages["member_states"], averages["open_procedures"], averages["findings"]) == (2, 0.5, 1.5)
    assert averages["days_since_decision"] == 10
