"""/search/?q=...: one query across the public records, results grouped by kind (initiatives/search.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from initiatives import search as site_search


@require_safe
def search(request):
    query, cut = site_search.clean_query(request.GET.get("q", ""))
    groups = site_search.search(query) if query else []
    return render(request, "initiatives/public/search.html", {
        "query": query, "cut": cut, "max_length": site_search.MAX_QUERY_LENGTH, "groups": groups,
        "total": sum(group.total for group in groups), "per_kind": site_search.PER_KIND,
    })
