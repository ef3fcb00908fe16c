"""Findings on articles, for the Directive and Member State pages: who found what about which articles.

A finding on a group of articles reads "one or more of Arts 10, 21-25": it is one finding, never one per article.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch

from initiatives import state
from initiatives.models import ArticleFinding, Source


def findings_on(day: date | None, member_state=None, articles=None) -> list[ArticleFinding]:
    """The published findings that had been made by `day` (None: all), of one Member State or all, about one or
    more of `articles` (a queryset; None: any); newest first. Two queries (the findings with their Member State,
    their sources)."""
    findings = state.dated(ArticleFinding.objects.published(), day).select_related("member_state").prefetch_related(
        Prefetch("sources", queryset=Source.objects.order_by("citation"), to_attr="source_list"))
    if member_state is not None:
        findings = findings.filter(member_state=member_state)
    if articles is not None:
        findings = findings.filter(articles__in=articles).distinct()
    return list(findings.order_by("-date", "member_state__protocol_order", "article_reference"))


def liaison_articles():
    """The articles a liaison reports on: those of the Directive that oblige Member States (Arts 2-25 and 27),
    in order. Arts 1, 26 and 28-30 oblige no Member State, so nobody is asked to report on them."""
    from initiatives.models.transposition import obliging_articles

    return obliging_articles()
