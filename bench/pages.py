"""The one list of what `make bench` measures and the growth test (tests/test_growth.py) checks: every public
page and API list endpoint, read from the URLconf and the API's root, never written out by hand.

A page is a named URL of the app that an anonymous visitor gets as HTML or a feed with a 200; a URL with
arguments is tried with the arguments of records that exist (the initiative numbered 1, the Member State with
the most records, the first legislative file, that initiative's key action with the most events). A page that
shows a past day (the as-of bar) is measured on AS_OF too (it shows the as-of bar). API list endpoints are the
ones /api/ names.
"""

from __future__ import annotations

from urllib.parse import urlsplit

AS_OF = "2021-12-31"
PAGE_TYPES = ("text/html", "application/atom+xml", "application/rss+xml")


def example_arguments() -> dict:
    """A value for each URL argument, from records that exist."""
    from collections import Counter

    from django.db.models import Count

    from initiatives.models import (
        Assessment,
        InfringementProcedure,
        Initiative,
        KeyActionEvent,
        LegislativeFile,
        TranspositionReport,
    )

    records = Counter()
    for model in (InfringementProcedure, TranspositionReport, Assessment):
        records.update(model.objects.values_list("member_state__code", flat=True))
    busiest = min(records, key=lambda code: (-records[code], code)) if records else "DE"
    legislative = LegislativeFile.objects.order_by("id").first()
    number = Initiative.objects.order_by("number").values_list("number", flat=True).first()
    # that initiative's key action with the most events (its page lists them all, a page at a time)
    action = (KeyActionEvent.objects.filter(key_action__initiative__number=number).values("key_action__code")
              .annotate(n=Count("id")).order_by("-n", "key_action__code").values_list("key_action__code", flat=True)
              .first())
    return {"number": number, "code": busiest, "slug": legislative.slug if legislative else None, "action": action}


def named_urls(resolver=None, namespace="") -> list[tuple[str, object]]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace == "initiatives:":
            found.append((namespace + pattern.name, pattern))
    return found


def public_pages(client) -> list[str]:
    from django.urls import NoReverseMatch, reverse

    examples = example_arguments()
    pages = []
    for name, pattern in named_urls():
        arguments = getattr(pattern.pattern, "converters", {})
        if any(examples.get(argument) is None for argument in arguments):
            continue
        try:
            path = reverse(name, kwargs={argument: examples[argument] for argument in arguments})
        except NoReverseMatch:
            continue
        if path.startswith("/api/") or path in pages:
            continue
        response = client.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(PAGE_TYPES):
            continue
        pages.append(path)
        if b'name="as_of"' in response.content:  # the as-of bar: the page shows a past day too
            pages.append(f"{path}?as_of={AS_OF}")
    return pages


def api_list_endpoints(client) -> list[str]:
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        return []
    return sorted(urlsplit(url).path for url in response.json().values() if isinstance(url, str))


def public_urls(client) -> list[str]:
    """Every public page (and its past day) and every API list endpoint."""
    return [*public_pages(client), *api_list_endpoints(client)]
