"""FilterSets for the API lists that no public page has (yet). The others come from initiatives/filters.py,
so the API filters exactly as the pages do: ProcedureFilter, KeyActionFilter, ArticleFilter; the first two
read a record by its key as text or number (an unknown one is an empty list), as the schema can state it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, CharFilter, ChoiceFilter, Filter, FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from initiatives import filters as pages
from initiatives.choices import AssessmentStatus, EventKind, NotificationStatus, Pillar, Stage
from initiatives.filters import ArticleFilter, YearFilter
from initiatives.models import Assessment, Decision, Initiative, KeyActionEvent, MemberState, TranspositionReport

__all__ = ["ArticleFilter", "AssessmentFilter", "DecisionFilter", "EventFilter", "InitiativeFilter",
           "KeyActionFilter", "MemberStateFilter", "ProcedureFilter", "TranspositionReportFilter"]


# Whole-number filters, documented as integers in the OpenAPI schema (YearFilter is the pages' own).
extend_schema_field(OpenApiTypes.INT)(YearFilter)


@extend_schema_field(OpenApiTypes.INT)
class NumberFilter(Filter):
    """A whole number within the range the database column holds (a huge number is a clear 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


def _upper(value: str) -> str:
    value = (value or "").upper()
    return "EL" if value == "GR" else value


class MemberStateCodeFilter(CharFilter):
    """A Member State by its EU code (EL for Greece; GR is read as EL)."""

    def filter(self, qs, value):
        return super().filter(qs, _upper(value) if value else value)


class ProcedureFilter(pages.ProcedureFilter):
    """The register's filters; a Member State by its EU code as text, so that a code with no procedure is an
    empty list, not a 400 the schema could not state (it names no list of codes)."""

    member_state = MemberStateCodeFilter(field_name="member_state__code", label=_("Member State (EU code)"))


class KeyActionFilter(pages.KeyActionFilter):
    """The initiative page's filters; an initiative by its number (a number with no initiative: an empty list)."""

    initiative = NumberFilter(field_name="initiative__number", label=_("Initiative number"))


class InitiativeFilter(FilterSet):
    strategy = CharFilter(field_name="strategy__reference", label=_("Strategy reference, e.g. COM(2020) 607"))
    pillar = ChoiceFilter(choices=Pillar.choices, label=_("Pillar"))
    number = NumberFilter(label=_("Initiative number"))

    class Meta:
        model = Initiative
        fields = ["strategy", "pillar", "number"]


class EventFilter(FilterSet):
    initiative = NumberFilter(field_name="key_action__initiative__number", label=_("Initiative number"))
    key_action = CharFilter(field_name="key_action__code", label=_("Key action code (1, 2a, 2-dsa ...)"))
    kind = ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    year = YearFilter(field_name="date__year", label=_("Year"), min_value=1900, max_value=2100)

    class Meta:
        model = KeyActionEvent
        fields = ["initiative", "key_action", "kind", "year"]


class MemberStateFilter(FilterSet):
    bound_by_directive = BooleanFilter(label=_("Bound by Directive 2011/93/EU"))

    class Meta:
        model = MemberState
        fields = ["bound_by_directive"]


class TranspositionReportFilter(FilterSet):
    member_state = MemberStateCodeFilter(field_name="member_state__code", label=_("Member State (EU code)"))
    article = NumberFilter(field_name="article__number", label=_("Article number"))
    status = ChoiceFilter(choices=NotificationStatus.choices, label=_("Notification status"))

    class Meta:
        model = TranspositionReport
        fields = ["member_state", "article", "status"]


class AssessmentFilter(FilterSet):
    member_state = MemberStateCodeFilter(field_name="member_state__code", label=_("Member State (EU code)"))
    article = NumberFilter(field_name="article__number", label=_("Article number"))
    status = ChoiceFilter(choices=AssessmentStatus.choices, label=_("Commission assessment"))

    class Meta:
        model = Assessment
        fields = ["member_state", "article", "status"]


class DecisionFilter(FilterSet):
    member_state = MemberStateCodeFilter(field_name="procedure__member_state__code",
                                         label=_("Member State (EU code)"))
    procedure = NumberFilter(field_name="procedure_id", label=_("Procedure id"))
    stage = ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    year = YearFilter(field_name="date__year", label=_("Year"), min_value=1900, max_value=2100)

    class Meta:
        model = Decision
        fields = ["member_state", "procedure", "stage", "year"]
