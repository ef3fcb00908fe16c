"""One FilterSet per public list, reused by the page, its export and the API.

They take whatever queryset they are given (the caller applies `.published()` and any annotations) and
assume nothing about the request. A value that does not validate (an unknown stage, year "abc") makes the
form invalid: FilterView then shows an empty, explained result instead of failing.
"""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import (
    ChoiceFilter,
    Filter,
    FilterSet,
    ModelChoiceFilter,
)

from initiatives import state as state_engine
from initiatives.choices import ArticleGroup, KeyActionStatus, ProcedureState, ProcedureType, Stage
from initiatives.models import Article, Decision, InfringementProcedure, Initiative, KeyAction, MemberState

KEY_ACTION, CONTEXT = "key_action", "context"


class EnglishLabelsSelect(forms.Select):
    """A choice of records whose names are the facts' own English text (the strategy's initiative titles): each
    option but the empty one is marked lang="en", as in_english marks such text elsewhere."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value not in ("", None):
            option["attrs"]["lang"] = "en"
        return option


class YearFilter(Filter):
    field_class = forms.IntegerField


class ProcedureFilter(FilterSet):
    """The infringement register, on procedures annotated by the state engine (state.procedures(day)): the
    filters read its annotations, so they hold on any day without knowing it."""

    member_state = ModelChoiceFilter(
        label=_("Member State"), field_name="member_state", to_field_name="code",
        queryset=MemberState.objects.bound().order_by("protocol_order"), empty_label=_("All Member States"))
    type = ChoiceFilter(label=_("Type"), choices=ProcedureType.choices, empty_label=_("All types"))
    stage = ChoiceFilter(label=_("Latest stage"), choices=Stage.choices, method="filter_latest_stage",
                         empty_label=_("All stages"))
    state = ChoiceFilter(label=_("State"), choices=ProcedureState.choices, field_name="state",
                         empty_label=_("Open, closed and unknown"))
    year = YearFilter(label=_("Year of a decision"), method="filter_year", min_value=1990, max_value=2100)

    class Meta:
        model = InfringementProcedure
        fields = ["member_state", "type", "stage", "state", "year"]

    def filter_latest_stage(self, queryset, name, value):
        return queryset.filter(latest_stage=value)

    def filter_year(self, queryset, name, value):
        decisions = Decision.objects.filter(state_engine.dated_by_state_day_q(), procedure=OuterRef("pk"),
                                            date__year=value)
        return queryset.filter(Exists(decisions))


class KeyActionFilter(FilterSet):
    """Key actions (and the commitments tracked beside them) by initiative, status and kind."""

    initiative = ModelChoiceFilter(
        label=_("Initiative"), field_name="initiative", to_field_name="number",
        queryset=Initiative.objects.published().order_by("number"), empty_label=_("All initiatives"),
        widget=EnglishLabelsSelect)
    status = ChoiceFilter(label=_("Status"), choices=KeyActionStatus.choices, empty_label=_("All statuses"),
                          method="filter_status")
    kind = ChoiceFilter(label=_("Kind"), choices=[(KEY_ACTION, _("key actions")),
                                                  (CONTEXT, _("context commitments"))],
                        method="filter_kind", empty_label=_("Key actions and context commitments"))

    class Meta:
        model = KeyAction
        fields = ["initiative", "status", "kind"]

    def filter_status(self, queryset, name, value):
        """On the status the key action had on the day (`status_on`, from state.key_actions(day))."""
        return queryset.filter(status_on=value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(is_context_commitment=(value == CONTEXT))


class ArticleFilter(FilterSet):
    """Articles of the Directive by group (the columns of the Member State x article matrix)."""

    group = ChoiceFilter(label=_("Article group"), choices=ArticleGroup.choices, empty_label=_("All groups"))

    class Meta:
        model = Article
        fields = ["group"]


class MeasureForm(forms.Form):
    """Which measure colours a map or matrix; an unknown value falls back to the first."""

    def __init__(self, data, *, choices):
        super().__init__(data)
        self.fields["measure"] = forms.ChoiceField(label=_("Colour by"), required=False, choices=choices)

    @property
    def chosen(self) -> str:
        if self.is_valid() and self.cleaned_data["measure"]:
            return self.cleaned_data["measure"]
        return self.fields["measure"].choices[0][0]
