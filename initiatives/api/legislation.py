"""The API of legislative files: /api/legislative-files/ and /api/legislative-files/<2022-0155-COD>/.

Each file with its stages (dates to their precision, sources, confidence), the act it produced, and where it
stood: its current stage, since when, the next step the procedure expects and the days its act applied. With
`?as_of=`, the stages that had happened by that day and the state then (the rule of the pages).
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiatives.as_of import counted_q
from initiatives.models import LegislativeFile, LegislativeStage
from initiatives.models.legislation import reference_of
from initiatives.views.legislation import state_of

from .serializers import PageLinkField, PartialDateField, PrecisionField, SourceSerializer
from .views import AS_OF, AsOfMixin, ReadOnly, _list_and_detail


class StageSerializer(serializers.ModelSerializer):
    date = PartialDateField()
    date_precision = PrecisionField()
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = LegislativeStage
        fields = ["stage", "date", "date_precision", "detail", "confidence", "last_verified", "sources"]


class LegislativeFileSerializer(serializers.ModelSerializer):
    key_actions = serializers.SerializerMethodField()
    replaces = serializers.SlugRelatedField(slug_field="celex", read_only=True, allow_null=True)
    current_stage = serializers.CharField(source="state.current", read_only=True, allow_null=True)
    current_since = serializers.SerializerMethodField()
    next_step = serializers.CharField(source="state.next", read_only=True, allow_null=True)
    in_force_from = serializers.DateField(source="state.in_force.start", read_only=True, allow_null=True,
                                          default=None)
    in_force_until = serializers.DateField(source="state.in_force.end", read_only=True, allow_null=True, default=None)
    stages = serializers.SerializerMethodField()
    page = PageLinkField()

    class Meta:
        model = LegislativeFile
        fields = ["id", "reference", "title", "proposal_reference", "key_actions", "replaces", "act_number",
                  "act_celex", "act_oj", "current_stage", "current_since", "next_step", "in_force_from",
                  "in_force_until",
                  "stages", "page"]

    def to_representation(self, instance):
        instance.state = state_of(instance, self.context.get("as_of_day"), timezone.localdate())
        return super().to_representation(instance)

    def get_key_actions(self, instance) -> list[str]:
        return [action.code for action in instance.key_action_list]

    @extend_schema_field({"type": "string", "nullable": True, "example": "2025-12-09",
                          "description": "Since when the file has been at its current stage, to its precision."})
    def get_current_since(self, instance):
        return instance.state.since.isoformat() if instance.state.since else None

    @extend_schema_field(StageSerializer(many=True))
    def get_stages(self, instance):
        return StageSerializer(instance.state.stages, many=True, context=self.context).data


@_list_and_detail("legislative file", "legislative files", "The EU legislative procedures behind the key "
                  "actions, stage by stage, with the act each produced. The detail is addressed by the procedure "
                  "reference written 2022-0155-COD (or by its id). With `as_of`, only what had happened by that "
                  "day; a file not yet proposed then is left out of the list.", [AS_OF])
class LegislativeFileViewSet(AsOfMixin, ReadOnly):
    serializer_class = LegislativeFileSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return LegislativeFile.objects.published().with_related().order_by("reference")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of_day": self.as_of_day()}

    def filter_queryset(self, queryset):
        """On a past day, only the files whose first stage had happened by then (one subquery)."""
        queryset = super().filter_queryset(queryset)
        day = self.as_of_day()
        if day is not None and self.action == "list":
            queryset = queryset.filter(pk__in=LegislativeStage.objects.filter(counted_q(day)).values("file_id"))
        return queryset

    def get_object(self):
        """By the reference written 2022-0155-COD, or by the id."""
        key = self.kwargs.get("slug", "")
        reference = reference_of(key)
        files = self.get_queryset()
        if reference:
            file = files.filter(reference=reference).first()
        else:
            file = files.filter(pk=int(key)).first() if key.isdigit() and len(key) < 10 else None
        if file is None:
            raise Http404
        return file
