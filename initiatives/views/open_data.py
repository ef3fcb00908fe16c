"""The open-data page and its downloads: the whole package as a zip, its datapackage.json, one CSV per table.

Public, published data only; the addresses are stable (/open-data/eu-csa-strategy-tracker.zip).
"""

import json

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from initiatives import exports, open_data


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class OpenDataView(TemplateView):
    http_method_names = ["get", "head"]  # the open data only reads
    template_name = "initiatives/open_data/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tables=open_data.tables(), licence=open_data.LICENCE,
                                        zip_name=open_data.ZIP_NAME, **kwargs)


@require_safe
def download_zip(request):
    reply = HttpResponse(open_data.build_zip(site_url=_site(request)), content_type="application/zip")
    reply["Content-Disposition"] = f'attachment; filename="{open_data.ZIP_NAME}"'
    return reply


@require_safe
def datapackage(request):
    descriptor = open_data.descriptor(open_data.tables(), site_url=_site(request))
    return HttpResponse(json.dumps(descriptor, indent=2, ensure_ascii=False),
                        content_type="application/json; charset=utf-8")


@require_safe
def table_csv(request, name):
    table = open_data.table(name)
    if table is None:
        raise Http404("No such table")
    return exports.response(table.dataset(), "csv", table.name)
