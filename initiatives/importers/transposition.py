"""Transposition reports: what each Member State reports it has notified for each article of the Directive.

Columns: member_state_code, article, status, as_of, source_url_or_ref, confidence; and, optionally,
`comment`, `legal_act` (CELEX, default 32011L0093) and `measures` (official references of national
measures already recorded for that Member State, separated by " ; ").

One row per Member State and article: a second row for the same pair is rejected, not merged. `status` is
none, partial or complete (initiatives.choices.NotificationStatus). `as_of` keeps its precision (2024-05 is
"May 2024"). A liaison's upload passes `member_state`: rows about another Member State are rejected.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from initiatives.choices import NotificationStatus
from initiatives.models import Article, LegalAct, MemberState, NationalMeasure, TranspositionReport

from .common import read_confidence, read_date, read_member_state, read_sources, read_text, read_whole_number, upsert
from .tabular import ImportResult, Row

REQUIRED = {"member_state_code", "article", "status", "as_of", "source_url_or_ref", "confidence"}
OPTIONAL = {"comment", "legal_act", "measures"}
COLUMNS = ["member_state_code", "article", "status", "as_of", "source_url_or_ref", "confidence", "comment",
           "legal_act", "measures"]
DEFAULT_ACT = "32011L0093"
MEASURE_SEPARATOR = " ; "


def run(rows: list[Row], *, member_state: MemberState | None = None, progress=None) -> ImportResult:
    result = ImportResult()
    member_states = {ms.code: ms for ms in MemberState.objects.all()}
    acts = {act.celex: act for act in LegalAct.objects.all()}
    articles = {(a.legal_act_id, a.number): a for a in Article.objects.all()}
    measures = {(m.member_state_id, m.reference): m for m in NationalMeasure.objects.all()}
    seen: dict[tuple[int, int], int] = {}
    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        errors_before = len(result.errors)
        ms = read_member_state(row, member_states, result)
        if ms is not None and member_state is not None and ms != member_state:
            result.error(row.line, "member_state_code", _(
                "This row is about %(other)s; you may import only %(own)s's transposition.") % {
                "other": ms.display_name, "own": member_state.display_name})
        act = acts.get(row.get("legal_act") or DEFAULT_ACT)
        article = None
        if act is None:
            result.error(row.line, "legal_act", _("No legal act with CELEX %(value)r.") % {
                "value": row.get("legal_act")})
        else:
            number = read_whole_number(row.get("article").removeprefix("Art.").removeprefix("art."))
            article = articles.get((act.pk, number))
            if article is None:
                result.error(row.line, "article", _("%(act)s has no article %(value)r.") % {
                    "act": act, "value": row.get("article")})
        status = row.get("status").lower()
        if status not in NotificationStatus.values:
            result.error(row.line, "status", _("%(value)r is not a notification status; use one of %(known)s.") % {
                "value": row.get("status"), "known": ", ".join(NotificationStatus.values)})
        when = read_date(row, "as_of", result, required=True, actual=True)
        confidence = read_confidence(row, "confidence", result)
        citations = read_sources(row, "source_url_or_ref", result)
        comment = read_text(row, "comment", result, TranspositionReport, "comment")
        wanted_measures = []
        if ms is not None:
            for reference in filter(None, (part.strip() for part in row.get("measures").split(";"))):
                measure = measures.get((ms.pk, reference))
                if measure is None:
                    result.error(row.line, "measures", _("No national measure %(reference)r is recorded for "
                                                         "%(ms)s; add it first.") % {
                        "reference": reference, "ms": ms.display_name})
                else:
                    wanted_measures.append(measure)
        if ms is not None and article is not None:
            key = (ms.pk, article.pk)
            if key in seen:
                result.error(row.line, "", _("This row repeats line %(line)s (the same Member State and "
                                             "article).") % {"line": seen[key]})
            else:
                seen[key] = row.line
        if len(result.errors) > errors_before:
            continue
        counts = (result.created, result.updated)
        report = upsert(TranspositionReport, {"member_state": ms, "article": article}, {
            "status": status, "date": when.value, "date_precision": when.precision, "confidence": confidence,
            "comment": comment,
        }, result, citations=citations, label=_("report of %(ms)s on article %(n)s") % {
            "ms": ms.code, "n": article.number})
        if row.has("measures") and {m.pk for m in report.measures.all()} != {m.pk for m in wanted_measures}:
            report.measures.set(wanted_measures)
            if (result.created, result.updated) == counts:  # counted as unchanged a moment ago
                result.unchanged -= 1
                result.updated += 1
                result.changes.append(_("update report of %(ms)s on article %(n)s (measures)") % {
                    "ms": ms.code, "n": article.number})
    return result


def export_rows(reports) -> list[list]:
    """The rows of `reports` in this import format (COLUMNS), so that an export imports back unchanged."""
    rows = []
    for report in reports:
        rows.append([
            report.member_state.code, report.article.number, report.status, report.when,
            " ; ".join(s.citation for s in report.sources.all()), report.confidence, report.comment,
            report.article.legal_act.celex,
            MEASURE_SEPARATOR.join(m.reference for m in report.measures.all()),
        ])
    return rows


# A liaison's upload does not write the public reports: it saves drafts (LiaisonReport) for their own Member
# State, which they then submit and staff review (see initiatives/models/review.py). Its format is the
# liaison's form as columns; the public-report columns (as_of, sources, confidence) are the Commission's to set.
LIAISON_REQUIRED = {"member_state_code", "article", "status"}
LIAISON_OPTIONAL = {"comment", "measure_title", "measure_reference", "measure_date", "measure_url"}
LIAISON_COLUMNS = ["member_state_code", "article", "status", "comment", "measure_title", "measure_reference",
                   "measure_date", "measure_url"]


def run_liaison(rows: list[Row], *, member_state: MemberState, progress=None) -> ImportResult:
    """Create or update `member_state`'s draft liaison reports, one per article; all rows or none."""
    from django.core.exceptions import ValidationError

    from initiatives.choices import ReviewState
    from initiatives.models import LiaisonReport

    from .common import CHANGE_REASON

    result = ImportResult()
    act = LegalAct.objects.get(celex=DEFAULT_ACT)
    articles = {a.number: a for a in Article.objects.filter(legal_act=act)}
    existing = {r.article_id: r for r in LiaisonReport.objects.filter(member_state=member_state)}
    seen: dict[int, int] = {}
    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        errors_before = len(result.errors)
        code = row.get("member_state_code").upper()
        if ("EL" if code == "GR" else code) != member_state.code:
            result.error(row.line, "member_state_code", _(
                "This row is about %(other)r; you may import only %(own)s's transposition.") % {
                "other": row.get("member_state_code"), "own": member_state.display_name})
        article = articles.get(read_whole_number(row.get("article").removeprefix("Art.").removeprefix("art.")))
        if article is None:
            result.error(row.line, "article", _("%(act)s has no article %(value)r.") % {
                "act": act, "value": row.get("article")})
        elif len(result.errors) == errors_before and article.pk in seen:
            result.error(row.line, "", _("This row repeats line %(line)s (the same article).") % {
                "line": seen[article.pk]})
        elif len(result.errors) == errors_before:
            seen[article.pk] = row.line
        status = row.get("status").lower()
        if status not in NotificationStatus.values:
            result.error(row.line, "status", _("%(value)r is not a notification status; use one of %(known)s.") % {
                "value": row.get("status"), "known": ", ".join(NotificationStatus.values)})
        measure_when = read_date(row, "measure_date", result, required=False, actual=True)
        comment = read_text(row, "comment", result, LiaisonReport, "comment")
        if len(result.errors) > errors_before:
            continue
        values = {
            "status": status, "comment": comment, "measure_title": row.get("measure_title"),
            "measure_reference": row.get("measure_reference"), "measure_url": row.get("measure_url"),
            "measure_date": measure_when.value if measure_when else None,
            "measure_date_precision": measure_when.precision if measure_when else "day",
        }
        report = existing.get(article.pk)
        label = _("draft report of %(ms)s on article %(n)s") % {"ms": member_state.code, "n": article.number}
        if report is not None and all(getattr(report, name) == value for name, value in values.items()):
            result.unchanged += 1
            continue
        if report is not None and not report.editable_by_liaison:
            result.error(row.line, "article", _("Your report on article %(n)s is waiting for the Commission's "
                                                "review; it cannot change until then.") % {"n": article.number})
            continue
        created = report is None
        report = report or LiaisonReport(member_state=member_state, article=article)
        for name, value in values.items():
            setattr(report, name, value)
        report.state = ReviewState.DRAFT
        try:
            report.full_clean(validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                result.error(row.line, field if field in LIAISON_COLUMNS else "", " ".join(messages))
            continue
        if CHANGE_REASON.get():
            report._change_reason = CHANGE_REASON.get()
        report.save()
        if created:
            result.created += 1
            result.changes.append(_("create %(what)s") % {"what": label})
        else:
            result.updated += 1
            result.changes.append(_("update %(what)s (back to draft)") % {"what": label})
    return result


def liaison_export_rows(reports) -> list[list]:
    """A liaison's reports (LiaisonReport, article joined) in the liaison format (LIAISON_COLUMNS)."""
    return [[r.member_state.code, r.article.number, r.status, r.comment,
             r.measure_title, r.measure_reference, r.measure_when or "", r.measure_url] for r in reports]
