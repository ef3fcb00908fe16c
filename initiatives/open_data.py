"""The full open-data download: one CSV per table and a Frictionless Data Package (datapackage.json).

Each table is declared once, as its columns (name, type, description) and a function that yields its rows;
the CSV files, the package descriptor and the /open-data/ page are all built from that declaration, so a
column cannot be written without being described. Published data only (the `.published()` querysets),
the same as the public pages. The three importable tables (infringement decisions, key-action events,
transposition reports) are in their import format, so the download imports back unchanged.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives import exports
from initiatives.choices import ProcedureState
from initiatives.dates import PartialDate
from initiatives.models import (
    Article,
    Assessment,
    Initiative,
    KeyAction,
    LegalAct,
    MemberState,
    NationalMeasure,
    Source,
    Strategy,
    TranspositionReport,
    decisions_of_published_procedures,
)

PACKAGE_NAME = "eu-csa-strategy-tracker"
ZIP_NAME = f"{PACKAGE_NAME}.zip"
# The licence under which the compiled data is offered. The facts come from public EU and press sources,
# each cited row by row; CC BY 4.0 is also the licence of the Commission's own documents (Decision
# 2011/833/EU, as amended). A maintainers' choice: change it here and the package and page follow.
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
PARTIAL_DATE_PATTERN = r"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$|^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$"
PARTIAL_DATE_NOTE = _("A date to its known precision: YYYY-MM-DD, YYYY-MM (month known), YYYY-Qn (quarter), "
                      "YYYY (year), or YYYY-MM-DD/YYYY-MM-DD (known only to lie between two days); empty when "
                      "unknown.")
SOURCES_NOTE = _("The sources of the fact (links or document references), separated by \" ; \".")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, boolean, date
    description: str
    partial_date: bool = False
    enum: Sequence[str] | None = None

    def schema(self) -> dict:
        described = {"name": self.name, "type": self.type, "description": str(self.description)}
        constraints = {}
        if self.partial_date:
            described["description"] = f"{self.description} {PARTIAL_DATE_NOTE}"
            constraints["pattern"] = PARTIAL_DATE_PATTERN
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], Iterable[Sequence]]
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def dataset(self):
        return exports.build_dataset([c.name for c in self.columns], self.rows(), title=self.name)

    def resource(self) -> dict:
        schema = {"fields": [column.schema() for column in self.columns], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = self.foreign_keys
        return {"name": self.name, "path": self.path, "title": str(self.title), "description": str(self.description),
                "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": schema}


def _fk(fields, resource, reference):
    return {"fields": fields, "reference": {"resource": resource, "fields": reference}}


def _citations(obj) -> str:
    return " ; ".join(source.citation for source in obj.sources.all())


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _enum(choices) -> list[str]:
    return list(choices.values)


def _strategies():
    for s in Strategy.objects.order_by("adopted_on"):
        yield [s.reference, s.title, s.adopted_on, s.period_start, s.period_end, s.url]


def _initiatives():
    for i in Initiative.objects.published().select_related("strategy").order_by("strategy__adopted_on", "number"):
        yield [i.strategy.reference, i.number, i.title, i.pillar, i.section_reference, i.summary]


def _key_actions():
    for ka in KeyAction.objects.published().with_related().order_by("initiative__number", "is_context_commitment",
                                                                     "code"):
        yield [ka.initiative.number, ka.code, ka.short_title, _bool(ka.is_context_commitment), ka.lead_actor,
               ka.statement, ka.section_reference, ka.deadline_wording, ka.deadline_date or "", ka.status,
               ka.progress, ka.when or "", _forecast(ka), ka.narrative, ka.confidence, _citations(ka)]


def _forecast(ka):
    return PartialDate.from_parts(ka.forecast, ka.forecast_precision) or ""


def _events():
    dataset = exports.event_dataset(KeyAction.objects.published())
    return [list(row) for row in dataset]


def _member_states():
    for ms in MemberState.objects.select_related("bound_source").order_by("protocol_order"):
        yield [ms.code, ms.iso_alpha2, ms.iso_alpha3, ms.name, ms.accession_year, _bool(ms.bound_by_directive),
               ms.bound_source.citation if ms.bound_source else ""]


def _legal_acts():
    for act in LegalAct.objects.select_related("successor").prefetch_related("sources"):
        yield [act.celex, act.short_name, act.title, act.kind, act.adopted_on, act.transposition_deadline, act.url,
               act.successor.celex if act.successor else "", _citations(act)]


def _articles():
    for a in Article.objects.select_related("legal_act").prefetch_related("sources").order_by("legal_act", "number"):
        yield [a.legal_act.celex, a.number, a.title, a.group, a.known_lagging, a.confidence, _citations(a)]


def _measures():
    for m in NationalMeasure.objects.select_related("member_state").order_by("member_state__protocol_order",
                                                                             "reference"):
        yield [m.member_state.code, m.reference, m.title, m.when or "", m.url]


def _reports():
    dataset = exports.transposition_dataset(TranspositionReport.objects.published())
    return [list(row) for row in dataset]


def _assessments():
    for a in Assessment.objects.published().select_related("member_state", "article__legal_act").prefetch_related(
            "sources").order_by("member_state__protocol_order", "article__number"):
        yield [a.member_state.code, a.article.number, a.status, a.when, a.confidence, _citations(a), a.comment,
               a.article.legal_act.celex]


def _procedures():
    from initiatives import state

    procedures = state.procedures().select_related("member_state", "legal_act").prefetch_related(
        "articles", "sources").order_by("member_state__protocol_order", "id")
    for p in procedures:
        latest = PartialDate.from_parts(p.latest_date, p.latest_precision, p.latest_date_latest)
        closed = p.state == ProcedureState.CLOSED
        yield [p.pk, p.member_state.code, p.infr_number or "", p.type, p.legal_act.celex,
               " ; ".join(str(a.number) for a in p.articles.all()), p.state, _bool(p.state == ProcedureState.OPEN),
               (p.closed_earliest or "") if closed else "", (p.closed_latest or "") if closed else "",
               p.last_listed or "", p.latest_stage or "", latest or "", p.confidence, _citations(p), p.note]


def _decisions():
    decisions = decisions_of_published_procedures()
    return [list(row) for row in exports.infringement_dataset(decisions, with_ids=True)]


def tables() -> list[Table]:
    from initiatives.choices import (
        ArticleGroup,
        AssessmentStatus,
        Confidence,
        EventKind,
        KeyActionStatus,
        Lagging,
        LeadActor,
        LegalActKind,
        NotificationStatus,
        Pillar,
        ProcedureType,
        Stage,
    )

    confidence = Column("confidence", "string", _("How sure the sources are: high, medium or low."),
                        enum=_enum(Confidence))
    sources = Column("source_url_or_ref", "string", SOURCES_NOTE)
    ms_code = Column("member_state_code", "string", _("The Member State's EU code (EL for Greece)."))
    celex = Column("legal_act", "string", _("The legal act's CELEX or document number."))
    return [
        Table("strategies", _("Strategies"), _("The Commission strategies whose implementation is tracked."), [
            Column("reference", "string", _("The Commission document reference, e.g. COM(2020) 607.")),
            Column("title", "string", _("The strategy's title.")),
            Column("adopted_on", "date", _("The day the Commission adopted it.")),
            Column("period_start", "integer", _("First year of the period it covers.")),
            Column("period_end", "integer", _("Last year of the period it covers.")),
            Column("url", "string", _("A link to its text.")),
        ], _strategies, primary_key=["reference"]),
        Table("initiatives", _("Initiatives"), _("The strategy's numbered initiatives."), [
            Column("strategy", "string", _("The strategy's reference.")),
            Column("number", "integer", _("The initiative's number in the strategy.")),
            Column("title", "string", _("Its title.")),
            Column("pillar", "string", _("The strategy's pillar (I or II)."), enum=_enum(Pillar)),
            Column("section_reference", "string", _("Where it stands in the strategy's text.")),
            Column("summary", "string", _("The opening paragraph of the initiative.")),
        ], _initiatives, primary_key=["strategy", "number"],
            foreign_keys=[_fk(["strategy"], "strategies", ["reference"])]),
        Table("key_actions", _("Key actions"), _(
            "The strategy's key actions and the commitments tracked beside them, with their status."), [
            Column("initiative_number", "integer", _("The initiative the key action belongs to.")),
            Column("code", "string", _("Its stable code within the initiative (1, 2a, 2-dsa ...).")),
            Column("short_title", "string", _("A short title.")),
            Column("is_context_commitment", "boolean", _(
                "true for a commitment stated in the text but not marked as a key action.")),
            Column("lead_actor", "string", _("Who leads it."), enum=_enum(LeadActor)),
            Column("statement", "string", _("The strategy's own words, quoted.")),
            Column("section_reference", "string", _("Where it stands in the strategy's text.")),
            Column("deadline_wording", "string", _("The deadline as the strategy words it.")),
            Column("deadline", "string", _("The deadline as a date."), partial_date=True),
            Column("status", "string", _("Where it stands."), enum=_enum(KeyActionStatus)),
            Column("progress", "integer", _("Progress in percent, only when a source states it; empty means "
                                            "unknown.")),
            Column("delivery_date", "string", _("When it was delivered."), partial_date=True),
            Column("forecast", "string", _("When delivery is expected."), partial_date=True),
            Column("narrative", "string", _("A public narrative of its progress.")),
            confidence, sources,
        ], _key_actions, primary_key=["initiative_number", "code"]),
        Table("key_action_events", _("Key-action events"), _(
            "Dated steps that show progress on a key action. Import format: "
            "python manage.py import events key_action_events.csv."), [
            Column("initiative_number", "integer", _("The initiative of the key action.")),
            Column("key_action_code", "string", _("The key action's code within the initiative.")),
            Column("key_action_short", "string", _("The key action's short title.")),
            Column("event_date", "string", _("When the step happened; empty on a row that carries only the key "
                                             "action's status."), partial_date=True),
            Column("event", "string", _("What happened.")),
            Column("kind", "string", _("The kind of step."), enum=_enum(EventKind)),
            Column("status", "string", _("The key action's status (the same on all its rows)."),
                   enum=_enum(KeyActionStatus)),
            sources, confidence,
        ], _events, foreign_keys=[_fk(["initiative_number", "key_action_code"], "key_actions",
                                      ["initiative_number", "code"])]),
        Table("member_states", _("Member States"), _("The EU Member States, in protocol order."), [
            Column("code", "string", _("The EU code (EL for Greece).")),
            Column("iso_alpha2", "string", _("ISO 3166-1 alpha-2 code.")),
            Column("iso_alpha3", "string", _("ISO 3166-1 alpha-3 code.")),
            Column("name", "string", _("Name in English.")),
            Column("accession_year", "integer", _("Year of accession; the founders are shown as 1958.")),
            Column("bound_by_directive", "boolean", _("Whether Directive 2011/93/EU binds it (Denmark: false).")),
            Column("bound_source", "string", _("The source for being bound or not.")),
        ], _member_states, primary_key=["code"]),
        Table("legal_acts", _("Legal acts"), _("The legal acts whose transposition is tracked."), [
            Column("celex", "string", _("CELEX or document number.")),
            Column("short_name", "string", _("Short name.")),
            Column("title", "string", _("Full title.")),
            Column("kind", "string", _("Directive, regulation or proposal."), enum=_enum(LegalActKind)),
            Column("adopted_on", "date", _("Day of adoption; empty when unknown.")),
            Column("transposition_deadline", "date", _("Transposition deadline; empty when none.")),
            Column("url", "string", _("A link to the text.")),
            Column("successor", "string", _("CELEX of the act that replaces it (a recast), if any.")),
            sources,
        ], _legal_acts, primary_key=["celex"]),
        Table("articles", _("Articles"), _("The articles of each legal act."), [
            celex, Column("number", "integer", _("The article's number.")),
            Column("title", "string", _("Its title (short, sometimes paraphrased).")),
            Column("group", "string", _("The subject it belongs to."), enum=_enum(ArticleGroup)),
            Column("known_lagging", "string", _("Whether Commission reports name it among those Member States lag "
                                                "on."), enum=_enum(Lagging)),
            confidence, sources,
        ], _articles, primary_key=["legal_act", "number"], foreign_keys=[_fk(["legal_act"], "legal_acts", ["celex"])]),
        Table("national_measures", _("National measures"), _(
            "National laws and regulations notified as transposing the Directive."), [
            ms_code, Column("reference", "string", _("The official reference.")),
            Column("title", "string", _("Its title.")),
            Column("date", "string", _("Its date."), partial_date=True),
            Column("url", "string", _("A link to it.")),
        ], _measures, primary_key=["member_state_code", "reference"],
            foreign_keys=[_fk(["member_state_code"], "member_states", ["code"])]),
        Table("transposition_reports", _("Transposition reports"), _(
            "What each Member State reports it has notified for each article. Import format: "
            "python manage.py import transposition transposition_reports.csv."), [
            ms_code, Column("article", "integer", _("The article's number.")),
            Column("status", "string", _("What the Member State reports it has notified."),
                   enum=_enum(NotificationStatus)),
            Column("as_of", "string", _("The date the report holds for."), partial_date=True),
            sources, confidence, Column("comment", "string", _("A comment.")), celex,
            Column("measures", "string", _("References of the national measures notified, separated by \" ; \".")),
        ], _reports, primary_key=["member_state_code", "legal_act", "article"],
            foreign_keys=[_fk(["member_state_code"], "member_states", ["code"]),
                          _fk(["legal_act", "article"], "articles", ["legal_act", "number"])]),
        Table("assessments", _("Commission assessments"), _(
            "The Commission's own assessment of each Member State's transposition of each article."), [
            ms_code, Column("article", "integer", _("The article's number.")),
            Column("status", "string", _("The Commission's assessment."), enum=_enum(AssessmentStatus)),
            Column("as_of", "string", _("The date the assessment holds for."), partial_date=True),
            confidence, sources, Column("comment", "string", _("A comment.")), celex,
        ], _assessments, primary_key=["member_state_code", "legal_act", "article"],
            foreign_keys=[_fk(["member_state_code"], "member_states", ["code"]),
                          _fk(["legal_act", "article"], "articles", ["legal_act", "number"])]),
        Table("infringement_procedures", _("Infringement procedures"), _(
            "The Commission's infringement procedures, with their state from the evidence (initiatives/state.py): "
            "open, closed (on a day or between two days) or unknown."), [
            Column("id", "integer", _("The tracker's identifier of the procedure.")),
            ms_code, Column("infr_number", "string", _("The Commission's number, e.g. INFR(2019)2136; empty when "
                                                       "unknown.")),
            Column("type", "string", _("Non-communication or non-conformity."), enum=_enum(ProcedureType)),
            celex, Column("articles", "string", _("Numbers of the articles concerned, separated by \" ; \"; empty "
                                                  "when not known.")),
            Column("state", "string", _("open, closed or unknown, from the evidence."), enum=_enum(ProcedureState)),
            Column("is_open", "boolean", _("true when the state is open.")),
            Column("closed_earliest", "date", _("The first day the closure may have happened; empty when not "
                                                "closed or when the closing day is unknown.")),
            Column("closed_latest", "date", _("The last day the closure may have happened (equal to "
                                              "closed_earliest when the day is known).")),
            Column("last_listed", "date", _("The day of the newest copy of the Commission's register that "
                                            "listed it as active; empty when none did.")),
            Column("latest_stage", "string", _("The stage of its latest decision."), enum=_enum(Stage)),
            Column("latest_decision_date", "string", _("The date of its latest decision."), partial_date=True),
            confidence, sources, Column("note", "string", _("A note.")),
        ], _procedures, primary_key=["id"], foreign_keys=[_fk(["member_state_code"], "member_states", ["code"])]),
        Table("infringement_decisions", _("Infringement decisions"), _(
            "Every decision of every procedure, in order. Import format: "
            "python manage.py import infringements infringement_decisions.csv (procedure_id and position are "
            "read as information only)."), [
            ms_code, Column("infr_number", "string", _("The procedure's INFR number; empty when unknown.")),
            Column("stage", "string", _("The decision's stage."), enum=_enum(Stage)),
            Column("decision_date", "string", _("The decision's date."), partial_date=True),
            sources, confidence, Column("note", "string", _("A note.")),
            Column("type", "string", _("The procedure's type."), enum=_enum(ProcedureType)), celex,
            Column("articles", "string", _("The articles the procedure concerns, separated by \" ; \".")),
            Column("procedure_id", "integer", _("The procedure the decision belongs to.")),
            Column("position", "integer", _("1 for the procedure's first decision.")),
        ], _decisions, primary_key=["procedure_id", "position"],
            foreign_keys=[_fk(["procedure_id"], "infringement_procedures", ["id"])]),
        _legislation_table(confidence, sources),
    ]


def _legislation_table(confidence, sources) -> Table:
    """The legislative files, stage by stage, in their import format (importers/legislation.py)."""
    from initiatives.choices import LegislativeStageKind

    return Table("legislative_stages", _("Legislative files, stage by stage"), _(
        "The EU legislative procedures behind the key actions, one row per stage. Import format: "
        "python manage.py import legislation legislative_stages.csv."), [
        Column("procedure_ref", "string", _("The procedure reference, e.g. 2022/0155(COD).")),
        Column("short_title", "string", _("The file's title.")),
        Column("legal_act", "string", _("The act adopted, as the source words it, on the rows of the adoption and "
                                        "after; empty before.")),
        Column("key_action", "string", _("The code of the key action the file serves (recast: the revision of "
                                         "the Directive).")),
        Column("stage", "string", _("The stage."), enum=_enum(LegislativeStageKind)),
        Column("date", "string", _("The stage's date."), partial_date=True),
        Column("detail", "string", _("What happened.")),
        sources, confidence,
    ], _legislative_stages, primary_key=["procedure_ref", "stage", "date"])


def _legislative_stages():
    from initiatives.importers.legislation import export_rows
    from initiatives.models import LegislativeFile

    return export_rows(LegislativeFile.objects.published().with_related())


def table(name: str) -> Table | None:
    return next((t for t in tables() if t.name == name), None)


def descriptor(tables_: list[Table], *, site_url: str = "") -> dict:
    """The datapackage.json of the download (Frictionless Data Package, tabular profile)."""
    cited = Source.objects.order_by("citation").values_list("citation", "url")
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": str(_("EU CSA Strategy Tracker: open data")),
        "description": str(_(
            "The implementation of COM(2020) 607, the EU strategy for a more effective fight against child sexual "
            "abuse: its initiatives and key actions, the transposition of Directive 2011/93/EU and the "
            "Commission's infringement procedures. Published data only. Every fact carries its sources and a "
            "confidence; what the sources do not say is left empty (unknown).")),
        "homepage": f"{site_url}/open-data/" if site_url else "/open-data/",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [LICENCE],
        "sources": [{"title": citation, **({"path": url} if url else {})} for citation, url in cited],
        "resources": [t.resource() for t in tables_],
    }


def build_zip(*, site_url: str = "") -> bytes:
    """The whole download: one CSV per table and datapackage.json, in one zip archive."""
    buffer = io.BytesIO()
    all_tables = tables()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for t in all_tables:
            archive.writestr(f"{PACKAGE_NAME}/{t.path}", exports.render(t.dataset(), "csv"))
        archive.writestr(f"{PACKAGE_NAME}/datapackage.json",
                         json.dumps(descriptor(all_tables, site_url=site_url), indent=2, ensure_ascii=False))
    return buffer.getvalue()

