"""Every vocabulary of the tracker, in one place, with its public definition and its colour.

Badges, tables, charts and the methodology page all read from here. Colours come from the Okabe-Ito
palette, which stays distinguishable for the common forms of colour blindness; every badge also carries
a symbol and its label, so colour never carries meaning alone.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Look:
    colour: str  # fill for charts and the badge's left border
    symbol: str  # shown beside the label, so colour is never the only cue
    definition: str


# Okabe-Ito
BLUE, SKY, GREEN, YELLOW, ORANGE, VERMILLION, PURPLE, GREY, BLACK = (
    "#0072B2", "#56B4E9", "#009E73", "#F0E442", "#E69F00", "#D55E00", "#CC79A7", "#999999", "#000000",
)
UNKNOWN_COLOUR = "#BBBBBB"


class Confidence(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


CONFIDENCE_DEFINITIONS = {
    Confidence.HIGH: _("Stated by an official EU source, or by two independent sources that agree."),
    Confidence.MEDIUM: _("Stated by one reliable secondary source, or sources differ on a detail."),
    Confidence.LOW: _("Stated only by aggregator, blog or advocacy sources, or inferred from an indirect "
                      "mention; re-check before relying on it."),
}


class Pillar(models.TextChoices):
    LEGAL_FRAMEWORK = "I", _("I. Implement and develop the right legal framework to protect children")
    LAW_ENFORCEMENT = "II", _("II. Strengthen the law enforcement response and enhance cooperation "
                              "among all stakeholders")


class LeadActor(models.TextChoices):
    COMMISSION = "commission", _("European Commission")
    MEMBER_STATES = "member_states", _("Member States")
    MEMBER_STATES_AND_COMMISSION = "member_states_commission", _("Member States and the Commission")
    EUROPOL_AND_COMMISSION = "europol_commission", _("Europol and the Commission")
    CO_LEGISLATORS = "co_legislators", _("European Parliament and Council")


class KeyActionStatus(models.TextChoices):
    # Translators: the statuses of the strategy's key actions, shown as badges and filters.
    NOT_STARTED = "not_started", pgettext_lazy(
        "key action status", "not started")
    IN_PROGRESS = "in_progress", pgettext_lazy(
        "key action status", "in progress")
    DELIVERED = "delivered", pgettext_lazy(
        "key action status", "delivered")
    DELIVERED_LATE = "delivered_late", pgettext_lazy(
        "key action status", "delivered late")
    PARTIALLY_DELIVERED = "partially_delivered", pgettext_lazy(
        "key action status", "partially delivered")
    STALLED = "stalled", pgettext_lazy(
        "key action status", "stalled or lapsed")
    SUPERSEDED = "superseded", pgettext_lazy(
        "key action status", "superseded")
    UNKNOWN = "unknown", pgettext_lazy(
        "key action status", "unknown")


KEY_ACTION_STATUS_LOOK = {
    KeyActionStatus.NOT_STARTED: Look(GREY, "○", _(
        "No step towards the action has been found in the sources.")),
    KeyActionStatus.IN_PROGRESS: Look(SKY, "◐", _(
        "At least one step has been taken; the action is not complete.")),
    KeyActionStatus.DELIVERED: Look(GREEN, "●", _(
        "The action was completed by its deadline, or it had no dated deadline.")),
    KeyActionStatus.DELIVERED_LATE: Look(BLUE, "◉", _(
        "The action was completed after the end of the period its deadline names.")),
    KeyActionStatus.PARTIALLY_DELIVERED: Look(ORANGE, "◑", _(
        "Part of what the action promised was completed; part was not, or no longer holds.")),
    KeyActionStatus.STALLED: Look(VERMILLION, "■", _(
        "Work stopped, or what was delivered expired without a replacement.")),
    KeyActionStatus.SUPERSEDED: Look(PURPLE, "▲", _(
        "Replaced by another action or instrument; no longer pursued as such.")),
    KeyActionStatus.UNKNOWN: Look(UNKNOWN_COLOUR, "?", _(
        "The sources found do not say where the action stands.")),
}


class EventKind(models.TextChoices):
    PROPOSAL = "proposal", _("proposal adopted by the Commission")
    COUNCIL_POSITION = "council_position", _("Council position")
    PARLIAMENT_POSITION = "parliament_position", _("Parliament position")
    TRILOGUE = "trilogue", _("trilogue")
    POLITICAL_AGREEMENT = "political_agreement", _("political agreement")
    ADOPTION = "adoption", _("adoption")
    PUBLICATION = "publication", _("publication")
    ENTRY_INTO_FORCE = "entry_into_force", _("entry into force or application")
    EXPIRY = "expiry", _("expiry or lapse")
    LAUNCH = "launch", _("launch")
    REPORT = "report", _("report or study")
    DECISION = "decision", _("Commission decision or enforcement step")
    OTHER = "other", _("other step")


class ProcedureType(models.TextChoices):
    # Translators: the two types of infringement procedure about a directive, as the Commission names them
    # in your language (its infringement decisions and annual reports on monitoring the application of EU law).
    NON_COMMUNICATION = "non_communication", pgettext_lazy(
        "infringement procedure type", "non-communication")
    NON_CONFORMITY = "non_conformity", pgettext_lazy(
        "infringement procedure type", "non-conformity")


PROCEDURE_TYPE_DEFINITIONS = {
    ProcedureType.NON_COMMUNICATION: _(
        "The Member State did not notify, or notified only part of, the national measures that "
        "transpose the Directive by its deadline."),
    ProcedureType.NON_CONFORMITY: _(
        "The Member State notified its measures, but the Commission considers that they do not "
        "transpose the Directive correctly."),
}


class ProcedureState(models.TextChoices):
    """Where a procedure stands, from its evidence (initiatives/state.py decides it)."""

    # Translators: where an infringement procedure stands (the procedure is open, closed or unknown).
    OPEN = "open", pgettext_lazy(
        "infringement procedure state", "open")
    CLOSED = "closed", pgettext_lazy(
        "infringement procedure state", "closed")
    UNKNOWN = "unknown", pgettext_lazy(
        "infringement procedure state", "unknown")


PROCEDURE_STATE_LOOK = {
    ProcedureState.OPEN: Look(VERMILLION, "●", _(
        "Open: a dated decision or a copy of the Commission's register of active cases shows the procedure "
        "running, and no closure has been recorded since. The page names the newest such evidence.")),
    ProcedureState.CLOSED: Look(GREEN, "✓", _(
        "Closed: a source dates the closure, or the Commission's register, which lists active cases only, no "
        "longer listed it; the closure then lies between the last evidence of the procedure and that copy.")),
    ProcedureState.UNKNOWN: Look(UNKNOWN_COLOUR, "?", _(
        "Unknown: the evidence cannot decide, for example on a day inside the interval in which the "
        "procedure was closed.")),
}


class Stage(models.TextChoices):
    """The steps of an infringement procedure (Articles 258 and 260 TFEU), in their usual order."""

    # Translators: the steps of an infringement procedure (Articles 258 and 260 TFEU): use the Treaties' and
    # the Commission's terms in your language, e.g. French 'lettre de mise en demeure', German 'Aufforderungsschreiben'.
    LETTER_OF_FORMAL_NOTICE = "letter_of_formal_notice", pgettext_lazy(
        "infringement stage", "letter of formal notice")
    ADDITIONAL_LETTER_OF_FORMAL_NOTICE = "additional_letter_of_formal_notice", pgettext_lazy(
        "infringement stage", "additional letter of formal notice")
    # Translators: Article 258 TFEU: French 'avis motivé', German 'mit Gründen versehene Stellungnahme'.
    REASONED_OPINION = "reasoned_opinion", pgettext_lazy(
        "infringement stage", "reasoned opinion")
    ADDITIONAL_REASONED_OPINION = "additional_reasoned_opinion", pgettext_lazy(
        "infringement stage", "additional reasoned opinion")
    # Translators: French 'saisine de la Cour', German 'Befassung des Gerichtshofs'.
    REFERRAL = "referral", pgettext_lazy(
        "infringement stage", "referral to the Court (Art. 258)")
    REFERRAL_WITH_SANCTIONS = "referral_with_sanctions", pgettext_lazy(
        "infringement stage", "referral to the Court with financial sanctions (Art. 260(3))")
    JUDGMENT = "judgment", pgettext_lazy(
        "infringement stage", "judgment of the Court")
    ART_260_2_LETTER = "art_260_2_letter", pgettext_lazy(
        "infringement stage", "letter of formal notice under Art. 260(2)")
    ART_260_2_REFERRAL = "art_260_2_referral", pgettext_lazy(
        "infringement stage", "referral to the Court under Art. 260(2)")
    ART_260_2_JUDGMENT = "art_260_2_judgment", pgettext_lazy(
        "infringement stage", "judgment under Art. 260(2) (financial sanctions)")
    CLOSED = "closed", pgettext_lazy(
        "infringement stage", "closure")


# How far a procedure has gone: the rank of its furthest stage (closure is not a stage of escalation).
STAGE_RANK = {
    Stage.LETTER_OF_FORMAL_NOTICE: 1,
    Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE: 2,
    Stage.REASONED_OPINION: 3,
    Stage.ADDITIONAL_REASONED_OPINION: 4,
    Stage.REFERRAL: 5,
    Stage.REFERRAL_WITH_SANCTIONS: 5,
    Stage.JUDGMENT: 6,
    Stage.ART_260_2_LETTER: 7,
    Stage.ART_260_2_REFERRAL: 8,
    Stage.ART_260_2_JUDGMENT: 9,
    Stage.CLOSED: 0,
}

# Which earlier stage (any one of them) a stage needs in the same procedure.
STAGE_PREREQUISITES = {
    Stage.LETTER_OF_FORMAL_NOTICE: (),
    Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE: (Stage.LETTER_OF_FORMAL_NOTICE,),
    Stage.REASONED_OPINION: (Stage.LETTER_OF_FORMAL_NOTICE,),
    Stage.ADDITIONAL_REASONED_OPINION: (Stage.REASONED_OPINION,),
    Stage.REFERRAL: (Stage.REASONED_OPINION,),
    Stage.REFERRAL_WITH_SANCTIONS: (Stage.REASONED_OPINION,),
    Stage.JUDGMENT: (Stage.REFERRAL, Stage.REFERRAL_WITH_SANCTIONS),
    Stage.ART_260_2_LETTER: (Stage.JUDGMENT,),
    Stage.ART_260_2_REFERRAL: (Stage.ART_260_2_LETTER,),
    Stage.ART_260_2_JUDGMENT: (Stage.ART_260_2_REFERRAL,),
    Stage.CLOSED: (Stage.LETTER_OF_FORMAL_NOTICE,),
}

STAGE_LOOK = {
    Stage.LETTER_OF_FORMAL_NOTICE: Look(YELLOW, "1", _(
        "The first formal step: the Commission asks the Member State for information and sets a "
        "deadline to reply, usually two months.")),
    Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE: Look(ORANGE, "1+", _(
        "A further letter in the same procedure, when the Commission adds or changes its complaints.")),
    Stage.REASONED_OPINION: Look(VERMILLION, "2", _(
        "A formal request to comply, explaining why the Commission considers that the Member State "
        "breaches EU law; usually two months to reply.")),
    Stage.ADDITIONAL_REASONED_OPINION: Look(VERMILLION, "2+", _(
        "A further reasoned opinion in the same procedure.")),
    Stage.REFERRAL: Look(PURPLE, "3", _(
        "The Commission refers the case to the Court of Justice (Article 258 TFEU).")),
    Stage.REFERRAL_WITH_SANCTIONS: Look(PURPLE, "3€", _(
        "Referral for failure to notify transposition measures, asking the Court to impose financial "
        "sanctions at once (Article 260(3) TFEU).")),
    Stage.JUDGMENT: Look(BLACK, "4", _("The Court of Justice rules on the case.")),
    Stage.ART_260_2_LETTER: Look(BLACK, "5", _(
        "The Commission finds that the Member State has not complied with the judgment and writes to "
        "it before a second referral (Article 260(2) TFEU).")),
    Stage.ART_260_2_REFERRAL: Look(BLACK, "6", _(
        "Second referral, asking for financial sanctions (Article 260(2) TFEU).")),
    Stage.ART_260_2_JUDGMENT: Look(BLACK, "7", _("The Court imposes financial sanctions.")),
    Stage.CLOSED: Look(GREEN, "✓", _("The Commission closes the procedure.")),
}


class NotificationStatus(models.TextChoices):
    """What a Member State reports it has notified to the Commission."""

    NONE = "none", _("no measures notified")
    PARTIAL = "partial", _("partially notified")
    COMPLETE = "complete", _("completely notified")


NOTIFICATION_LOOK = {
    NotificationStatus.NONE: Look(VERMILLION, "✗", _(
        "The Member State has notified no national measure for this article.")),
    NotificationStatus.PARTIAL: Look(ORANGE, "◑", _(
        "The Member State has notified measures that cover only part of this article.")),
    NotificationStatus.COMPLETE: Look(GREEN, "●", _(
        "The Member State states that its notified measures cover this article in full.")),
}


class AssessmentStatus(models.TextChoices):
    """The Commission's own assessment, kept apart from what the Member State reports."""

    NOT_ASSESSED = "not_assessed", _("not assessed")
    CONFORM = "conform", _("conform")
    PARTIALLY_CONFORM = "partially_conform", _("partially conform")
    NON_CONFORM = "non_conform", _("non-conform")


