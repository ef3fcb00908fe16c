"""Page weight: what a browser downloads for each public page of a production-mode server (whitenoise's
compressed static files, gzipped pages), scrolled to the foot so that every chart loads its plotly.js bundle
and data. Headless Debian Chromium through Playwright; the compressed bytes of every response (HTML, CSS, JS,
data, images) are added up and set beside the target. Then Lighthouse (bench/lighthouse.py), where node and
npm are present.

    python -m bench.weight http://127.0.0.1:8121   # prints the table for a server already running
"""

from __future__ import annotations

import os
import sys

from bench import lighthouse
from bench.targets import target

PATHS = ["/", "/initiatives/", "/timeline/", "/member-states/", "/member-states/DE/", "/directive/",
         "/infringements/", "/legislation/", "/about/", "/search/?q=Malta"]
TARGET_KB = 700
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def log(message: str) -> None:
    print(message, flush=True)


def weigh(page, url: str) -> dict:
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))  # the page is closed afterwards
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # down the page a screen at a time: a chart's plotly.js is loaded as the chart nears the screen
    for _step in range(200):
        if page.evaluate("window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"):
            break
        page.mouse.wheel(0, 800)
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    kinds: dict[str, int] = {}
    for request in responses:
        size = request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        kinds[request.resource_type] = kinds.get(request.resource_type, 0) + size
    total = sum(kinds.values())
    return {"kb": round(total / 1024, 1), "requests": len(responses),
            "by_type_kb": {kind: round(size / 1024, 1) for kind, size in sorted(kinds.items())},
            "ok": total / 1024 <= TARGET_KB}


def run(base: str, paths: list[str] = PATHS) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=["--headless=new", "--no-sandbox",
                                                                           "--disable-dev-shm-usage"])
        for path in paths:
            context = browser.new_context(viewport={"width": 1350, "height": 940})  # a cold cache each time
            page = context.new_page()
            try:
                results[path] = weigh(page, base + path)
            finally:
                context.close()
        browser.close()
    return results


def print_table(results: dict) -> None:
    log("")
    log("Page weight: every response compressed as sent (gzip), page scrolled to its foot, cold cache")
    log(f"{'URL':<22} {'transfer':>9} {'target':>8} {'requests':>8}  ok   {'by type (KB)'}")
    for path, found in results.items():
        kinds = ", ".join(f"{kind} {size:g}" for kind, size in found["by_type_kb"].items())
        log(f"{path:<22} {found['kb']:>6.0f} KB {'<=' + str(TARGET_KB) + ' KB':>8} {found['requests']:>8}  "
            f"{'yes' if found['ok'] else 'NO':<4} {kinds}")


def web(base: str) -> dict:
    """Weight, then Lighthouse where it can run; the figures and the targets met, for bench.json."""
    weights = run(base)
    print_table(weights)
    heaviest = max(weights.items(), key=lambda item: item[1]["kb"], default=(None, {"kb": 0}))
    report = {"weight": weights, "targets": [target(
        "page weight, compressed, every public page", f"heaviest {heaviest[1]['kb']:.0f} KB {heaviest[0]}",
        f"<= {TARGET_KB} KB", all(found["ok"] for found in weights.values()))]}
    missing = lighthouse.available()
    if missing:
        log(f"\nLighthouse skipped: {missing} (install node and npm to run it)")
        report["lighthouse"] = {"skipped": missing}
        return report
    lighthouse.install()
    scores = lighthouse.run(base)
    lighthouse.print_table(scores)
    report["lighthouse"] = scores
    for path, found in scores.items():
        value = found.get("error") or (f"{found['performance']} / {found['accessibility']} / "
                                       f"{found['total_blocking_time_ms']:.0f} ms")
        report["targets"].append(target(f"Lighthouse {path}: performance / accessibility / TBT", value,
                                        ">= 95 / 100 / < 150 ms", lighthouse.met(found)))
    return report


def main() -> None:
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    print_table(run(base, sys.argv[2:] or PATHS))


if __name__ == "__main__":
    main()
