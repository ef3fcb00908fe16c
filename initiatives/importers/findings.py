"""Findings on articles: the format of fixtures/data/article_findings.csv.

Columns: member_state_code, article (27; a range 3-7; a list 10,21-25; a paragraph 15(2)), finding (a value of
FindingKind), finding_date (YYYY, YYYY-MM or YYYY-MM-DD), assessed_by (a value of FindingSource), summary,
source_url_or_ref, confidence.

A row on a group of articles is ONE finding on "one or more of" them (the sources name a topic, not the
articles): it is stored once, linked to the group, never copied to each article. A paragraph (15(2)) is linked to
its article and keeps its reference as written. Findings are matched by Member State, articles as written, date
and finding: importing the same file again changes nothing.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from initiatives.choices import FindingKind, FindingSource
from initiatives.models import ArticleFinding, MemberState
from initiatives.models.transposition import directive_articles

from .common import read_confidence, read_date, read_member_state, read_sources, upsert
from .tabular import ImportResult, Row

REQUIRED = {"member_state_code", "article", "finding", "finding_date", "assessed_by", "summary", "source_url_or_ref",
            "confidence"}
OPTIONAL: set[str] = set()
COLUMNS = ["member_state_code", "article", "finding", "finding_date", "assessed_by", "summary", "source_url_or_ref",
           "confidence"]
PART = re.compile(r"^(\d{1,2})(?:\((\d{1,2})\))?(?:-(\d{1,2}))?$")


def article_numbers(text: str) -> list[int] | None:
    """27 -> [27]; 3-7 -> [3 .. 7]; 10,21-25 -> [10, 21 .. 25]; 15(2) -> [15]. None when it cannot be read."""
    numbers: list[int] = []
    for part in (text or "").replace(" ", "").split(","):
        match = PART.match(part)
        if not match or (match[2] and match[3]):
            return None
        first, last = int(match[1]), int(match[3] or match[1])
        if last < first:
            return None
        numbers.extend(range(first, last + 1))
    return sorted(set(numbers)) or None


def run(rows: list[Row], *, progress=None) -> ImportResult:
    result = ImportResult()
    member_states = {ms.code: ms for ms in MemberState.objects.all()}
    articles = {a.number: a for a in directive_articles()}
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        before = len(result.errors)
        member_state = read_member_state(row, member_states, result)
        reference = row.get("article").replace(" ", "")
        numbers = article_numbers(reference)
        if numbers is None or any(n not in articles for n in numbers):
            result.error(row.line, "article", _("%(value)r is not an article of the Directive, a range (3-7) or a "
                                                "list (10,21-25).") % {"value": row.get("article")})
        finding = row.get("finding")
        if finding not in FindingKind.values:
            result.error(row.line, "finding", _("%(value)r is not a finding; use one of %(known)s.") % {
                "value": finding, "known": ", ".join(FindingKind.values)})
        assessed_by = row.get("assessed_by")
        if assessed_by not in FindingSource.values:
            result.error(row.line, "assessed_by", _("%(value)r is not who made a finding; use one of %(known)s.") % {
                "value": assessed_by, "known": ", ".join(FindingSource.values)})
        summary = " ".join(row.get("summary").split())
        if not summary or len(summary) > 2000:
            result.error(row.line, "summary", _("Summarise the finding in 1 to 2000 characters."))
        when = read_date(row, "finding_date", result, required=True)
        confidence = read_confidence(row, "confidence", result)
        citations = read_sources(row, "source_url_or_ref", result)
        if len(result.errors) > before or member_state is None:
            continue
        identity = (member_state.code, reference, when.start, finding)
        if identity in seen:
            result.error(row.line, "", _("This row repeats line %(line)s.") % {"line": seen[identity]})
            continue
        seen[identity] = row.line
        record = upsert(ArticleFinding, {"member_state": member_state, "article_reference": reference,
                                         "date": when.value, "finding": finding}, {
            "date_precision": when.precision, "assessed_by": assessed_by, "summary": summary, "confidence": confidence,
        }, result, citations=citations, label=_("finding on %(ms)s, Art. %(ref)s, %(date)s") % {
            "ms": member_state.code, "ref": reference, "date": when.isoformat()})
        wanted = {articles[n].pk for n in numbers}
        if set(record.articles.values_list("pk", flat=True)) != wanted:
            record.articles.set(wanted)
    return result


def export_rows(findings) -> list[list]:
    """Findings (with member_state and sources prefetched) in this import format (COLUMNS)."""
    return [[f.member_state_id and f.member_state.code, f.article_reference, f.finding, f.when.isoformat(),
             f.assessed_by, f.summary, " ; ".join(s.citation for s in f.sources.all()), f.confidence]
            for f in findings]
