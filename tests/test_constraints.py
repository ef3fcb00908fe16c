"""Unique and check constraints hold in the database itself (run on SQLite and PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction

from initiatives.choices import ProcedureType, Stage
from initiatives.models import Article, Decision, InfringementProcedure, KeyAction, LegalAct, MemberState

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_member_state_codes_are_unique():
    refused(lambda: MemberState.objects.create(code="DE", iso_alpha2="XD", iso_alpha3="XDE", name="Again",
                                               accession_year=1958, protocol_order=99))


def test_an_article_number_is_unique_within_its_act():
    act = LegalAct.objects.get(celex="32011L0093")
    refused(lambda: Article.objects.create(legal_act=act, number=27, title="Again", group="offences"))


def test_an_infr_number_belongs_to_one_procedure_only():
    act = LegalAct.objects.get(celex="32011L0093")
    refused(lambda: InfringementProcedure.objects.create(
        member_state=MemberState.objects.get(code="NL"), infr_number="INFR(2019)2136",
        type=ProcedureType.NON_CONFORMITY, legal_act=act))


def test_many_procedures_may_have_an_unknown_infr_number():
    assert InfringementProcedure.objects.filter(infr_number__isnull=True).count() > 1


def test_two_decisions_cannot_share_a_position():
    procedure = InfringementProcedure.objects.get(member_state__code="DE")
    refused(lambda: Decision.objects.create(procedure=procedure, position=1, stage=Stage.REASONED_OPINION))


def test_progress_cannot_exceed_100():
    refused(lambda: KeyAction.objects.filter(code="1").update(progress=101))


def test_an_infr_number_must_look_like_one():
    refused(lambda: InfringementProcedure.objects.filter(member_state__code="DE").update(infr_number="2019/1"))
