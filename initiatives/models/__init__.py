from .infringements import Decision, InfringementProcedure, sequence_errors
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
    "sequence_errors", "split_citations",
]
from .roles import Liaison  # noqa: E402

__all__ += ["Liaison"]
