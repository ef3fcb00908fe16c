"""Atom feeds of published changes: valid Atom, each entry says what changed and links to its page."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from initiatives.importers import run_import
from initiatives.models import Decision, KeyAction

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response):
    """Parse the feed and check what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    has_feed_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        assert has_feed_author or entry.find(f"{ATOM}author") is not None
    return feed, entries


def test_the_main_feed_is_valid_atom_with_the_shipped_data(client):
    _feed, entries = parse_atom(client.get("/feed/"))
    assert 0 < len(entries) <= 50


def test_an_entry_says_what_changed_and_links_to_the_page(client, tmp_path):
    text = ("member_state_code,article,status,as_of,source_url_or_ref,confidence\n"
            "DE,27,partial,2024-05,https://example.org/de,high\n")
    assert run_import("transposition", text.encode(), "first.csv", dry_run=False).ok
    assert run_import("transposition", text.replace("partial", "complete").encode(), "second.csv",
                      dry_run=False).ok
    _feed, entries = parse_atom(client.get("/feed/member-states/DE/"))
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == ("Changed: Transposition report of Germany on article 27: completely "
                                               "notified")
    summary = newest.findtext(f"{ATOM}summary")
    assert "partially notified → completely notified" in summary
    assert "second.csv" not in summary and "Reason" not in summary  # change reasons are internal notes
    assert "/member-states/DE/" in newest.find(f"{ATOM}link").get("href")


def test_a_member_state_feed_holds_only_that_member_state(client):
    _feed, entries = parse_atom(client.get("/feed/member-states/mt/"))
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles and all("Malta" in title for title in titles)


def test_an_initiative_feed_tells_key_action_changes(client):
    key_action = KeyAction.objects.get(initiative__number=8, code="8")
    key_action.status = "in_progress"
    key_action.save()
    _feed, entries = parse_atom(client.get("/feed/initiatives/8/"))
    assert entries[0].findtext(f"{ATOM}title").startswith("Changed: Key action 8/8")
    assert "status: unknown → in progress" in entries[0].findtext(f"{ATOM}summary")
    assert "/initiatives/8/#action-8" in entries[0].find(f"{ATOM}link").get("href")


def test_dates_in_entries_keep_their_precision(client):
    _feed, entries = parse_atom(client.get("/feed/member-states/EL/"))
    assert any("January 2014" in entry.findtext(f"{ATOM}title") for entry in entries)


@pytest.mark.parametrize("url", ["/feed/member-states/XX/", "/feed/initiatives/99/"])
def test_an_unknown_member_state_or_initiative_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_the_feed_query_count_does_not_grow_with_the_changes(client, django_assert_num_queries, n):
    decisions = list(Decision.objects.all()[:n])
    for decision in decisions:
        decision.note = "changed for the query count"
        decision.save()
    # one query for the 50 newest changes over every tracked model (three columns a row), then one per tracked
    # model for its rows among them with the row before each (8): 9, whatever changed
    with django_assert_num_queries(9):
        parse_atom(client.get("/feed/"))


