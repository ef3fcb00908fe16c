"""Lighthouse 12 (desktop preset, headless Debian Chromium) against a production-mode server: performance,
accessibility and total blocking time of the public pages, each beside its target.

Lighthouse is pinned in package.json / package-lock.json (`npm ci`); it runs only where node and npm are
present (`available()` says why not otherwise). It uses simulated throttling (the desktop preset: 40 ms RTT,
10 Mbit/s, no CPU slowdown), so the scores move less than the machine's load, but a busy shared machine still
lengthens the main-thread tasks that total blocking time adds up.

    python -m bench.lighthouse http://127.0.0.1:8121   # prints the table for a server already running
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/", "/member-states/", "/timeline/", "/directive/", "/infringements/"]
TARGETS = {"performance": 95, "accessibility": 100, "total_blocking_time_ms": 150}
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
BINARY = ROOT / "node_modules" / ".bin" / "lighthouse"


def log(message: str) -> None:
    print(message, flush=True)


ATTEMPTS = 3


def available() -> str:
    """'' when Lighthouse can run here, otherwise why not."""
    if not (shutil.which("node") and shutil.which("npm")):
        return "node and npm are not installed"
    if not Path(CHROME).exists():
        return f"no Chromium at {CHROME} (set CHROME_PATH)"
    return ""


def install() -> None:
    """node_modules from package-lock.json, once per version of the lock file."""
    subprocess.run(["make", "-s", "node_modules"], cwd=ROOT, check=True)


def audit(url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        out = Path(folder) / "report.json"
        subprocess.run(
            [str(BINARY), url, "--preset=desktop", "--output=json", f"--output-path={out}", "--quiet",
             "--only-categories=performance,accessibility", f"--chrome-flags=--headless=new --no-sandbox "
             f"--disable-dev-shm-usage --user-data-dir={folder}/profile"],
            cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROME}, check=True, timeout=300,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        report = json.loads(out.read_text(encoding="utf-8"))
    audits, categories = report["audits"], report["categories"]
    transfer = sum(item.get("transferSize", 0) for item in audits["network-requests"]["details"]["items"])
    failing = sorted(key for key, found in audits.items()
                     if found.get("score") is not None and found["score"] < 0.9
                     and found.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"})
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "transfer_kb": round(transfer / 1024),
        "flagged": failing,
    }


def audited(url: str, attempts: int = ATTEMPTS) -> dict:
    """Lighthouse now and then loses the page's trace (NO_NAVSTART: "Please run Lighthouse again"), twice in a
    row in one `make bench`: it runs again, up to `attempts` times; the last failure is reported."""
    for attempt in range(1, attempts + 1):
        try:
            return audit(url)
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def run(base: str, paths: list[str] = PATHS) -> dict:
    results = {}
    for path in paths:
        try:
            results[path] = audited(base + path)
        except subprocess.CalledProcessError as error:
            results[path] = {"error": (error.stderr or b"").decode(errors="replace").strip()[-300:] or str(error)}
        except (subprocess.TimeoutExpired, OSError, KeyError, ValueError) as error:
            results[path] = {"error": str(error)[-300:]}
    return results


def met(result: dict) -> bool:
    return ("error" not in result and result["performance"] >= TARGETS["performance"]
            and result["accessibility"] >= TARGETS["accessibility"]
            and result["total_blocking_time_ms"] < TARGETS["total_blocking_time_ms"])


def print_table(results: dict) -> None:
    log("")
    log("Lighthouse 12, desktop preset (simulated throttling), headless Chromium, production mode")
    log(f"{'URL':<18} {'performance':>11} {'target':>6} {'accessib.':>9} {'target':>6} {'TBT':>7} {'target':>7} "
        f"{'LCP':>7} {'CLS':>6} {'transfer':>9}  ok")
    for path, found in results.items():
        if "error" in found:
            log(f"{path:<18} Lighthouse failed: {found['error']}")
            continue
        log(f"{path:<18} {found['performance']:>11} {'>=' + str(TARGETS['performance']):>6} "
            f"{found['accessibility']:>9} {'=' + str(TARGETS['accessibility']):>6} "
            f"{found['total_blocking_time_ms']:>5}ms {'<' + str(TARGETS['total_blocking_time_ms']) + 'ms':>7} "
            f"{found['largest_contentful_paint_ms']:>5}ms {found['cumulative_layout_shift']:>6} "
            f"{found['transfer_kb']:>6} KB  {'yes' if met(found) else 'NO'}")
        if found["flagged"]:
            log(f"{'':<18} flagged: {', '.join(found['flagged'])}")


def main() -> None:
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    missing = available()
    if missing:
        raise SystemExit(f"Lighthouse skipped: {missing}")
    install()
    results = run(base, sys.argv[2:] or PATHS)
    print(json.dumps(results, indent=1), file=sys.stderr)
    print_table(results)


if __name__ == "__main__":
    main()
