"""Print the size of the widget's files as served, raw and compressed, against their budgets.

The page-load budget counts what every page loads: the card (widget.js). Every
other file is a chunk the card imports only when a reader needs it (feedback.js:
the form, after a low rating and a press on "Tell us more"; vote.js: voting, when
a reader reaches for the stars); each has its own budget.
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
BUDGET_GZIP = {MAIN: 2300, "feedback.js": 1000, "vote.js": 1200}
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
    totals = [0, 0, 0]
    for name in [MAIN, *sorted(n for n in served if n != MAIN)]:
        body = served[name].body
        raw, gz, br = len(body), gzip_size(body), brotli_size(body)
        totals = [totals[0] + raw, totals[1] + gz, totals[2] + (br or 0)]
        budget = BUDGET_GZIP.get(name, CHUNK_BUDGET)
        verdict = "OK" if gz <= budget else "OVER BUDGET"
        role = "every page" if name == MAIN else "on demand"
        print(f"{name:<13}{raw:>7}{gz:>7}{br if br is not None else 'n/a':>8}  "
              f"{budget}: {verdict} ({budget - gz:+d} to spare; loaded {role})")
    print(f"{'total':<13}{totals[0]:>7}{totals[1]:>7}{totals[2] or 'n/a':>8}")
    print("gzip level 9, brotli quality 11" + ("" if brotli_size(b"") is not None else " (pip install brotli)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
