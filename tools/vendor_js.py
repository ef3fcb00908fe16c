"""Re-create the vendored plotly.js bundles from node_modules (installed by `npm ci` from package-lock.json,
which pins each package's version and integrity hash), then check every vendored file against
initiatives/static/initiatives/vendor/plotly/SHA256SUMS. Each bundle is the package's file with one line put
before it, `COMPILE_HINT`; nothing else is changed. `make vendor-js` runs it; `--check` only checks the
committed files (no npm needed; tests/test_charts.py does the same).

When upgrading plotly (pyproject.toml), set the same plotly.js version in package.json, `npm install`, run
`python tools/vendor_js.py --update` to rewrite SHA256SUMS, and commit the lock file, the bundles and the sums.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "initiatives" / "static" / "initiatives" / "vendor" / "plotly"
SUMS = TARGET / "SHA256SUMS"
# vendored file name: (npm package, file in it)
FILES = {
    "plotly-basic.min.js": ("plotly.js-basic-dist-min", "plotly-basic.min.js"),
    "plotly-geo.min.js": ("plotly.js-geo-dist-min", "plotly-geo.min.js"),
    "LICENSE": ("plotly.js-basic-dist-min", "LICENSE"),
}
# V8's explicit compile hint (Chromium 136 and later; other engines read a comment): compile every function of
# the file eagerly, on the thread that streams the script in, instead of each one on the main thread when it is
# first called. plotly.js calls most of its functions as it starts and draws, so its start-up task on the main
# thread went from 216-289 to 90-100 ms in Lighthouse (`/timeline/`; TBT 272-290 -> 56-68 ms). It must be the
# file's first line. See https://v8.dev/blog/explicit-compile-hints.
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded() -> dict[str, str]:
    sums = {}
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            value, name = line.split(maxsplit=1)
            sums[name.strip()] = value
    return sums


def check() -> list[str]:
    """The vendored files whose content differs from SHA256SUMS (empty when all match)."""
    sums = recorded()
    return [name for name in sorted(set(sums) | set(FILES))
            if name not in sums or not (TARGET / name).exists() or digest(TARGET / name) != sums[name]]


def copy() -> None:
    for name, (package, source) in FILES.items():
        found = ROOT / "node_modules" / package / source
        if not found.exists():
            raise SystemExit(f"{found} is missing: run `make node_modules` (npm ci) first")
        content = found.read_bytes()
        (TARGET / name).write_bytes(COMPILE_HINT + content if name.endswith(".js") else content)


def main() -> None:
    if "--check" not in sys.argv:
        copy()
    if "--update" in sys.argv:
        SUMS.write_text("".join(f"{digest(TARGET / name)}  {name}\n" for name in sorted(FILES)), encoding="utf-8")
    wrong = check()
    if wrong:
        raise SystemExit(f"not as recorded in {SUMS.relative_to(ROOT)}: {', '.join(wrong)}")
    print(f"vendored plotly.js files match {SUMS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