ASSESSMENT_LOOK = {
    AssessmentStatus.NOT_ASSESSED: Look(GREY, "–", _(
        "The Commission has not (yet) published an assessment of this article.")),
    AssessmentStatus.CONFORM: Look(GREEN, "●", _(
        "The Commission considers the national measures to transpose this article correctly.")),
    AssessmentStatus.PARTIALLY_CONFORM: Look(ORANGE, "◑", _(
        "The Commission considers that part of this article is not transposed correctly.")),
    AssessmentStatus.NON_CONFORM: Look(VERMILLION, "✗", _(
        "The Commission considers that this article is not transposed correctly.")),
}


class ArticleGroup(models.TextChoices):
    OFFENCES = "offences", _("offences and penalties")
    INVESTIGATION = "investigation", _("investigation and prosecution")
    VICTIMS = "victims", _("assistance and protection of victims")
    PREVENTION = "prevention", _("prevention")
    INTERNET_MEASURES = "internet_measures", _("measures against websites")
    FINAL_PROVISIONS = "final_provisions", _("final provisions")


class Lagging(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


class LegalActKind(models.TextChoices):
    DIRECTIVE = "directive", _("directive")
    REGULATION = "regulation", _("regulation")
    PROPOSAL = "proposal", _("Commission proposal")


class ReviewState(models.TextChoices):
    """Where a Member State liaison's report stands in the Commission's review."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("returned for changes")
    APPROVED = "approved", _("approved and published")


REVIEW_STATE_LOOK = {
    ReviewState.DRAFT: Look(GREY, "✎", _("Saved by the liaison; not yet sent to the Commission.")),
    ReviewState.SUBMITTED: Look(SKY, "…", _("Sent to the Commission; waiting for review.")),
    ReviewState.RETURNED: Look(ORANGE, "↩", _("The Commission asked for changes; see its comment.")),
    ReviewState.APPROVED: Look(GREEN, "✓", _("Approved by the Commission: shown on the public pages.")),
}

# What a Member State's report and the Commission's assessment say when they agree.
ASSESSMENT_MATCHING_REPORT = {
    NotificationStatus.COMPLETE: AssessmentStatus.CONFORM,
    NotificationStatus.PARTIAL: AssessmentStatus.PARTIALLY_CONFORM,
    NotificationStatus.NONE: AssessmentStatus.NON_CONFORM,
}


# The public map and matrix show two states that are neither a stage nor a status: a Member State that is not
# bound by the Directive, and the absence of any record. Keys match the category values of aggregates.py.
EXTRA_LOOK = {
    "not_bound": Look("#FFFFFF", "⊘", _(
        "Not bound by Directive 2011/93/EU: Denmark does not take part in it, by its opt-out from justice "
        "and home affairs.")),
    "no_procedure": Look("#C6DBEF", "–", _(
        "No infringement procedure about the Directive is recorded in the tracker's sources.")),
    "no_record": Look("#E8E8E8", "?", _(
        "Unknown: no published record says it.")),
}


class LegislativeStageKind(models.TextChoices):
    """The steps of an EU legislative procedure (ordinary procedure, first and second reading), and what
    becomes of the act adopted. Listed in their usual order; the order decides ties between stages of one day."""

    PROPOSAL = "proposal", _("Commission proposal")
    EP_COMMITTEE_VOTE = "ep_committee_vote", _("Parliament committee vote")
    EP_PLENARY_FIRST_READING = "ep_plenary_first_reading", _("Parliament plenary: first-reading position or mandate")
    COUNCIL_GENERAL_APPROACH = "council_general_approach", _("Council general approach or mandate")
    TRILOGUE = "trilogue", _("trilogue")
    PROVISIONAL_AGREEMENT = "provisional_agreement", _("provisional agreement")
    EP_PLENARY_APPROVAL = "ep_plenary_approval", _("Parliament plenary approval")
    REJECTED = "rejected", _("rejection")
    COUNCIL_FIRST_READING_POSITION = "council_first_reading_position", _("Council position at first reading")
    EP_SECOND_READING = "ep_second_reading", _("Parliament second reading")
    COUNCIL_ADOPTION = "council_adoption", _("Council adoption")
    SIGNATURE = "signature", _("signature")
    OJ_PUBLICATION = "oj_publication", _("publication in the Official Journal")
    ENTRY_INTO_FORCE = "entry_into_force", _("entry into force")
    APPLICATION = "application", _("start of application")
    EXPIRY = "expiry", _("end of application (expiry)")
    WITHDRAWAL = "withdrawal", _("withdrawal of the proposal")
    LAPSE = "lapse", _("lapse")


def is_stage_number(vocabulary: str, symbol: str) -> bool:
    """A stage's symbol is its number in the procedure ("1", "1+", "3€"). Before the label it would read as a
    count ("2 reasoned opinion"), so badges, keys and chart legends put it after the label, named as a stage."""
    return vocabulary == "stage" and any(character.isdigit() for character in symbol)


class Commitment(models.TextChoices):
    """What a key action commits to do: the verb of its statement. Its outcome (the law, the network ...) is
    followed apart."""

    PROPOSE = "propose", _("propose")
    LAUNCH = "launch", _("launch")
    SET_UP = "set_up", _("set up")
    SUPPORT = "support", _("support")
    STUDY = "study", _("study")
    ENFORCE = "enforce", _("ensure and enforce")
    OTHER = "other", _("other")


class FindingKind(models.TextChoices):
    """What a source found about a Member State's transposition of one or more articles."""

    NOT_TRANSPOSED = "not_transposed", _("not transposed")
    INCORRECTLY_TRANSPOSED = "incorrectly_transposed", _("incorrectly transposed")
    PARTIALLY_TRANSPOSED = "partially_transposed", _("partially transposed")
    CONFORM = "conform", _("conform")
    CONCERN_RAISED = "concern_raised", _("concern raised")


class FindingSource(models.TextChoices):
    """Who made a finding."""

    INFRINGEMENT_LETTER = "infringement_letter", _("the Commission, in an infringement letter or opinion")
    COMMISSION_REPORT_2016 = "commission_report_2016", _("the Commission's 2016 implementation reports")
    EP_IMPLEMENTATION_REPORT = "ep_implementation_report", _("the European Parliament's implementation report")
    OTHER = "other", _("another source (a national inquiry, an NGO, a minister ...)")