def test_a_member_state_feed_makes_the_same_queries_whether_records_were_added_or_changed(client):
    """The rows before the changed ones come with the newest rows, not in a query of their own per model that
    has changes: the count was 5 with additions only and 6 once a decision changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DecisionFactory, ProcedureFactory, member_state

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/feed/member-states/NL/").status_code == 200
        return len(captured)

    decision = DecisionFactory(procedure=ProcedureFactory(member_state=member_state("NL")), when="2019-01")
    added_only = queries()
    decision.note = "changed"
    decision.save()
    # the Member State, the newest changes over the four models, then procedures, decisions, reports, assessments
    assert queries() == added_only == 6
    _feed, entries = parse_atom(client.get("/feed/member-states/NL/"))
    assert any("note: unknown → changed" in (entry.findtext(f"{ATOM}summary") or "") for entry in entries)


def test_reloading_the_same_data_adds_no_entry(client):
    def ids():
        return [entry.findtext(f"{ATOM}id") for entry in parse_atom(client.get("/feed/"))[1]]

    before = ids()
    call_command("load_real_data", verbosity=0)
    assert ids() == before


def test_a_public_feed_never_shows_change_reasons_usernames_or_file_names(client, staff_user):
    """Issue 12, item 18: "Reason: import of 28_unbalanced_quote.csv by staff" was on /feed/member-states/LU/."""
    from initiatives.models import InfringementProcedure

    procedure = InfringementProcedure.objects.published().filter(member_state__code="LU").first()
    decision = procedure.decisions.order_by("position").first()
    decision.reply_months = 3
    decision._change_reason = "import of 28_unbalanced_quote.csv by staff"
    decision._history_user = staff_user
    decision.save()
    _feed, entries = parse_atom(client.get("/feed/member-states/LU/"))
    text = ET.tostring(entries[0], encoding="unicode")
    assert "→ 3" in text  # the public change is told
    for internal in ("28_unbalanced_quote.csv", "Reason", ">staff<", "by staff"):
        assert internal not in text, internal


def test_a_change_to_an_internal_field_is_not_told_in_the_feed(client):
    """Only the fields the public pages and the API show are compared; a key in the shipped data is not one."""
    from initiatives.feeds import TRACKED, public_fields

    for tracked in TRACKED:
        names = public_fields(tracked)
        assert names, tracked.model
        assert not {"id", "import_key", "history_change_reason", "history_user"} & names, tracked.model


@pytest.mark.parametrize("url", ["/feed/", "/feed/initiatives/{n}/"])
def test_a_control_character_already_stored_does_not_break_the_feeds(client, url):
    """Issue 12, item 9: a \x0b in a narrative made /feed/ and /feed/initiatives/1/ answer 500."""
    action = KeyAction.objects.select_related("initiative").order_by("initiative__number", "code").first()
    KeyAction.objects.filter(pk=action.pk).update(narrative="before")
    action.refresh_from_db()
    action.narrative = "Delivered\x0b late in\x1f May"  # (PostgreSQL stores no NUL at all: not part of the test)
    action.save()
    _feed, entries = parse_atom(client.get(url.format(n=action.initiative.number)))
    summaries = " ".join(entry.findtext(f"{ATOM}summary") or "" for entry in entries)
    assert "Delivered late in May" in summaries


def test_a_record_added_with_its_sources_is_told_once(client):
    """Issue 14, item 12: the feed gave "Added." and "Its sources or related records changed." for the same
    record (its creation, then its sources linked a moment later)."""
    from initiatives.models import Decision, InfringementProcedure, Source

    procedure = InfringementProcedure.objects.get(infr_number="INFR(2019)2136")
    decision = Decision.objects.create(procedure=procedure, position=procedure.decisions.count() + 1,
                                       stage="reasoned_opinion", date="2025-10-08")
    decision.sources.add(Source.objects.get_or_create_from_citation("https://example.org/ro"))
    entries = parse_atom(client.get("/feed/"))[1]
    mine = [e for e in entries if f"decision/{decision.pk}/" in (e.findtext(f"{ATOM}id") or "")]
    assert len(mine) == 1
    assert "Added." in (mine[0].findtext(f"{ATOM}summary") or "")


def test_a_member_state_feed_reads_the_same_queries_and_builds_only_the_rows_it_tells_with_3_or_60_changes(client):
    """Issue 16, "flat cost as the data grows": the feed read up to 50 full history rows per model (and the row
    before each), then kept the newest 50 over all models: with 60 procedures and decisions changed it built
    200 history rows to tell 50. It now reads the newest 50 over every model first (three columns a row),
    then builds only those and the rows before them, in the same number of queries whatever changed."""
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test.utils import CaptureQueriesContext

    from initiatives.feeds import LIMIT, TRACKED
    from tests.factories import DecisionFactory, ProcedureFactory, member_state

    history_models = {tracked.model.history.model for tracked in TRACKED}
    built = []

    def count(sender, **kwargs):
        if sender in history_models:
            built.append(sender)

    def feed():
        built.clear()
        post_init.connect(count)
        try:
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/feed/member-states/NL/")
        finally:
            post_init.disconnect(count)
        return len(captured), len(built), parse_atom(response)[1]

    def change(n):  # n procedures with a decision each, added, then each changed
        made = [DecisionFactory(procedure=ProcedureFactory(member_state=member_state("NL")), when="2019-01")
                for _ in range(n)]
        for decision in made:
            for record in (decision.procedure, decision):
                record.note = "changed for issue 16"
                record.save()
        return made

    def guid(record, kind):
        row = record.history.filter(history_type=kind).get()
        return f"{type(record)._meta.model_name}/{record.pk}/history/{row.history_id}"

    def expected(decisions):  # newest first: the changes, then the additions
        return [guid(record, kind) for kind in "~+" for decision in reversed(decisions)
                for record in (decision, decision.procedure)]

    few = change(3)
    small_queries, small_built, small = feed()
    ids = [entry.findtext(f"{ATOM}id").split(":", 2)[2] for entry in small]
    assert ids[:12] == expected(few)
    assert "note: unknown → changed for issue 16" in small[0].findtext(f"{ATOM}summary")
    assert small[6].findtext(f"{ATOM}summary") == "Added."

    many = few + change(57)
    large_queries, large_built, large = feed()
    ids = [entry.findtext(f"{ATOM}id").split(":", 2)[2] for entry in large]
    assert len(large) == LIMIT
    assert ids == expected(many)[:LIMIT]
    assert large_built <= 2 * LIMIT  # the rows told and the rows before them; it was 200
    assert large_queries == small_queries == 6  # the Member State, the newest changes, then one per model
