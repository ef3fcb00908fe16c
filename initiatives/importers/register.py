"""Copies of the Commission's register of infringement decisions: read, then reconciled with the records.

The register lists active cases only. People export it (JSON, CSV, XLSX) and its shape has changed over the
years (../shared/data/register/README.md describes the shapes seen): one row per decision, or one row per case
with its decisions one per line; headings in English, Swedish, French ...; decision types in the same
languages. Headings and decision types are recognised here by meaning, and a heading not recognised is
reported by name.

Reconciling one copy taken on day T with the procedures about one legal act (the cases whose title contains
one of the act's `register_patterns`; other cases are counted and ignored):

- A case is matched to a procedure by INFR number or, where the number is not recorded, by Member State, type
  (non-communication or not) and the date of its first letter. One match: the number is recorded. Several:
  the case is reported as unmatched, and those procedures are left as they are. None: a new procedure.
- Its decisions are merged: a recorded decision of the same stage whose period holds the register's day is
  the same decision (a month narrowed to the day); the same stage on another day is a disagreement, shown and
  never overwritten; anything else is created.
- Every procedure the copy lists gets a listing (evidence that it was open on T). A closure recorded before T
  for a listed case is a disagreement (a copy never reopens a case); a closure known only to lie in an
  interval that holds T now starts at T.
- A procedure about the act that the copy does not list, although its latest evidence (a dated decision or an
  earlier listing) is older than the copy's newest decision, was closed between that evidence and T: a closure
  is recorded with the copy as its source, or an existing one is narrowed. Copies can arrive in any order; an
  older copy narrows, never reopens nor undoes. The same copy twice changes nothing (its SHA-256 is kept).

All or nothing: the caller's transaction is rolled back on a dry run or on any error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from initiatives.choices import Confidence, ProcedureType, Stage
from initiatives.dates import PartialDate, Precision
from initiatives.models import (
    Decision,
    InfringementProcedure,
    LegalAct,
    MemberState,
    RegisterCopy,
    RegisterListing,
    Source,
    sequence_errors,
)
from initiatives.models.register import citation_for

from .common import CHANGE_REASON
from .tabular import ImportResult, TableError, _read_xlsx, check_size

DEFAULT_ACT = "32011L0093"
FORMATS = ".json, .csv or .xlsx"


def normalise(text) -> str:
    """Lower case, no accents, words separated by single spaces: 'Överträdelse nummer' -> 'overtradelse nummer'."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


# --- headings, by meaning ----------------------------------------------------------------------------------------

HEADINGS = {
    "infr_number": ["infringement number", "infringement no", "infringement nr", "infr number", "infr no",
                    "case number", "number", "overtradelse nummer", "overtradelsenummer", "arendenummer",
                    "numero d infraction", "numero de l infraction", "numero infraction",
                    "vertragsverletzungsnummer", "verfahrensnummer", "numero di infrazione"],
    "decision": ["decision", "decisions", "beslut", "entscheidung", "entscheidungen", "decisione"],
    "decision_date": ["decision date", "date of decision", "date decision", "date de decision",
                      "date de la decision", "beslutsdatum", "datum for beslut", "entscheidungsdatum",
                      "datum der entscheidung", "data della decisione"],
    "decision_type": ["decision type", "type of decision", "type de decision", "beslutstyp", "typ av beslut",
                      "art der entscheidung", "entscheidungsart", "tipo di decisione"],
    "member_state": ["member state", "country", "medlemsland", "medlemsstat", "land", "etat membre", "pays",
                     "mitgliedstaat", "stato membro"],
    "title": ["title", "titel", "titre", "subject", "titolo"],
    "non_communication": ["non communication", "non communication cases", "arenden om utebliven anmalan",
                          "utebliven anmalan", "non communication des mesures", "cas de non communication",
                          "affaires de non communication", "nichtmitteilung", "mancata comunicazione"],
    "active": ["active infringement cases", "active cases", "active", "pagaende", "pagaende arenden",
               "affaires en cours", "en cours", "laufende verfahren", "anhangig", "in corso"],
    # Known and not needed.
    "ignored": ["press release", "memo", "policy area department in charge", "policy area", "department in charge",
                "politikomrade", "ansvarig avdelning", "pressmeddelande", "domaine politique",
                "communique de presse", "politikbereich", "pressemitteilung", "comunicato stampa"],
}
_HEADING_INDEX = {normalise(variant): name for name, variants in HEADINGS.items() for variant in variants}

