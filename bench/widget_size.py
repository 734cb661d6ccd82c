"""Print the size of the built widget, raw and compressed, against its budget.

Usage: python bench/widget_size.py [path]   (default: the served asset)
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

BUDGET_GZIP = 2000
ASSET = Path(__file__).resolve().parent.parent / "backend" / "ascolto" / "static" / "widget.js"


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
    """Print the figures and the verdict (tests/widget/test_asset.py enforces the ceiling)."""
    path = Path(argv[1]) if len(argv) > 1 else ASSET
    data = path.read_bytes()
    gz = gzip_size(data)
    br = brotli_size(data)
    print(f"asset:  {path}")
    print(f"raw:    {len(data):>6} bytes")
    print(f"gzip:   {gz:>6} bytes (level 9)")
    print(f"brotli: {br:>6} bytes (quality 11)" if br is not None else "brotli: n/a (pip install brotli)")
    verdict = "OK" if gz <= BUDGET_GZIP else "OVER BUDGET"
    print(f"budget: {BUDGET_GZIP} bytes gzip: {verdict} ({BUDGET_GZIP - gz:+d} bytes to spare)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
