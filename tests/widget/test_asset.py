"""The committed widget asset: present, small, free of innerHTML, and exactly what the source builds."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSET = ROOT / "backend" / "ascolto" / "static" / "widget.js"
WIDGET = ROOT / "widget"
ESBUILD = WIDGET / "node_modules" / ".bin" / "esbuild"

# The brief's target is 2,000 bytes gzip; the widget as specified measures more
# (see bench/widget_size.py). This ceiling stops it from growing further.
CEILING_GZIP = 2700


def test_asset_exists_and_is_one_line_of_minified_js() -> None:
    body = ASSET.read_text(encoding="ascii")  # non-ASCII is escaped, whatever the page's charset
    assert body.startswith("(()=>{") and body.rstrip().endswith("})();")
    assert body.count("\n") <= 1


def test_asset_stays_under_its_size_ceiling() -> None:
    size = len(gzip.compress(ASSET.read_bytes(), compresslevel=9, mtime=0))
    assert size <= CEILING_GZIP, f"widget.js is {size} bytes gzip, over {CEILING_GZIP}"


def test_asset_never_uses_inner_html_or_cookies() -> None:
    body = ASSET.read_text(encoding="ascii")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "cookie", "eval("):
        assert forbidden not in body


def test_asset_carries_both_languages() -> None:
    body = ASSET.read_text(encoding="ascii")
    assert "How useful was this post?" in body
    assert "Quanto ti \\xE8 stato utile questo articolo?" in body


def test_build_is_reproducible(tmp_path: Path) -> None:
    if not ESBUILD.exists() or not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail("widget/node_modules is missing: run `npm ci --prefix widget` first")
        pytest.skip("widget/node_modules is missing: run `npm ci --prefix widget` to check the build")
    out = tmp_path / "widget.js"
    for _ in range(2):
        subprocess.run(["node", str(WIDGET / "build.mjs"), str(out)], check=True, cwd=WIDGET, timeout=120)
        assert out.read_bytes() == ASSET.read_bytes(), (
            "backend/ascolto/static/widget.js is not what widget/src builds: "
            "run `npm ci --prefix widget && npm run --prefix widget build` and commit the asset")