MEMBER_STATE_NAMES = {
    # English variants beyond the tracker's own names, then Swedish, French, German and Italian names.
    "AT": ["austria", "osterrike", "autriche", "osterreich"],
    "BE": ["belgium", "belgien", "belgique", "belgio"],
    "BG": ["bulgaria", "bulgarien", "bulgarie"],
    "CY": ["cyprus", "cypern", "chypre", "zypern", "cipro"],
    "CZ": ["czechia", "czech republic", "tjeckien", "tchequie", "republique tcheque", "tschechien",
           "tschechische republik", "cechia", "repubblica ceca"],
    "DE": ["germany", "tyskland", "allemagne", "deutschland", "germania"],
    "DK": ["denmark", "danmark", "danemark", "danemark", "danimarca", "daenemark", "danemark"],
    "EE": ["estonia", "estland", "estonie"],
    "EL": ["greece", "grekland", "grece", "griechenland", "grecia", "hellas"],
    "ES": ["spain", "spanien", "espagne", "spagna"],
    "FI": ["finland", "finlande", "finnland", "finlandia"],
    "FR": ["france", "frankrike", "frankreich", "francia"],
    "HR": ["croatia", "kroatien", "croatie", "croazia"],
    "HU": ["hungary", "ungern", "hongrie", "ungarn", "ungheria"],
    "IE": ["ireland", "irland", "irlande", "irlanda"],
    "IT": ["italy", "italien", "italie", "italia"],
    "LT": ["lithuania", "litauen", "lituanie", "lituania"],
    "LU": ["luxembourg", "luxemburg", "lussemburgo"],
    "LV": ["latvia", "lettland", "lettonie", "lettonia"],
    "MT": ["malta", "malte"],
    "NL": ["netherlands", "the netherlands", "nederlanderna", "pays bas", "niederlande", "paesi bassi"],
    "PL": ["poland", "polen", "pologne", "polonia"],
    "PT": ["portugal", "portogallo"],
    "RO": ["romania", "rumanien", "roumanie"],
    "SE": ["sweden", "sverige", "suede", "schweden", "svezia"],
    "SI": ["slovenia", "slovenien", "slovenie", "slowenien"],
    "SK": ["slovakia", "slovak republic", "slovakien", "slovaquie", "slowakei", "slovacchia"],
}
NOT_MEMBER_STATES = {"united kingdom", "storbritannien", "royaume uni", "vereinigtes konigreich", "regno unito", "uk"}
YES = {"yes", "ja", "oui", "si", "y", "true", "1"}
NO = {"no", "nej", "non", "nein", "n", "false", "0"}

# --- decision types, by meaning ---------------------------------------------------------------------------------

_FORMAL_NOTICE = ("formal notice", "formell underrattelse", "mise en demeure", "aufforderungsschreiben",
                  "messa in mora")
_REASONED_OPINION = ("reasoned opinion", "motiverat yttrande", "avis motive", "mit grunden versehene stellungnahme",
                     "begrundete stellungnahme", "parere motivato")
_REFERRAL = ("referral", "hanskjutande", "saisine", "befassung", "klageerhebung", "deferimento", "ricorso")
_ADDITIONAL = ("additional", "kompletterande", "complementaire", "erganzend", "zusatzlich", "supplementary",
               "complementare")
_NOT_DECISIONS = ("deferral", "uppskjut", "report", "withdrawal", "aterkallelse", "aterkallande", "retrait",
                  "rucknahme", "financial sanction", "ekonomisk pafoljd", "sanction financiere", "finanzielle sanktion",
                  "sanzione")


