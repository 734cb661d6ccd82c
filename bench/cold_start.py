"""Cold start: import time of the Lambda entry (ascolto.wsgi, create_app included) against bare flask + boto3.

Each case runs in a fresh interpreter under `python -X importtime`; the figure is the sum of
the cumulative times of the top-level imports, median of several runs. The entry runs with
the AWS settings (a dynamodb:// store and an ses:// mailer) so it builds what Lambda builds.
Zappa's handler imports boto3 itself, so "boto3 + ascolto.wsgi" is what a Lambda init pays
beyond Zappa; the target is at most 1.15x the bare `import flask, boto3`.

    python bench/cold_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AWS_ENV = {
    "ASCOLTO_STORE": "dynamodb://ascolto-dev?region=eu-west-1",
    "ASCOLTO_MAILER": "ses://eu-west-1",
    "ASCOLTO_SECRET": "bench-secret",
    "ASCOLTO_PUBLIC_URL": "https://abc.execute-api.eu-west-1.amazonaws.com/dev",
    "ASCOLTO_MAIL_FROM": "ascolto@example.org",
    "AWS_LAMBDA_FUNCTION_NAME": "ascolto-dev",
    "AWS_DEFAULT_REGION": "eu-west-1",
}
CASES = {
    "import flask, boto3 (bare)": "import flask, boto3",
    "import ascolto.wsgi": "import ascolto.wsgi",
    "import boto3, ascolto.wsgi (Lambda init)": "import boto3, ascolto.wsgi",
}
LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)")


def import_ms(code: str) -> float:
    """Return the milliseconds a fresh interpreter spends importing what `code` imports."""
    env = {**os.environ, **AWS_ENV}
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    total = 0
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        if match and len(match.group(3)) == 1:  # top level: one space before the name
            total += int(match.group(2))
    return total / 1000


def main() -> None:
    """Print each case's median import time and the ratio to bare flask + boto3."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for code in CASES.values():
        import_ms(code)  # warm the file cache once, like a second cold start on one host
    medians = {name: statistics.median(import_ms(code) for _ in range(args.runs)) for name, code in CASES.items()}
    base = medians["import flask, boto3 (bare)"]
    for name, ms in medians.items():
        print(f"{name:<45} {ms:8.1f} ms  {ms / base:5.2f}x")
    entry = medians["import boto3, ascolto.wsgi (Lambda init)"] / base
    print(f"target <= 1.15x: {'met' if entry <= 1.15 else 'NOT met'} ({entry:.2f}x, median of {args.runs} runs)")


if __name__ == "__main__":
    main()
