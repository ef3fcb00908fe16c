"""Forms of the staff and liaison workspaces.

Dates keep their precision: one field class, PartialDateField, reads 2014-01-27, 2014-01, 2021-Q2 or 2020.
Edit forms carry the record's version (its newest history row) in a hidden field, so that a save made on
top of someone else's is refused (services.EditConflict), and an optional reason kept in the history.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from initiatives.choices import KeyActionStatus, NotificationStatus, Stage
from initiatives.dates import DateParseError, PartialDate, Precision
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LiaisonReport,
    MemberState,
    Source,
)
from initiatives.text import validate_no_control_characters

SOURCE_LIMIT = Source._meta.get_field("citation").max_length
REASON_LIMIT = 100  # simple-history's history_change_reason


class PartialDateField(forms.Field):
    """A date known to a day, a month, a quarter or a year; cleans to a PartialDate (or None)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not a date. Write it as YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY, "
                     "for example 2014-01-27, 2014-01, 2021-Q2 or 2020."),
    }

    def __init__(self, *, allow_future=True, **kwargs):
        kwargs.setdefault("help_text", _("For example 2014-01-27, 2014-01 (month known), 2021-Q2 or 2020."))
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "class": "date-input", "size": 12, "maxlength": 21})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.isoformat()
        return value

    def to_python(self, value):
        if isinstance(value, PartialDate):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except DateParseError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid",
                                  params={"value": text[:40]}) from error

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.allow_future and value.start > timezone.localdate():
            raise ValidationError(_("%(date)s is in the future: an actual date cannot be."),
                                  code="future", params={"date": value.display()})

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


class SourcesField(forms.CharField):
    """Sources, one citation per line (a URL, a document reference, or both)."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {"required": _("Give at least one source: a link or a document reference.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Sources"))
        kwargs.setdefault("help_text", _("One per line: a link, a document reference (COM(2020) 607), or both."))
        kwargs.setdefault("max_length", 10 * SOURCE_LIMIT)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        citations = []
        for line in text.splitlines():
            citation = " ".join(line.split())
            if not citation:
                continue
            if len(citation) > SOURCE_LIMIT:
                raise ValidationError(_("A source is limited to %(limit)s characters; this one has %(n)s."),
                                      code="max_length", params={"limit": SOURCE_LIMIT, "n": len(citation)})
            if citation not in citations:
                citations.append(citation)
        return citations


def _plain_text(value) -> None:
    """Text, or a list of lines (the sources), without control characters (initiatives/text.py)."""
    for item in value if isinstance(value, list | tuple) else [value]:
        validate_no_control_characters(item)


class PlainTextFormMixin:
    """Every text field of the form refuses control characters, saying which and where (issue 12, item 9)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and _plain_text not in field.validators:
                field.validators.append(_plain_text)


