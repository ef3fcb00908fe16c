"""One line of make bench's closing table: a figure of issue 16, its target, met or not. Every section of the
report (in process, under load, page weight, Lighthouse) adds lines of this shape to report["targets"]."""


def target(figure: str, value, goal: str, met: bool) -> dict:
    return {"figure": figure, "value": value, "target": goal, "met": bool(met)}