def classify(text: str) -> tuple[str | None, str]:
    """The stage a decision type names, or (None, why it is not one the tracker records); ('', '') if empty."""
    words = normalise(text)
    if not words or words in ("null", "none"):
        return None, ""
    art_260 = "260" in words.split() and "258" not in words.split()
    with_sanctions = "260 3" in words
    if any(term in words for term in _NOT_DECISIONS):
        return None, _("not a step the tracker records")
    additional = any(term in words for term in _ADDITIONAL)
    if any(term in words for term in _REASONED_OPINION):
        return (Stage.ADDITIONAL_REASONED_OPINION if additional else Stage.REASONED_OPINION), ""
    if any(term in words for term in _REFERRAL):
        if with_sanctions:
            return Stage.REFERRAL_WITH_SANCTIONS, ""
        return (Stage.ART_260_2_REFERRAL if art_260 else Stage.REFERRAL), ""
    if any(term in words for term in _FORMAL_NOTICE):
        if art_260:
            return Stage.ART_260_2_LETTER, ""
        return (Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE if additional else Stage.LETTER_OF_FORMAL_NOTICE), ""
    return None, "?"


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", re.ASCII)
_YEAR_FIRST = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})\b", re.ASCII)


def read_day(text: str) -> tuple[date | None, str]:
    """A register date (DD/MM/YYYY as the register prints it, YYYY/MM/DD, YYYY-MM-DD) and the rest of the line."""
    raw = str(text or "").strip()
    for pattern, order in ((_YEAR_FIRST, (1, 2, 3)), (_DAY_FIRST, (3, 2, 1))):
        match = pattern.match(raw)
        if match:
            try:
                day = date(int(match[order[0]]), int(match[order[1]]), int(match[order[2]]))
            except ValueError:
                return None, raw
            return day, raw[match.end():].strip()
    return None, raw


_INFR = re.compile(r"^(?:INFR\s*)?\(?\s*(\d{4})\s*\)?\s*[/\-]?\s*(\d{4})$", re.IGNORECASE | re.ASCII)


def read_infr_number(value) -> str | None:
    """'INFR(2019)2230', 20192230, '2019/2230' -> 'INFR(2019)2230'; None when it is not one."""
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = _INFR.match(text.replace(" ", "")) or _INFR.match(text)
    return f"INFR({match[1]}){match[2]}" if match else None


# --- reading a file ------------------------------------------------------------------------------------------


@dataclass
class RegisterDecision:
    stage: str
    day: date
    text: str


@dataclass
class RegisterCase:
    line: int
    infr_number: str
    member_state: str  # an EU code
    title: str
    non_communication: bool | None
    decisions: list[RegisterDecision] = field(default_factory=list)

    @property
    def first_letter(self) -> date | None:
        days = [d.day for d in self.decisions if d.stage == Stage.LETTER_OF_FORMAL_NOTICE]
        return min(days, default=None)

    @property
    def type(self) -> str | None:
        if self.non_communication is None:
            return None
        return ProcedureType.NON_COMMUNICATION if self.non_communication else ProcedureType.NON_CONFORMITY

    def label(self) -> str:
        return f"{self.member_state} {self.infr_number}"


@dataclass
class RegisterResult(ImportResult):
    rows: int = 0
    cases: int = 0
    cases_about_act: int = 0
    newest_decision: date | None = None
    warnings: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    copy: RegisterCopy | None = None

    def note(self, section: str, text: str) -> None:
        self.sections.setdefault(section, []).append(text)
        self.changes.append(text)

    def section_list(self) -> list[tuple[str, list[str]]]:
        titles = {"created": _("New procedures and decisions"), "numbered": _("INFR numbers recorded"),
                  "closed": _("Closed (no longer listed)"), "narrowed": _("Dates narrowed"),
                  "listed": _("Listed as active"), "unmatched": _("Cases not matched"),
                  "disagreements": _("Disagreements with recorded facts (nothing overwritten)"),
                  "skipped": _("Not changed, and why")}
        return [(titles[key], self.sections[key]) for key in titles if self.sections.get(key)]

    def summary(self) -> str:
        counts = {key: len(self.sections.get(key, [])) for key in ("created", "numbered", "closed", "narrowed",
                                                                   "unmatched", "disagreements")}
        return _("%(about)s of %(cases)s cases about the act; %(created)s created, %(numbered)s numbered, "
                 "%(closed)s closed, %(narrowed)s narrowed, %(unmatched)s not matched, %(disagreements)s "
                 "disagreements") % {"about": self.cases_about_act, "cases": self.cases, **counts}