class TrackedFormMixin(forms.Form):
    """The version token (hidden) and the optional reason for the change, both kept in the history."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(label=_("Reason for the change (optional)"), max_length=REASON_LIMIT, required=False,
                             help_text=_("Kept in the record's history, with your name and the time."))


class TickBoxBoundField(BoundField):
    """A tick box before its label, with its help below, as people read a check box."""

    def as_field_group(self):
        help_text = format_html('<div class="helptext" id="{}_helptext">{}</div>', self.auto_id,
                                self.help_text) if self.help_text else ""
        return format_html('{}<label for="{}">{} {}</label>{}', self.errors, self.id_for_label, self, self.label,
                           help_text)


class VerifiedTodayFormMixin(forms.Form):
    """Edit forms of a sourced fact: a tick box, empty at first, "I checked this against its sources today".
    Ticked, the save records today as the day the record was last verified; left empty, that day stays."""

    verified_today = forms.BooleanField(
        label=_("I checked this against its sources today"), required=False, bound_field_class=TickBoxBoundField,
        help_text=_("Records today as the day this was last verified; leave it empty if you did not check."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [name for name in self.fields if name != "verified_today"]
        names.insert(names.index("reason") if "reason" in names else len(names), "verified_today")
        self.order_fields(names)

    def _post_clean(self):
        if self.cleaned_data.get("verified_today"):
            self.instance.last_verified = timezone.localdate()
        super()._post_clean()


class PreciseDateFormMixin:
    """Model forms whose model stores a date and its precision in two fields.

    `precise_dates` maps a form field (a PartialDateField named like the model's date field, and left out
    of Meta.fields) to the model's precision field. A model that can hold a date known only to lie between two
    days keeps the second day in `<name>_latest` (decisions: `date_latest`).
    """

    precise_dates: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, precision in self.precise_dates.items():
            if name not in self.initial:
                self.initial[name] = PartialDate.from_parts(getattr(self.instance, name), getattr(
                    self.instance, precision), getattr(self.instance, f"{name}_latest", None))

    def _post_clean(self):
        for name, precision in self.precise_dates.items():
            if name in self.cleaned_data:
                value = self.cleaned_data[name]
                setattr(self.instance, name, value.start if value else None)
                setattr(self.instance, precision, value.precision if value else Precision.DAY)
                if hasattr(self.instance, f"{name}_latest"):
                    setattr(self.instance, f"{name}_latest", value.end if value else None)
        super()._post_clean()


class SourcedFormMixin:
    """Forms of a sourced fact: the sources field starts with the record's citations, and may not be empty."""

    sources_missing = _("Every fact needs at least one source.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "sources" not in self.initial:
            self.initial["sources"] = [source.citation for source in self.instance.sources.all()]

    def clean_sources(self):
        citations = self.cleaned_data["sources"]
        if not citations:
            raise ValidationError(self.sources_missing)
        return citations


class KeyActionForm(PlainTextFormMixin, VerifiedTodayFormMixin, PreciseDateFormMixin, TrackedFormMixin,
                    forms.ModelForm):
    precise_dates = {"forecast": "forecast_precision", "date": "date_precision"}

    forecast = PartialDateField(label=_("Forecast date"), required=False,
                                help_text=_("When delivery is now expected. For example 2026-Q4 or 2027."))
    date = PartialDateField(label=_("Actual delivery date"), required=False, allow_future=False,
                            help_text=_("Only once delivered. For example 2022-10-19 or 2022-10."))

    class Meta:
        model = KeyAction
        fields = ["status", "status_reason", "status_source", "progress", "narrative", "commitment", "outcome"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6}),
                   "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1})}
        help_texts = {"narrative": _("Shown on the public pages. Plain text."),
                      "status_reason": _("Needed when you change a status that follows from the evidence (a "
                                         "“propose” commitment whose file has a proposal); shown on the "
                                         "public page."),
                      "status_source": _("The source for the status you set: a link or a document reference.")}

    field_order = ["status", "status_reason", "status_source", "progress", "forecast", "date", "narrative",
                   "commitment", "outcome", "reason", "version"]

    def clean(self):
        """Changing a status that follows from the evidence is an override by staff: it needs a reason and a
        source (KeyAction.clean says so), and the public page says staff set it."""
        cleaned = super().clean()
        if self.instance.pk and "status" in self.changed_data:
            from initiatives.models.legislation import derived_status_of

            derived = derived_status_of(self.instance)
            self.instance.status_set_by_staff = derived is not None and derived[0] != cleaned.get("status")
            delivered = cleaned.get("status") in (KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE)
            if derived is None and delivered and not (cleaned.get("status_source") or "").strip():
                self.add_error("status_source", _("A delivered status needs the source that gives the delivery: a "
                                                  "link or a document reference."))
        return cleaned


