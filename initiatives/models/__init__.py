from .infringements import Decision, InfringementProcedure, decisions_of_published_procedures, sequence_errors
from .sources import Source, split_citations
from .strategy import Initiative, KeyAction, KeyActionEvent, Strategy
from .transposition import (
    Article,
    Assessment,
    LegalAct,
    MemberState,
    NationalMeasure,
    TranspositionReport,
)

__all__ = [
    "Article", "Assessment", "Decision", "Initiative", "InfringementProcedure", "KeyAction", "KeyActionEvent",
    "LegalAct", "MemberState", "NationalMeasure", "Source", "Strategy", "TranspositionReport",
    "decisions_of_published_procedures", "sequence_errors", "split_citations",
]
from .roles import Liaison  # noqa: E402

__all__ += ["Liaison"]
from .audit import changes_since, current_version, last_changed, revisions  # noqa: E402
from .review import LiaisonReport  # noqa: E402
from .transposition import report_and_assessment_disagree  # noqa: E402

__all__ += ["LiaisonReport", "changes_since", "current_version", "last_changed", "report_and_assessment_disagree",
            "revisions"]
from .register import RegisterCopy, RegisterListing  # noqa: E402

__all__ += ["RegisterCopy", "RegisterListing"]
from .legislation import LegislativeFile, LegislativeStage  # noqa: E402

__all__ += ["LegislativeFile", "LegislativeStage"]
from .transposition import ArticleFinding  # noqa: E402

__all__ += ["ArticleFinding"]
from .imports import PendingImport  # noqa: E402

__all__ += ["PendingImport"]
