"""The reference data: the strategy and its initiatives and key actions (from the strategy's text and the
editorial table fixtures/key_actions.csv), the Member States, the Directive and its articles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from initiatives.choices import ArticleGroup, Lagging, LeadActor, LegalActKind, Pillar
from initiatives.dates import DateParseError, PartialDate
from initiatives.models import Article, Initiative, KeyAction, LegalAct, MemberState, Source, Strategy
from initiatives.models.transposition import DIRECTIVE_CELEX

from .common import read_number, read_sources, upsert
from .tabular import ImportResult, Row

KEY_ACTION_GLYPH = "ð"
STRATEGY_REFERENCE = "COM(2020) 607"
STRATEGY_URL = ("https://ec.europa.eu/home-affairs/sites/homeaffairs/files/what-we-do/policies/"
                "european-agenda-security/20200724_com-2020-607-commission-communication_en.pdf")
STRATEGY_CITATION = f"COM(2020) 607 final, 24.7.2020 {STRATEGY_URL}"
DIRECTIVE_CITATION = ("Directive 2011/93/EU, OJ L 335, 17.12.2011, p.1 (CELEX 32011L0093) "
                      "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093")
RECAST_CITATION = "COM(2024) 60 recast proposal https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=celex%3A52024PC0060"
DENMARK_CITATION = ("Red Barnet: \"Danmark står uden for direktivet\" "
                    "http://stopdigitaleovergreb.nu/redbarnet/nye-rapporter-fra-eu-kommssionen/")
TRANSPOSITION_DEADLINE_CITATION = (
    "Deadline 18.12.2013: https://www.timesofmalta.com/article/eu-tells-malta-to-fully-observe-directive-on-"
    "sexual-abuse-of-children.576882")
NOT_BOUND = {"DK"}
# fixtures/data/README.md: the titles of Arts 1-9, 11-20 and 25 were checked against official texts;
# those of Arts 10, 21-24 and 26-30 were not re-read, so they carry a medium confidence.
TITLES_CHECKED = set(range(1, 10)) | set(range(11, 21)) | {25}


@dataclass
class ParsedInitiative:
    number: int
    title: str
    pillar: str
    summary: str
    statements: list[str]


def parse_strategy_text(text: str) -> list[ParsedInitiative]:
    """Find the eight numbered initiatives, their pillar, first paragraph and key-action statements.

    Initiative headings are the lines "1.Title" ... "8.Title" in order; numbered lists inside an
    initiative ("1.Law enforcement: ...") restart at 1 and are skipped by looking for the next number only.
    """
    lines = [line.strip() for line in text.splitlines()]
    pillar_two_at = next(i for i, line in enumerate(lines) if line.startswith("II. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("NEXT STEPS"))
    starts = []
    search_from = 0
    for number in range(1, 9):
        pattern = re.compile(rf"^{number}\.\s*(\S.*)$")
        index = next(i for i in range(search_from, end) if pattern.match(lines[i]))
        starts.append(index)
        search_from = index + 1
    parsed = []
    for position, start in enumerate(starts):
        stop = starts[position + 1] if position + 1 < len(starts) else end
        body = [line for line in lines[start + 1:stop] if line]
        parsed.append(ParsedInitiative(
            number=position + 1,
            title=re.match(r"^\d\.\s*(.*)$", lines[start])[1],
            pillar=Pillar.LEGAL_FRAMEWORK if start < pillar_two_at else Pillar.LAW_ENFORCEMENT,
            summary=body[0],
            statements=[line.lstrip(KEY_ACTION_GLYPH).strip() for line in body if line.startswith(KEY_ACTION_GLYPH)],
        ))
    return parsed


def load_strategy(text: str, key_action_rows: list[Row]) -> ImportResult:
    result = ImportResult()
    strategy = upsert(Strategy, {"reference": STRATEGY_REFERENCE}, {
        "title": "EU strategy for a more effective fight against child sexual abuse",
        "adopted_on": date(2020, 7, 24), "period_start": 2020, "period_end": 2025,
        "url": STRATEGY_URL,
    }, result)
    flat_text = " ".join(text.split())
    parsed = {item.number: item for item in parse_strategy_text(text)}
    initiatives = {}
    for item in parsed.values():
        section = "I" if item.pillar == Pillar.LEGAL_FRAMEWORK else "II"
        initiatives[item.number] = upsert(Initiative, {"strategy": strategy, "number": item.number}, {
            "title": item.title, "pillar": item.pillar, "summary": item.summary,
            "section_reference": _("Section %(section)s, initiative %(number)s") % {
                "section": section, "number": item.number},
        }, result)
    for row in key_action_rows:
        _load_key_action(row, initiatives, parsed, flat_text, result)
    return result


def _load_key_action(row, initiatives, parsed, flat_text, result):
    number = read_number(row, "initiative_number", result, what=_("an initiative number"))
    if number not in initiatives:
        if number is not None:
            result.error(row.line, "initiative_number", _("The strategy has no initiative %(n)s.") % {"n": number})
        return
    context = row.get("is_context_commitment") == "yes"
    if context:
        statement = row.get("quote")
        if " ".join(statement.split()) not in flat_text:
            result.error(row.line, "quote", _("The quote does not stand verbatim in the strategy text."))
            return
        section = _("Section %(section)s, initiative %(number)s (text)")
    else:
        index = read_number(row, "ka_index", result, what=_("a key-action index"))
        if index is None:
            return
        statements = parsed[number].statements
        if not 1 <= index <= len(statements):
            result.error(row.line, "ka_index", _("Initiative %(n)s has no key action %(i)s.") % {
                "n": number, "i": index})
            return
        statement = statements[index - 1]
        section = _("Section %(section)s, initiative %(number)s, key action")
    try:
        deadline = PartialDate.parse(row.get("deadline")) if row.get("deadline") else None
        delivered = PartialDate.parse(row.get("delivery_date")) if row.get("delivery_date") else None
    except DateParseError as error:
        result.error(row.line, "deadline", str(error))
        return
    if row.get("lead_actor") not in LeadActor.values:
        result.error(row.line, "lead_actor", _("Unknown lead actor %(value)r.") % {"value": row.get("lead_actor")})
        return
    initiative = initiatives[number]
    upsert(KeyAction, {"initiative": initiative, "code": row.get("code")}, {
        "short_title": row.get("short_title"),
        "statement": statement,
        "section_reference": section % {
            "section": "I" if initiative.pillar == Pillar.LEGAL_FRAMEWORK else "II", "number": number},
        "is_context_commitment": context,
        "lead_actor": row.get("lead_actor"),
        "deadline_wording": row.get("deadline_wording"),
        "deadline": deadline.value if deadline else None,
        "deadline_precision": deadline.precision if deadline else "",
        "date": delivered.value if delivered else None,
        "date_precision": delivered.precision if delivered else "day",
        "confidence": "high",  # the statement and deadline are quoted from the strategy itself
    }, result, citations=[STRATEGY_CITATION])


def load_member_states(rows: list[Row]) -> ImportResult:
    result = ImportResult()
    directive_source = Source.objects.get_or_create_from_citation(DIRECTIVE_CITATION)
    denmark_source = Source.objects.get_or_create_from_citation(DENMARK_CITATION)
    for order, row in enumerate(rows, start=1):
        code = row.get("code").upper()
        accession_year = read_number(row, "eu_accession_year", result, what=_("a year"))
        if accession_year is None:
            continue
        upsert(MemberState, {"code": code}, {
            "iso_alpha2": row.get("iso_alpha2").upper(), "iso_alpha3": row.get("iso_alpha3").upper(),
            "name": row.get("name_en"), "accession_year": accession_year,
            "protocol_order": order, "bound_by_directive": code not in NOT_BOUND,
            "bound_source": denmark_source if code in NOT_BOUND else directive_source,
        }, result)
    return result


def load_directive(rows: list[Row]) -> ImportResult:
    result = ImportResult()
    recast = upsert(LegalAct, {"celex": "52024PC0060"}, {
        "short_name": "COM(2024) 60",
        "title": "Proposal for a Directive on combating the sexual abuse and sexual exploitation of children "
                 "and child sexual abuse material and replacing Council Framework Decision 2004/68/JHA "
                 "(recast)",
        "kind": LegalActKind.PROPOSAL, "adopted_on": date(2024, 2, 6), "transposition_deadline": None,
        "url": "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=celex%3A52024PC0060", "successor": None,
    }, result, citations=[RECAST_CITATION])
    directive = upsert(LegalAct, {"celex": DIRECTIVE_CELEX}, {
        "short_name": "Directive 2011/93/EU",
        "title": "Directive 2011/93/EU of the European Parliament and of the Council of 13 December 2011 on "
                 "combating the sexual abuse and sexual exploitation of children and child pornography, and "
                 "replacing Council Framework Decision 2004/68/JHA",
        "kind": LegalActKind.DIRECTIVE, "adopted_on": date(2011, 12, 13),
        "transposition_deadline": date(2013, 12, 18),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093", "successor": recast,
        # Every case about the Directive in the copies of the Commission's register cites it by this number.
        "register_patterns": "2011/93",
    }, result, citations=[DIRECTIVE_CITATION, TRANSPOSITION_DEADLINE_CITATION])
    groups = {label: value for value, label in [
        (ArticleGroup.OFFENCES, "offences"), (ArticleGroup.INVESTIGATION, "investigation"),
        (ArticleGroup.VICTIMS, "victims"), (ArticleGroup.PREVENTION, "prevention"),
        (ArticleGroup.INTERNET_MEASURES, "internet measures"), (ArticleGroup.FINAL_PROVISIONS, "final provisions"),
    ]}
    for row in rows:
        group = groups.get(row.get("group"))
        lagging = row.get("known_lagging").lower()
        if group is None:
            result.error(row.line, "group", _("Unknown article group %(value)r.") % {"value": row.get("group")})
            continue
        if lagging not in Lagging.values:
            result.error(row.line, "known_lagging", _("Use yes, no or unknown."))
            continue
        citations = read_sources(row, "source", result)
        number = read_number(row, "article", result, what=_("an article number"))
        if citations is None or number is None:
            continue
        upsert(Article, {"legal_act": directive, "number": number}, {
            "title": row.get("title"), "group": group, "known_lagging": lagging,
            "confidence": "high" if number in TITLES_CHECKED else "medium",
        }, result, citations=citations)
    return result