class EventForm(PlainTextFormMixin, VerifiedTodayFormMixin, SourcedFormMixin, PreciseDateFormMixin, TrackedFormMixin,
                forms.ModelForm):
    precise_dates = {"date": "date_precision"}
    sources_missing = _("Every event needs at least one source.")

    date = PartialDateField(label=_("Date"), allow_future=False)
    sources = SourcesField()

    class Meta:
        model = KeyActionEvent
        fields = ["kind", "description", "confidence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    field_order = ["date", "kind", "description", "sources", "confidence", "reason", "version"]



class DeleteForm(PlainTextFormMixin, TrackedFormMixin):
    pass


class ProcedureOpenForm(PlainTextFormMixin, SourcedFormMixin, forms.ModelForm):
    """Open a procedure: the procedure and its first decision, a letter of formal notice."""

    sources_missing = _("Opening a procedure needs at least one source.")

    member_state = forms.ModelChoiceField(MemberState.objects.all(), to_field_name="code",
                                          label=_("Member State"))
    letter_date = PartialDateField(label=_("Date of the letter of formal notice"), required=False,
                                   allow_future=False, help_text=_("Empty when unknown. For example 2019-07-25."))
    sources = SourcesField()
    reason = TrackedFormMixin.base_fields["reason"]

    class Meta:
        model = InfringementProcedure
        fields = ["member_state", "type", "legal_act", "infr_number", "articles", "note", "confidence"]
        widgets = {"articles": forms.SelectMultiple(attrs={"size": 8}), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"articles": _("Only if a source names them; none means not known."),
                      "infr_number": _("Write it as INFR(2019)2136; empty when unknown.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = self.fields["articles"].queryset.select_related("legal_act")


    def clean_infr_number(self):
        number = self.cleaned_data.get("infr_number") or None
        if number and InfringementProcedure.objects.filter(infr_number=number).exists():
            raise ValidationError(_("A procedure with the number %(number)s already exists: add the next decision "
                                    "to it instead."), code="unique", params={"number": number})
        return number

    def clean(self):
        cleaned = super().clean()
        legal_act, articles = cleaned.get("legal_act"), cleaned.get("articles")
        if legal_act and articles and any(article.legal_act_id != legal_act.pk for article in articles):
            self.add_error("articles", _("Choose articles of %(act)s only.") % {"act": legal_act})
        return cleaned


class DecisionForm(PlainTextFormMixin, VerifiedTodayFormMixin, SourcedFormMixin, PreciseDateFormMixin, forms.ModelForm):
    """The next decision of a procedure; the order rules are checked against the decisions before it."""

    precise_dates = {"date": "date_precision"}
    sources_missing = _("Every decision needs at least one source.")

    date = PartialDateField(label=_("Decision date"), required=False, allow_future=False,
                            help_text=_("Empty when unknown. For example 2023-02-15 or 2023-02; "
                                        "2020-08-24/2021-06-22 when it is known only to lie between two days."))
    sources = SourcesField()
    after_position = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = TrackedFormMixin.base_fields["reason"]

    class Meta:
        model = Decision
        fields = ["stage", "reply_months", "note", "confidence"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}),
                   "reply_months": forms.NumberInput(attrs={"min": 1, "max": 24})}

    field_order = ["stage", "date", "reply_months", "note", "sources", "confidence", "reason", "after_position"]

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.instance.procedure = procedure
        decisions = list(procedure.decisions.all())
        self.last_position = max((d.position for d in decisions), default=0)
        self.instance.position = self.last_position + 1
        self.initial.setdefault("after_position", self.last_position)
        if "stage" in self.fields:  # closing has its own form
            self.fields["stage"].choices = [c for c in self.fields["stage"].choices if c[0] != Stage.CLOSED]


    def clean_reply_months(self):
        months = self.cleaned_data.get("reply_months")
        if months is not None and not 1 <= months <= 24:
            raise ValidationError(_("A reply period is between 1 and 24 months."))
        return months


class CloseProcedureForm(DecisionForm):
    class Meta(DecisionForm.Meta):
        fields = ["note", "confidence"]

    field_order = ["date", "note", "sources", "confidence", "reason", "after_position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.stage = Stage.CLOSED
        self.fields["date"].label = _("Date of the closure")


class AssessmentForm(PlainTextFormMixin, VerifiedTodayFormMixin, SourcedFormMixin, PreciseDateFormMixin,
                     TrackedFormMixin, forms.ModelForm):
    precise_dates = {"date": "date_precision"}
    sources_missing = _("An assessment needs at least one source.")

    date = PartialDateField(label=_("As of"), allow_future=False,
                            help_text=_("The date of the assessment. For example 2023-02-15 or 2023-02."))
    sources = SourcesField()

    class Meta:
        model = Assessment
        fields = ["status", "comment", "confidence"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    field_order = ["status", "date", "comment", "sources", "confidence", "reason", "version"]



class LiaisonReportForm(PlainTextFormMixin, PreciseDateFormMixin, forms.ModelForm):
    """A liaison's report on one article. `member_state` is hidden and must be the liaison's own."""

    precise_dates = {"measure_date": "measure_date_precision"}

    member_state = forms.CharField(widget=forms.HiddenInput, max_length=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    measure_url = forms.URLField(label=_("Link to the measure"), max_length=500, required=False,
                                 assume_scheme="https")
    measure_date = PartialDateField(label=_("Date of the measure"), required=False, allow_future=False,
                                    help_text=_("For example 2015-03-02, or 2015-03 when only the month is known."))

    class Meta:
        model = LiaisonReport
        fields = ["status", "measure_title", "measure_reference", "measure_url", "comment"]
        widgets = {"status": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 4})}
        labels = {"measure_title": _("Title of the national measure"),
                  "measure_reference": _("Official reference"), "measure_url": _("Link to the measure")}
        help_texts = {"measure_reference": _("As published in your official journal."),
                      "comment": _("Anything the Commission should know. Published with the report once approved.")}

    field_order = ["status", "measure_title", "measure_reference", "measure_date", "measure_url", "comment",
                   "member_state", "version"]

    def __init__(self, *args, member_state, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = member_state
        self.initial["member_state"] = member_state.code
        self.fields["status"].choices = NotificationStatus.choices

    def clean_member_state(self):
        code = self.cleaned_data["member_state"]
        if code != self.scope.code:
            raise ValidationError(_("You report for %(name)s only; this form named another Member State."),
                                  code="scope", params={"name": self.scope.display_name})
        return self.scope


class ReviewForm(PlainTextFormMixin, forms.Form):
    """Approve a submitted report, or return it with a comment the liaison sees."""

    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve and publish")), (RETURN, _("Return for changes"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    review_comment = forms.CharField(label=_("Comment for the liaison"), required=False, max_length=4000,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Required when you return the report; optional when you approve "
                                                 "it. The liaison reads it on their workspace."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("review_comment", "").strip():
            self.add_error("review_comment", _("Say what the liaison should change."))
        return cleaned


class LegislativeStageForm(PlainTextFormMixin, VerifiedTodayFormMixin, SourcedFormMixin, PreciseDateFormMixin,
                           TrackedFormMixin, forms.ModelForm):
    """A stage of a legislative file: what happened, when (with its precision), its sources."""

    precise_dates = {"date": "date_precision"}
    sources_missing = _("Every stage needs at least one source.")

    date = PartialDateField(label=_("Date"), help_text=_("For example 2025-12-09, 2026-03 or 2024."))
    sources = SourcesField()

    class Meta:
        from initiatives.models import LegislativeStage

        model = LegislativeStage
        fields = ["stage", "detail", "confidence"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}

    field_order = ["stage", "date", "detail", "sources", "confidence", "reason", "version"]
