"""The full open-data download: a zip of one CSV per table and a Frictionless datapackage.json that describes
every column, the licence and the sources; published data only; the import-format tables import back."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from initiatives import open_data
from initiatives.importers import run_import
from initiatives.models import Decision, Source

pytestmark = pytest.mark.django_db

ZIP_URL = "/open-data/eu-csa-strategy-tracker.zip"


@pytest.fixture
def package(client):
    response = client.get(ZIP_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="eu-csa-strategy-tracker.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_the_download_has_a_stable_address():
    assert reverse("initiatives:open_data_zip") == ZIP_URL


def test_the_zip_holds_one_csv_per_table_and_a_datapackage(package):
    assert set(package) == {f"{t.name}.csv" for t in open_data.tables()} | {"datapackage.json"}


def test_the_datapackage_describes_every_column_of_every_file(package):
    descriptor = json.loads(package["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in descriptor["resources"]:
        header = read_csv(package[resource["path"]])[0]
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields], resource["name"]
        assert all(f["description"] and f["type"] in {"string", "integer", "boolean", "date"} for f in fields)
        names = {f["name"] for f in fields}
        for key in resource["schema"].get("foreignKeys", []):
            assert set(key["fields"]) <= names


def test_the_datapackage_lists_the_sources(package):
    sources = json.loads(package["datapackage.json"])["sources"]
    assert len(sources) == Source.objects.count()
    assert any("eur-lex.europa.eu" in s.get("path", "") for s in sources)


def test_the_values_keep_to_their_declared_types_and_patterns(package):
    descriptor = json.loads(package["datapackage.json"])
    for resource in descriptor["resources"]:
        rows = read_csv(package[resource["path"]])[1:]
        for field_index, field in enumerate(resource["schema"]["fields"]):
            constraints = field.get("constraints", {})
            for row in rows:
                value = row[field_index]
                if value == "":
                    continue  # unknown
                if field["type"] == "integer":
                    assert value.isdigit(), (resource["name"], field["name"], value)
                if field["type"] == "boolean":
                    assert value in {"true", "false"}
                if "pattern" in constraints:
                    assert re.fullmatch(constraints["pattern"], value), (resource["name"], field["name"], value)
                if "enum" in constraints:
                    assert value in constraints["enum"], (resource["name"], field["name"], value)


def test_a_month_only_date_is_written_to_its_precision(package):
    decisions = read_csv(package["infringement_decisions.csv"])
    assert ["EL", "", "letter_of_formal_notice", "2014-01"] in [row[:4] for row in decisions]


def test_cells_that_look_like_formulas_are_neutralised(package, client):
    decision = Decision.objects.first()
    decision.note = "=HYPERLINK(\"http://evil.example\")"
    decision.save()
    rows = read_csv(client.get("/open-data/infringement_decisions.csv").content)
    assert "'=HYPERLINK(\"http://evil.example\")" in [row[6] for row in rows]


@pytest.mark.parametrize(("kind", "file"), [("infringements", "infringement_decisions.csv"),
                                            ("events", "key_action_events.csv"),
                                            ("transposition", "transposition_reports.csv")])
def test_the_import_format_tables_import_back_unchanged(package, kind, file):
    rows = read_csv(package[file])
    if len(rows) == 1:  # no published rows of this kind in the shipped data: nothing to import
        return
    result = run_import(kind, package[file], file, dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)


def test_published_data_only(client, monkeypatch):
    from initiatives.models.infringements import ProcedureQuerySet

    monkeypatch.setattr(ProcedureQuerySet, "published", lambda self: self.filter(member_state__code="MT"))
    rows = read_csv(client.get("/open-data/infringement_procedures.csv").content)[1:]
    assert rows and {row[1] for row in rows} == {"MT"}
    decisions = read_csv(client.get("/open-data/infringement_decisions.csv").content)[1:]
    assert {row[0] for row in decisions} == {"MT"}


def test_the_open_data_page_describes_the_tables(client):
    page = client.get("/open-data/").content.decode()
    assert ZIP_URL in page and "datapackage.json" in page and "/api/docs/" in page
    for table in open_data.tables():
        assert f"<code>{table.path}</code>" in page


def test_an_unknown_table_is_404(client):
    assert client.get("/open-data/passwords.csv").status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_the_zip_query_count_does_not_grow(client, django_assert_num_queries, n):
    from initiatives.models import InfringementProcedure, LegalAct, MemberState

    for _ in range(n):
        procedure = InfringementProcedure.objects.create(member_state=MemberState.objects.get(code="DE"),
                                                         type="non_conformity",
                                                         legal_act=LegalAct.objects.get(celex="32011L0093"))
        Decision.objects.create(procedure=procedure, position=1, stage="letter_of_formal_notice")
    # strategies 1; initiatives 1; key actions 2 (+ sources); events 3 (key actions, events, sources);
    # member states 1; legal acts 2; articles 2; measures 1; reports 1 and assessments 1 (none are shipped,
    # so their prefetches do not run); procedures 3; decisions 3 (+ sources, articles); datapackage sources 1;
    # legislative stages 4 (files, stages, their sources, key actions)
    with django_assert_num_queries(26):
        assert client.get(ZIP_URL).status_code == 200
