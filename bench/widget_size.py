"""Print the size of the widget's files as served, raw and compressed, against their budgets.

The page-load budget counts what every page loads: the card (widget.js). Every
other file is a chunk imported only when a reader needs it, each with its own
budget: vote.js (voting: the vote and its queue, the keys, the hover preview,
Undo), when a reader reaches for the stars or has voted here before; feedback.js
(the form), after a low rating and a press on "Tell us more"; it.js (the Italian
strings), before the card renders on an Italian page; diagnose.js (why a request
failed: the refused origin's console message), when the API answers with an error.
The last lines add up what a page loads for each kind of reader.
Sizes are of the bodies as served, after the backend rewrites the card's
reference to the form into its versioned name.

Usage: python bench/widget_size.py [dir]   (default: the package's static/ directory)
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from ascolto.assets import build_assets

STATIC = Path(__file__).resolve().parent.parent / "backend" / "ascolto" / "static"
MAIN = "widget.js"
# The page-load budget for the card; chunks have one each (a new chunk gets CHUNK_BUDGET).
BUDGET_GZIP = {MAIN: 2300, "vote.js": 1700, "feedback.js": 1000, "it.js": 400, "diagnose.js": 400}
ROLES = {MAIN: "every page", "vote.js": "on reaching for the stars", "feedback.js": "on Tell us more",
         "it.js": "on an Italian page", "diagnose.js": "on an API error"}
# What a page loads for each kind of reader (gzip sizes of these files add up).
READERS = {"reads (English)": [MAIN], "reads (Italian)": [MAIN, "it.js"], "votes": [MAIN, "vote.js"],
           "votes, writes feedback": [MAIN, "vote.js", "feedback.js"]}
CHUNK_BUDGET = 1000


def gzip_size(data: bytes) -> int:
    """Return the gzip (level 9) size of data."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def brotli_size(data: bytes) -> int | None:
    """Return the brotli (quality 11) size of data, or None without the brotli package."""
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        return None
    return len(brotli.compress(data, quality=11))


def main(argv: list[str]) -> int:
    """Print the figures and the verdicts (tests/widget/test_asset.py enforces the budgets)."""
    static = Path(argv[1]) if len(argv) > 1 else STATIC
    served = build_assets({p.name: p.read_bytes() for p in sorted(static.glob("*.js"))})
    print(f"assets: {static}")
    print(f"{'file':<13}{'raw':>7}{'gzip':>7}{'brotli':>8}  budget (gzip)")
    sizes: dict[str, tuple[int, int, int | None]] = {}
    for name in [MAIN, *sorted(n for n in served if n != MAIN)]:
        body = served[name].body
        raw, gz, br = sizes[name] = len(body), gzip_size(body), brotli_size(body)
        budget = BUDGET_GZIP.get(name, CHUNK_BUDGET)
        verdict = "OK" if gz <= budget else "OVER BUDGET"
        print(f"{name:<13}{raw:>7}{gz:>7}{br if br is not None else 'n/a':>8}  "
              f"{budget}: {verdict} ({budget - gz:+d} to spare; loaded {ROLES.get(name, 'on demand')})")
    print("a reader who ...           raw   gzip  brotli")
    for reader, wanted in READERS.items():
        names = [n for n in wanted if n in sizes]  # an older build may lack a chunk
        raw, gz, br = (sum(sizes[n][i] or 0 for n in names) for i in range(3))
        print(f"  {reader:<23}{raw:>7}{gz:>7}{br or 'n/a':>8}  ({' + '.join(names)})")
    print("gzip level 9, brotli quality 11" + ("" if brotli_size(b"") is not None else " (pip install brotli)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
