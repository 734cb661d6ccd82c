"""A small bounded load run against gunicorn on loopback: stored counts equal accepted votes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "load.py"


def test_concurrent_voters_lose_nothing() -> None:
    run = subprocess.run([sys.executable, str(BENCH), "--voters", "8", "--articles", "5",
                          "--votes-per-voter", "15", "--json"], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr + run.stdout
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["failures"] == {}
    assert result["requests"] == 8 * 15
    assert result["accepted_votes"] == 8 * 5
    assert result["exact"] is True and result["mismatches"] == 0
