"""Print the fuzzing figures: requests, statuses, the 2xx share of positive write cases, 5xx count.

It runs tests/api/test_fuzz.py (schemathesis from the API's own OpenAPI document, on a site with
its limits raised) with more examples than CI does, and prints the figures the test reports.

Usage: python bench/fuzz.py [--examples 200]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Run the fuzz test with N examples per operation and mode; print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="Examples per operation and mode.")
    args = parser.parse_args()
    env = dict(os.environ, ASCOLTO_FUZZ_EXAMPLES=str(args.examples))
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/api/test_fuzz.py", "-q", "-s",
                          "-p", "no:cacheprovider", "-k", "shape or stored or right_to_accept"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in run.stdout.splitlines() if line.startswith("fuzz ")]
    accepted = [line for line in lines if line.startswith("fuzz negative accepted")]
    for line in lines:
        if line not in accepted:
            print(line)
    print(f"fuzz negative accepted (2xx): {len(accepted)}, each checked as right to accept:")
    for line in sorted(set(accepted)):
        print("  " + line.removeprefix("fuzz negative accepted: "))
    statuses = [int(s) for line in lines for s in re.findall(r"\b(\d{3}):", line)]
    print(f"fuzz 5xx statuses seen: {sum(1 for s in statuses if s >= 500)}")
    print(f"pytest: {run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]}")
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