def read_records(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(headings, [(line, record)]) from a JSON, CSV (comma or semicolon, with or without BOM) or XLSX copy."""
    check_size(data)
    name = filename.lower()
    if name.endswith(".json"):
        try:
            loaded = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as error:
            raise TableError(_("The file is not valid JSON: %(error)s.") % {"error": error}) from error
        if isinstance(loaded, dict):  # {"data": [...]} and the like: the first list of records
            loaded = next((value for value in loaded.values() if isinstance(value, list)), None)
        if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
            raise TableError(_("The JSON file must hold a list of records (objects), one per case or decision."))
        headings = list(dict.fromkeys(key for item in loaded for key in item))
        return headings, [(index, item) for index, item in enumerate(loaded, start=1)]
    if name.endswith(".xlsx"):
        header, rows = _read_xlsx(data)
    elif name.endswith(".csv"):
        header, rows = _read_delimited(data)
    else:
        raise TableError(_("Upload a copy of the register as %(formats)s.") % {"formats": FORMATS})
    header = [str(cell or "").strip() for cell in header]
    return header, [(line, dict(zip(header, cells, strict=False))) for line, cells in rows]


def _read_delimited(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The file is not UTF-8 text (byte %(position)s cannot be read). Save it as "
                           "CSV UTF-8 and try again.") % {"position": error.start}) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        rows = [(reader.line_num, record) for record in reader]
    except StopIteration as error:
        raise TableError(_("The file is empty.")) from error
    except csv.Error as error:
        raise TableError(_("The CSV cannot be read: %(error)s.") % {"error": error}) from error
    for line, record in rows:
        if len(record) > len(header):
            raise TableError(_("Line %(line)s has more cells than the header has columns.") % {"line": line})
    return header, rows


def map_headings(headings: list[str], result: RegisterResult) -> dict[str, str]:
    """field -> the file's heading. Unrecognised headings are reported by name; missing needed ones are errors."""
    mapping: dict[str, str] = {}
    for heading in headings:
        name = _HEADING_INDEX.get(normalise(heading))
        if name is None:
            result.warnings.append(_("The heading %(heading)r is not one the register has had: its column is "
                                     "ignored.") % {"heading": heading})
        elif name != "ignored":
            if name in mapping:
                result.error(0, heading, _("Two headings mean the same (%(a)r and %(b)r).") % {
                    "a": mapping[name], "b": heading})
            mapping[name] = heading
    needed = ["infr_number", "member_state", "title"]
    if "decision" not in mapping and not {"decision_date", "decision_type"} <= set(mapping):
        result.error(0, "", _("No column of decisions: the register has either one column with the decisions, "
                              "one per line (\"Decision\", \"Décision\", \"Beslut\"), or a decision date and a "
                              "decision type column."))
    for name in needed:
        if name not in mapping:
            result.error(0, "", _("No column for %(what)s (headings such as %(examples)s).") % {
                "what": name.replace("_", " "), "examples": ", ".join(repr(v) for v in HEADINGS[name][:3])})
    return mapping


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def member_state_index() -> dict[str, str]:
    index = {normalise(name): code for code, names in MEMBER_STATE_NAMES.items() for name in names}
    for code, name in MemberState.objects.values_list("code", "name"):
        index[normalise(name)] = code
        index[code.lower()] = code
    index["gr"] = "EL"
    return index


def read_cases(records, mapping, patterns: list[str], result: RegisterResult) -> list[RegisterCase]:
    """The cases about the act (title matching a pattern), their decisions merged across rows."""
    names = member_state_index()
    wanted = [p.lower() for p in patterns]
    cases: dict[str, RegisterCase] = {}
    all_numbers: set[str] = set()
    newest: date | None = None
    for line, record in records:
        result.rows += 1
        title = _text(record.get(mapping.get("title")))
        raw_number = record.get(mapping.get("infr_number"))
        number = read_infr_number(raw_number)
        all_numbers.add(number or f"line {line}")
        entries: list[tuple[date | None, str]] = []
        if "decision" in mapping:
            for text_line in _text(record.get(mapping["decision"])).splitlines():
                if text_line.strip() and normalise(text_line) not in ("null", "none"):
                    entries.append(read_day(text_line))
        else:
            day_value = record.get(mapping["decision_date"])
            day = day_value if isinstance(day_value, date) else read_day(_text(day_value))[0]
            entries.append((day, _text(record.get(mapping["decision_type"]))))
        for day, _rest in entries:
            if day is not None and (newest is None or day > newest):
                newest = day
        if not any(pattern in title.lower() for pattern in wanted):
            continue
        if number is None:
            result.error(line, mapping.get("infr_number", ""), _("%(value)r is not an INFR number.") % {
                "value": _text(raw_number)})
            continue
        ms_text = _text(record.get(mapping.get("member_state")))
        code = names.get(normalise(ms_text))
        if code is None:
            reason = _("is not an EU Member State") if normalise(ms_text) in NOT_MEMBER_STATES else \
                _("is not a Member State name the importer knows")
            result.error(line, mapping.get("member_state", ""), f"{ms_text!r} {reason}.")
            continue
        flag = normalise(_text(record.get(mapping["non_communication"]))) if "non_communication" in mapping else ""
        non_communication = True if flag in YES else False if flag in NO else None
        case = cases.get(number)
        if case is None:
            case = cases[number] = RegisterCase(line, number, code, title.strip(), non_communication)
        elif case.member_state != code:
            result.error(line, mapping.get("member_state", ""), _("%(number)s is listed for %(a)s and for %(b)s.") % {
                "number": number, "a": case.member_state, "b": code})
            continue
        for day, rest in entries:
            stage, why = classify(rest)
            if day is None:
                result.error(line, mapping.get("decision", mapping.get("decision_date", "")),
                             _("%(number)s: %(text)r has no date the importer can read (DD/MM/YYYY).") % {
                                 "number": number, "text": rest[:80]})
            elif stage is None and why == "?":
                result.error(line, mapping.get("decision", mapping.get("decision_type", "")),
                             _("%(number)s: the decision type %(text)r is not one the importer knows.") % {
                                 "number": number, "text": rest[:80]})
            elif stage is None:
                result.warnings.append(_("%(number)s: %(text)r of %(day)s is %(why)s: ignored.") % {
                    "number": number, "text": rest[:80], "day": day.isoformat(), "why": why})
            elif not any(d.stage == stage and d.day == day for d in case.decisions):
                case.decisions.append(RegisterDecision(stage, day, rest))
    result.cases = len(all_numbers)
    result.cases_about_act = len(cases)
    result.newest_decision = newest
    for case in cases.values():
        case.decisions.sort(key=lambda d: d.day)
    return sorted(cases.values(), key=lambda c: (c.member_state, c.first_letter or date.max, c.infr_number))


# --- reconciling --------------------------------------------------------------------------------------------


def _display(day: date) -> str:
    return formats.date_format(day)


class Reconciler:
    def __init__(self, copy: RegisterCopy, act: LegalAct, result: RegisterResult, user=None):
        self.copy, self.act, self.result, self.user = copy, act, result, user
        self.taken_on = copy.taken_on
        self.source = copy.source
        self.procedures = list(InfringementProcedure.objects.filter(legal_act=act).select_related("member_state")
                               .prefetch_related("decisions", "listings__copy").order_by("id"))
        self.matched: dict[int, RegisterCase] = {}
        self.held: set[int] = set()  # candidates of an ambiguous case: not closed by this copy

    def write(self, record, *, clean: bool = False) -> None:
        """Save a record the copy gave or changed: audited with the import's reason and user, the copy cited."""
        record._change_reason = CHANGE_REASON.get() or None
        record._history_user = self.user
        if clean:
            record.full_clean()
        record.save()
        record.sources.add(self.source)

    # Evidence of one procedure, from its decisions and its listings in other copies.
    @staticmethod
    def decisions_of(procedure) -> list[Decision]:
        return sorted(procedure.decisions.all(), key=lambda d: d.position)

    def latest_evidence(self, procedure) -> date | None:
        days = [d.date_latest for d in self.decisions_of(procedure) if d.stage != Stage.CLOSED and d.date_latest]
        days += [listing.copy.taken_on for listing in procedure.listings.all() if listing.copy_id != self.copy.pk]
        return max(days, default=None)

    @staticmethod
    def closure_of(procedure) -> Decision | None:
        return next((d for d in procedure.decisions.all() if d.stage == Stage.CLOSED), None)

    def run(self, cases: list[RegisterCase]) -> None:
        for case in cases:
            procedure = self.match(case)
            if procedure is not None:
                self.matched[procedure.pk] = case
                self.merge(procedure, case)
        if self.copy.cases <= self.copy.cases_about_act:
            # Only a whole copy says what is no longer active: one holding nothing but the act's cases may be a
            # filtered export, so its silence about a procedure proves nothing.
            self.result.warnings.append(_("The copy holds only cases about %(act)s: it may be a filtered export, "
                                          "so no procedure is closed because it is missing from it.") % {
                "act": self.act})
            return
        for procedure in self.procedures:
            if procedure.pk not in self.matched and procedure.pk not in self.held:
                self.not_listed(procedure)

    def match(self, case: RegisterCase) -> InfringementProcedure | None:
        result = self.result
        by_number = next((p for p in self.procedures if p.infr_number == case.infr_number), None)
        if by_number is not None:
            if by_number.member_state.code != case.member_state:
                result.note("unmatched", _("%(case)s: the tracker records %(number)s against %(ms)s.") % {
                    "case": case.label(), "number": case.infr_number, "ms": by_number.member_state.code})
                return None
            return by_number
        first = case.first_letter
        same = [p for p in self.procedures if p.infr_number is None and p.member_state.code == case.member_state
                and p.pk not in self.matched and (case.type is None or p.type == case.type)]

        def first_letter(procedure):
            return next((d.when for d in self.decisions_of(procedure)
                         if d.stage == Stage.LETTER_OF_FORMAL_NOTICE and d.when is not None), None)

        exact = [p for p in same if first and first_letter(p) and first_letter(p).start <= first <= first_letter(p).end]
        if len(exact) == 1:
            procedure = exact[0]
            procedure.infr_number = case.infr_number
            self.write(procedure, clean=True)
            result.updated += 1
            result.note("numbered", _("%(case)s: number recorded for the procedure whose first letter is of "
                                      "%(day)s.") % {"case": case.label(), "day": first_letter(procedure).display()})
            return procedure
        if len(exact) > 1:
            self.held.update(p.pk for p in exact)
            result.note("unmatched", _("%(case)s: %(n)s recorded procedures could be this case (same Member State, "
                                       "type and first letter); none is changed.") % {
                "case": case.label(), "n": len(exact)})
            return None
        near = [p for p in same if first and first_letter(p) and abs((first_letter(p).start - first).days) <= 62]
        if near:
            self.held.update(p.pk for p in near)
            result.note("disagreements", _("%(case)s: its first letter is of %(day)s; the tracker records a "
                                           "procedure against %(ms)s with a first letter of %(recorded)s. Not "
                                           "matched: check which is right.") % {
                "case": case.label(), "day": _display(first) if first else "?", "ms": case.member_state,
                "recorded": first_letter(near[0]).display()})
            return None
        if case.type is None:
            result.note("unmatched", _("%(case)s: the copy does not say whether it is a non-communication case; "
                                       "not created.") % {"case": case.label()})
            return None
        if first is None:
            result.note("unmatched", _("%(case)s: no letter of formal notice in the copy; not created.") % {
                "case": case.label()})
            return None
        procedure = InfringementProcedure(member_state=MemberState.objects.get(code=case.member_state),
                                          infr_number=case.infr_number, type=case.type, legal_act=self.act,
                                          confidence=Confidence.HIGH,
                                          note=_("Case title in the register: %(title)s") % {"title": case.title[:500]})
        self.write(procedure, clean=True)
        result.created += 1
        result.note("created", _("%(case)s: new procedure (%(type)s).") % {
            "case": case.label(), "type": ProcedureType(case.type).label})
        self.procedures.append(procedure)
        return procedure

    def merge(self, procedure, case: RegisterCase) -> None:
        result = self.result
        existing = [d for d in self.decisions_of(procedure) if d.stage != Stage.CLOSED]
        claimed: set[int] = set()
        new: list[RegisterDecision] = []
        for item in case.decisions:
            same = next((d for d in existing if d.pk not in claimed and d.stage == item.stage and d.when is not None
                         and d.when.start <= item.day <= d.when.end), None)
            if same is not None:
                claimed.add(same.pk)
                if same.when.precision != Precision.DAY:
                    was = same.when.display()
                    same.when = PartialDate(item.day)
                    self.write(same)
                    result.updated += 1
                    result.note("narrowed", _("%(case)s: %(stage)s of %(was)s is of %(day)s.") % {
                        "case": case.label(), "stage": Stage(item.stage).label, "was": was, "day": _display(item.day)})
                else:
                    result.unchanged += 1
                continue
            new.append(item)
        for item in list(new):
            other = next((d for d in existing if d.pk not in claimed and d.stage == item.stage and d.when is not None
                          and abs((d.when.start - item.day).days) <= 62), None)
            if other is not None:
                claimed.add(other.pk)
                new.remove(item)
                result.note("disagreements", _("%(case)s: the copy gives the %(stage)s as of %(day)s; the tracker "
                                               "records %(recorded)s. Not changed.") % {
                    "case": case.label(), "stage": Stage(item.stage).label, "day": _display(item.day),
                    "recorded": other.when.display()})
        closure = self.closure_of(procedure)
        if closure is not None:
            self.listed_but_closed(procedure, closure, case)
        if new:
            self.insert(procedure, case, new)
        RegisterListing.objects.get_or_create(copy=self.copy, procedure=procedure)
        result.note("listed", _("%(case)s: active on %(day)s.") % {"case": case.label(),
                                                                     "day": _display(self.taken_on)})

    def insert(self, procedure, case: RegisterCase, new: list[RegisterDecision]) -> None:
        """Add the copy's new decisions in date order among the recorded ones (positions renumbered)."""
        result = self.result
        decisions = self.decisions_of(procedure)
        steps = [(d.when, d.stage, d) for d in decisions] + [(PartialDate(item.day), item.stage, item) for item in new]

        def order(step):
            when, stage, _item = step
            return (stage == Stage.CLOSED, when is None, when.start if when else date.max,
                    0 if stage == Stage.CLOSED else STAGE_ORDER[stage])

        steps.sort(key=order)
        errors = sequence_errors([(stage, when) for when, stage, _item in steps], procedure.type)
        if errors:
            for message in errors:
                result.error(case.line, "", _("%(case)s: %(message)s") % {"case": case.label(), "message": message})
            return
        for decision in decisions:  # out of the way first: positions are unique per procedure
            Decision.objects.filter(pk=decision.pk).update(position=decision.position + 1000)
        for position, (when, stage, item) in enumerate(steps, start=1):
            if isinstance(item, Decision):
                Decision.objects.filter(pk=item.pk).update(position=position)
                continue
            decision = Decision(procedure=procedure, position=position, stage=stage, confidence=Confidence.HIGH,
                                note=_("As the register words it: %(text)s") % {"text": item.text[:300]})
            decision.when = when
            self.write(decision)
            result.created += 1
            result.note("created", _("%(case)s: %(stage)s of %(day)s.") % {
                "case": case.label(), "stage": Stage(stage).label, "day": when.display()})
        getattr(procedure, "_prefetched_objects_cache", {}).pop("decisions", None)

    def listed_but_closed(self, procedure, closure: Decision, case: RegisterCase) -> None:
        """The copy lists a procedure recorded as closed: narrow an interval that holds the copy's day;
        a closure wholly before it is a disagreement (a copy never reopens a case)."""
        when = closure.when
        if when is None or when.end >= self.taken_on > when.start:
            if when is None:
                return  # an undated closure: the listing is evidence of a later closing, kept as a listing
            self.set_closure(procedure, closure, PartialDate.between(self.taken_on, when.end), case.label(),
                             _("listed as active on %(day)s") % {"day": _display(self.taken_on)})
        elif when.end < self.taken_on:
            self.result.note("disagreements", _("%(case)s: the tracker records it closed %(when)s, but the copy of "
                                                "%(day)s lists it as active. Not reopened.") % {
                "case": case.label(), "when": when.display(), "day": _display(self.taken_on)})

    def not_listed(self, procedure) -> None:
        result = self.result
        label = str(procedure)
        evidence = self.latest_evidence(procedure)
        closure = self.closure_of(procedure)
        if evidence is None:
            result.note("skipped", _("%(procedure)s: not listed, but no dated evidence of it to bound a closure.")
                        % {"procedure": label})
            return
        reach = min(self.copy.newest_decision or self.taken_on, self.taken_on)
        if evidence >= reach:
            if closure is None:
                result.note("skipped", _("%(procedure)s: not listed, but its latest evidence (%(day)s) is not older "
                                         "than the copy's newest decision (%(reach)s).") % {
                    "procedure": label, "day": _display(evidence), "reach": _display(reach)})
            return
        reason = _("not listed in the register's copy of %(day)s") % {"day": _display(self.taken_on)}
        if closure is None:
            self.add_closure(procedure, PartialDate.between(evidence, self.taken_on), label, evidence)
            return
        when = closure.when
        if when is None:
            self.set_closure(procedure, closure, PartialDate.between(evidence, self.taken_on), label, reason)
        elif when.start > self.taken_on:
            result.note("disagreements", _("%(procedure)s: the tracker records it closed %(when)s, but the copy of "
                                           "%(day)s no longer lists it. Not changed.") % {
                "procedure": label, "when": when.display(), "day": _display(self.taken_on)})
        elif when.end > self.taken_on:
            self.set_closure(procedure, closure, PartialDate.between(max(when.start, evidence), self.taken_on),
                             label, reason)
        else:
            result.unchanged += 1

    def add_closure(self, procedure, when: PartialDate, label: str, evidence: date) -> None:
        decisions = self.decisions_of(procedure)
        decision = Decision(procedure=procedure, position=len(decisions) + 1, stage=Stage.CLOSED,
                            confidence=Confidence.HIGH,
                            note=_("Not listed among the active cases of the Commission's register on %(day)s; its "
                                   "latest evidence before that is of %(evidence)s.") % {
                                "day": _display(self.taken_on), "evidence": _display(evidence)})
        decision.when = when
        errors = sequence_errors([(d.stage, d.when) for d in decisions] + [(Stage.CLOSED, when)], procedure.type)
        if errors:
            for message in errors:
                self.result.error(0, "", f"{label}: {message}")
            return
        self.write(decision)
        self.result.created += 1
        self.result.note("closed", _("%(procedure)s: closed %(when)s.") % {"procedure": label, "when": when.display()})

    def set_closure(self, procedure, closure: Decision, when: PartialDate, label: str, reason: str) -> None:
        if closure.when == when:
            self.result.unchanged += 1
            return
        was = closure.when.display() if closure.when else _("date unknown")
        closure.when = when
        self.write(closure)
        self.result.updated += 1
        self.result.note("narrowed", _("%(procedure)s: closure %(was)s is now %(when)s (%(reason)s).") % {
            "procedure": label, "was": was, "when": when.display(), "reason": reason})


STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}


