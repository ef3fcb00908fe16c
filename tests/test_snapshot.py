"""After a transactional test flushes the database, the shipped data is put back from a snapshot of its
rows (tests/conftest.py): the next test sees what a test before any flush saw."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from initiatives import state
from initiatives.models import InfringementProcedure, MemberState

from . import conftest

pytestmark = pytest.mark.django_db(transaction=True)


def table_sizes():
    return {model._meta.label: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed}


def test_a_transactional_test_ends_with_a_flush():
    assert MemberState.objects.filter(code="DE").exists()
    MemberState.objects.filter(code="DE").update(name="changed by a test")


def test_after_the_flush_every_table_holds_the_snapshot_rows_again():
    assert MemberState.objects.get(code="DE").name != "changed by a test"
    expected = {model._meta.label: len(rows) for model, rows in conftest._snapshot.rows.items()}
    assert {label: size for label, size in table_sizes().items() if size} == expected
    assert state.procedures().filter(state="open").count() > 0
    # Content types come back under the snapshot's ids, so generic references (permissions) still hold.
    assert ContentType.objects.get_for_model(InfringementProcedure).pk == next(
        row["id"] for row in conftest._snapshot.rows[ContentType] if row["model"] == "infringementprocedure")


def test_loading_the_shipped_data_again_over_the_restored_rows_changes_nothing():
    before = table_sizes()
    conftest.load_real_data()
    assert table_sizes() == before
