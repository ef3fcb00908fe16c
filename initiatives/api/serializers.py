"""Read-only representations of the published data.

Dates keep their precision: every date is given as its machine form (2014-01-27, 2014-01, 2021-Q2, 2020)
beside its precision (day, month, quarter, year); null when unknown. Every fact carries its sources and
confidence, as on the pages, and `last_verified`: the day staff last checked it against its sources (null: not
yet verified by staff).
"""

from __future__ import annotations

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiatives import state
from initiatives.choices import ProcedureState
from initiatives.dates import PartialDate, Precision
from initiatives.models import (
    Article,
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    MemberState,
    NationalMeasure,
    Source,
    Strategy,
    TranspositionReport,
)

PARTIAL_DATE_SCHEMA = {
    "type": "string", "nullable": True, "example": "2014-01",
    "pattern": r"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$|^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$",
    "description": "The date to its known precision: YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY, or YYYY-MM-DD/YYYY-MM-DD "
                   "for a date known only to lie between two days; null when unknown.",
}
PRECISION_SCHEMA = {"type": "string", "nullable": True, "enum": Precision.values,
                    "description": "day, month, quarter, year, or between (two days); null when the date is "
                                   "unknown."}


def _partial(obj, date_attr: str, precision_attr: str) -> PartialDate | None:
    latest = getattr(obj, "date_latest", None) if date_attr == "date" else None
    return PartialDate.from_parts(getattr(obj, date_attr), getattr(obj, precision_attr) or Precision.DAY, latest)


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDateField(serializers.Field):
    """A date with its precision, as the machine form of PartialDate ("2014-01" for January 2014)."""

    def __init__(self, date_attr="date", precision_attr="date_precision", **kwargs):
        self.date_attr, self.precision_attr = date_attr, precision_attr
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        partial = _partial(obj, self.date_attr, self.precision_attr)
        return partial.isoformat() if partial else None


@extend_schema_field(PRECISION_SCHEMA)
class PrecisionField(PartialDateField):
    def to_representation(self, obj):
        partial = _partial(obj, self.date_attr, self.precision_attr)
        return partial.precision if partial else None


@extend_schema_field({"type": "string", "format": "uri", "nullable": True,
                      "description": "The public page that shows this record."})
class PageLinkField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        try:
            path = obj.get_absolute_url()
        except NoReverseMatch:  # the public page is not there (yet)
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def listed(name: str) -> str:
    """The attribute where the viewsets leave a record's prefetched `name` as a plain list:
    `Prefetch(name, to_attr=listed(name))` (initiatives/api/views.py)."""
    return f"{name}_listed"


class Prefetched(serializers.ListSerializer):
    """A nested list read from the plain list that `Prefetch(name, to_attr=listed(name))` leaves on each record.
    A plain prefetch gives every record a manager and a queryset of its own, which cost more than serializing
    the rows (issue 16: a page of 50 reports built 200 of them). A record read without it (not through the
    viewsets) is read through its manager, as before."""

    def get_attribute(self, instance):
        rows = getattr(instance, listed(self.source), None) if len(self.source_attrs) == 1 else None
        return rows if rows is not None else super().get_attribute(instance)


class Lean(serializers.ModelSerializer):
    """A model serializer that lists its readable fields once: DRF filters them again for every record it
    serializes (issue 16: 1,100 times for a page of 50 reports with their sources and measures)."""

    @property
    def _readable_fields(self):
        readable = self.__dict__.get("_readable")
        if readable is None:
            readable = self.__dict__["_readable"] = [field for field in self.fields.values() if not field.write_only]
        return readable


class SourceSerializer(Lean):
    class Meta:
        model = Source
        fields = ["citation", "url"]
        list_serializer_class = Prefetched


class SourcedSerializer(Lean):
    sources = SourceSerializer(many=True, read_only=True)


class StrategySerializer(serializers.ModelSerializer):
    class Meta:
        model = Strategy
        fields = ["id", "reference", "title", "adopted_on", "period_start", "period_end", "url"]


class InitiativeSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    page = PageLinkField()

    class Meta:
        model = Initiative
        fields = ["id", "strategy", "number", "title", "pillar", "summary", "section_reference", "page"]


class KeyActionSerializer(SourcedSerializer):
    initiative = serializers.IntegerField(source="initiative.number", read_only=True,
                                          help_text=_("The initiative's number."))
    deadline = PartialDateField("deadline", "deadline_precision")
    deadline_precision = PrecisionField("deadline", "deadline_precision")
    delivery_date = PartialDateField()
    delivery_date_precision = PrecisionField()
    forecast = PartialDateField("forecast", "forecast_precision")
    forecast_precision = PrecisionField("forecast", "forecast_precision")
    page = PageLinkField()

    def to_representation(self, instance):
        return super().to_representation(state.show_key_action_on(instance))

    class Meta:
        model = KeyAction
        fields = ["id", "initiative", "code", "short_title", "statement", "section_reference",
                  "is_context_commitment", "lead_actor", "deadline_wording", "deadline", "deadline_precision",
                  "status", "progress", "delivery_date", "delivery_date_precision", "forecast", "forecast_precision",
                  "narrative", "last_verified", "confidence", "sources", "page"]