def run_file(data: bytes, filename: str, *, taken_on: date, dry_run: bool, user=None, legal_act: LegalAct | None = None,
             reason: str = "") -> RegisterResult:
    """Read one copy of the register and reconcile it, in one transaction (rolled back on a dry run or an error)."""
    result = RegisterResult()
    if taken_on > date.today():
        result.error(0, "", _("The copy cannot be taken in the future (%(day)s).") % {"day": taken_on.isoformat()})
        return result
    act = legal_act or LegalAct.objects.filter(celex=DEFAULT_ACT).first()
    if act is None or not act.register_pattern_list:
        result.error(0, "", _("No legal act with patterns for the register: load the Directive first."))
        return result
    digest = hashlib.sha256(data).hexdigest()
    known = RegisterCopy.objects.filter(sha256=digest).first()
    if known is not None:
        result.unchanged = known.cases_about_act
        result.note("skipped", _("This file was imported already, as the copy of %(day)s (%(file)s): nothing "
                                 "changes.") % {"day": _display(known.taken_on), "file": known.file_name})
        result.copy = known
        return result
    try:
        headings, records = read_records(data, filename)
    except TableError as error:
        result.error(0, "", str(error))
        return result
    mapping = map_headings(headings, result)
    if result.errors:
        return result
    cases = read_cases(records, mapping, act.register_pattern_list, result)
    if result.errors:
        return result
    token = CHANGE_REASON.set(reason or CHANGE_REASON.get() or _("import of %(file)s") % {"file": filename})
    try:
        with transaction.atomic():
            source, _created = Source.objects.get_or_create(citation=citation_for(taken_on))
            copy = RegisterCopy.objects.create(
                legal_act=act, taken_on=taken_on, newest_decision=result.newest_decision, file_name=filename[:255],
                sha256=digest, rows=result.rows, cases=result.cases, cases_about_act=result.cases_about_act,
                source=source, imported_by=user if user is not None and user.is_authenticated else None)
            result.copy = copy
            Reconciler(copy, act, result, copy.imported_by).run(cases)
            transaction.set_rollback(dry_run or bool(result.errors))
    finally:
        CHANGE_REASON.reset(token)
    return result

