"""The Django admin: every record, with filters, search and eager loading. History via simple-history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from initiatives import models


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["citation", "url"]
    search_fields = ["citation", "url"]


@admin.register(models.Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "adopted_on", "period_start", "period_end"]


class KeyActionInline(admin.TabularInline):
    model = models.KeyAction
    fields = ["code", "short_title", "status", "deadline_wording", "is_context_commitment"]
    extra = 0
    show_change_link = True


@admin.register(models.Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "pillar", "strategy"]
    list_filter = ["pillar", "strategy"]
    list_select_related = ["strategy"]
    search_fields = ["title", "summary"]
    inlines = [KeyActionInline]


class EventInline(admin.TabularInline):
    model = models.KeyActionEvent
    fields = ["date", "date_precision", "kind", "description", "confidence"]
    extra = 0


@admin.register(models.KeyAction)
class KeyActionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "lead_actor", "deadline_wording", "deadline", "date", "is_context_commitment"]
    list_filter = ["status", "is_context_commitment", "lead_actor", "initiative"]
    list_select_related = ["initiative"]
    search_fields = ["short_title", "statement", "code"]
    filter_horizontal = ["sources"]
    inlines = [EventInline]


@admin.register(models.KeyActionEvent)
class KeyActionEventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "date_precision", "kind", "description", "key_action", "confidence"]
    list_filter = ["kind", "confidence", "key_action__initiative"]
    list_select_related = ["key_action", "key_action__initiative"]
    search_fields = ["description"]
    date_hierarchy = "date"
    filter_horizontal = ["sources"]


@admin.register(models.MemberState)
class MemberStateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "iso_alpha2", "iso_alpha3", "accession_year", "bound_by_directive"]
    list_filter = ["bound_by_directive", "accession_year"]
    list_select_related = ["bound_source"]
    search_fields = ["code", "name", "iso_alpha3"]


@admin.register(models.LegalAct)
class LegalActAdmin(admin.ModelAdmin):
    list_display = ["short_name", "celex", "kind", "adopted_on", "transposition_deadline", "successor"]
    list_select_related = ["successor"]
    search_fields = ["short_name", "celex", "title"]


@admin.register(models.Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "group", "known_lagging", "legal_act", "confidence"]
    list_filter = ["group", "known_lagging", "legal_act"]
    list_select_related = ["legal_act"]
    search_fields = ["title"]


@admin.register(models.NationalMeasure)
class NationalMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["member_state", "reference", "title", "date"]
    list_filter = ["member_state"]
    list_select_related = ["member_state"]
    search_fields = ["title", "reference"]


@admin.register(models.TranspositionReport)
class TranspositionReportAdmin(SimpleHistoryAdmin):
    list_display = ["member_state", "article", "status", "date", "confidence"]
    list_filter = ["status", "member_state", "article__group"]
    list_select_related = ["member_state", "article"]
    search_fields = ["comment"]


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["member_state", "article", "status", "date", "confidence"]
    list_filter = ["status", "member_state", "article__group"]
    list_select_related = ["member_state", "article"]
    search_fields = ["comment"]


class DecisionInline(admin.TabularInline):
    model = models.Decision
    fields = ["position", "stage", "date", "date_precision", "confidence", "note"]
    extra = 0


@admin.register(models.InfringementProcedure)
class InfringementProcedureAdmin(SimpleHistoryAdmin):
    list_display = ["member_state", "infr_number", "type", "legal_act", "confidence"]
    list_filter = ["type", "member_state", "legal_act"]
    list_select_related = ["member_state", "legal_act"]
    search_fields = ["infr_number", "note", "member_state__name"]
    inlines = [DecisionInline]


@admin.register(models.Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["procedure", "position", "stage", "date", "date_precision", "confidence"]
    list_filter = ["stage", "confidence", "procedure__member_state", "procedure__type"]
    list_select_related = ["procedure", "procedure__member_state"]
    search_fields = ["note", "procedure__infr_number"]
    date_hierarchy = "date"
    filter_horizontal = ["sources"]


@admin.register(models.Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    """Roles are given and taken by administrators (superusers) only, whatever permissions a group carries."""

    list_display = ["user", "member_state"]
    list_filter = ["member_state"]
    list_select_related = ["user", "member_state"]
    search_fields = ["user__username"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