class EventSerializer(SourcedSerializer):
    initiative = serializers.IntegerField(source="key_action.initiative.number", read_only=True)
    key_action_code = serializers.CharField(source="key_action.code", read_only=True)
    date = PartialDateField()
    date_precision = PrecisionField()

    class Meta:
        model = KeyActionEvent
        fields = ["id", "key_action", "initiative", "key_action_code", "kind", "date", "date_precision",
                  "description", "last_verified", "confidence", "sources"]


class MemberStateSerializer(serializers.ModelSerializer):
    bound_source = SourceSerializer(read_only=True, allow_null=True)
    page = PageLinkField()

    class Meta:
        model = MemberState
        fields = ["code", "iso_alpha2", "iso_alpha3", "name", "accession_year", "protocol_order",
                  "bound_by_directive", "bound_source", "page"]


class ArticleSerializer(SourcedSerializer):
    legal_act = serializers.SlugRelatedField(slug_field="celex", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "legal_act", "number", "title", "group", "known_lagging", "last_verified", "confidence",
                  "sources"]


class MeasureSerializer(Lean):
    date = PartialDateField()
    date_precision = PrecisionField()

    class Meta:
        model = NationalMeasure
        fields = ["reference", "title", "date", "date_precision", "url"]
        list_serializer_class = Prefetched


class TranspositionReportSerializer(SourcedSerializer):
    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    article = serializers.IntegerField(source="article.number", read_only=True)
    legal_act = serializers.CharField(source="article.legal_act.celex", read_only=True)
    as_of = PartialDateField()
    as_of_precision = PrecisionField()
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = TranspositionReport
        fields = ["id", "member_state", "legal_act", "article", "status", "as_of", "as_of_precision", "measures",
                  "comment", "last_verified", "confidence", "sources"]


class AssessmentSerializer(SourcedSerializer):
    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    article = serializers.IntegerField(source="article.number", read_only=True)
    legal_act = serializers.CharField(source="article.legal_act.celex", read_only=True)
    as_of = PartialDateField()
    as_of_precision = PrecisionField()

    class Meta:
        model = Assessment
        fields = ["id", "member_state", "legal_act", "article", "status", "as_of", "as_of_precision", "comment",
                  "last_verified", "confidence", "sources"]


class DecisionSerializer(SourcedSerializer):
    member_state = serializers.CharField(source="procedure.member_state.code", read_only=True)
    date = PartialDateField()
    date_precision = PrecisionField()

    class Meta:
        model = Decision
        fields = ["id", "procedure", "member_state", "position", "stage", "date", "date_precision", "reply_months",
                  "note", "last_verified", "confidence", "sources"]


class ProcedureDecisionSerializer(DecisionSerializer):
    class Meta(DecisionSerializer.Meta):
        fields = ["id", "position", "stage", "date", "date_precision", "reply_months", "note", "last_verified",
                  "confidence", "sources"]
        list_serializer_class = Prefetched


class ProcedureSerializer(SourcedSerializer):
    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    legal_act = serializers.SlugRelatedField(slug_field="celex", read_only=True)
    articles = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    state = serializers.ChoiceField(
        choices=ProcedureState.choices, read_only=True,
        help_text=_("open (the newest evidence shows it running), closed (a closure on a day or between two "
                    "days), or unknown (the evidence cannot decide, e.g. on a day inside the closing interval); on "
                    "the `as_of` day."))
    is_open = serializers.SerializerMethodField(help_text=_("True when `state` is open."))
    closed_earliest = serializers.DateField(
        read_only=True, allow_null=True,
        help_text=_("The first day the closure may have happened; equal to closed_latest when the day is "
                    "known. Null when not closed (or closed on an unknown day)."))
    closed_latest = serializers.DateField(read_only=True, allow_null=True,
                                          help_text=_("The last day the closure may have happened; null when "
                                                      "not closed (or closed on an unknown day)."))
    last_listed = serializers.DateField(
        read_only=True, allow_null=True,
        help_text=_("The day of the newest copy of the Commission's register (taken by the `as_of` day) "
                    "that listed it as active; null when none did."))
    decisions = ProcedureDecisionSerializer(many=True, read_only=True)
    page = PageLinkField()

    class Meta:
        model = InfringementProcedure
        fields = ["id", "member_state", "infr_number", "type", "legal_act", "articles", "state", "is_open",
                  "closed_earliest", "closed_latest", "last_listed", "note", "last_verified", "confidence",
                  "sources", "decisions", "page"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_open(self, obj) -> bool:
        return obj.state == ProcedureState.OPEN

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.state != ProcedureState.CLOSED:
            data["closed_earliest"] = data["closed_latest"] = None
        return data
