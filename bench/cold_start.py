"""Cold start: import time of the Lambda entry (ascolto.wsgi, create_app included) against bare flask + boto3.

Each case runs in a fresh interpreter under `python -X importtime`; the figure is the sum of
the cumulative times of the top-level imports, median of several runs. The entry runs with
the AWS settings (a dynamodb:// store and an ses:// mailer) so it builds what Lambda builds.
Zappa's handler imports boto3 itself, so "boto3 + ascolto.wsgi" is what a Lambda init pays
beyond Zappa; the target is at most 1.15x the bare `import flask, boto3`.

It then does the same inside the real artifact (`zappa package`, unzipped, run with
`python -I -S` and only boto3 and friends beside it, as on Lambda): Zappa's handler with
LambdaHandler() (which imports ascolto.wsgi) against `import flask, boto3` from the same
folders.

    python bench/cold_start.py [--runs 7] [--no-artifact]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

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


def import_ms(code: str, isolated: bool = False) -> float:
    """Return the milliseconds a fresh interpreter spends importing what `code` imports."""
    env = {**os.environ, **AWS_ENV}
    flags = ["-I", "-S"] if isolated else []
    done = subprocess.run([sys.executable, *flags, "-X", "importtime", "-c", code], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    total = 0
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        if match and len(match.group(3)) == 1:  # top level: one space before the name
            total += int(match.group(2))
    return total / 1000


def artifact_cases(folder: Path) -> dict[str, str]:
    """Return the two cases run inside the unpacked artifact, with the runtime's boto3 beside it."""
    sys.path.insert(0, str(ROOT))
    from infra.package import package, runtime_provided

    unpacked, runtime = folder / "unpacked", runtime_provided(folder / "runtime")
    with zipfile.ZipFile(package("dev", folder / "ascolto-dev.zip")) as zf:
        zf.extractall(unpacked)
    paths = f"import sys; sys.path[:0] = [{str(unpacked)!r}]; sys.path.append({str(runtime)!r}); "
    return {
        "artifact: import flask, boto3 (bare)": paths + "import flask, boto3",
        "artifact: Zappa handler + LambdaHandler() (init)": paths + "import handler; handler.LambdaHandler()",
    }


def report(cases: dict[str, str], runs: int, isolated: bool = False, ratios: bool = False) -> Any:
    """Print each case's median and ratio to the first case; return the last ratio (or all of them)."""
    for code in cases.values():
        import_ms(code, isolated)  # warm the file cache once, like a second cold start on one host
    medians = {name: statistics.median(import_ms(code, isolated) for _ in range(runs)) for name, code in cases.items()}
    base = next(iter(medians.values()))
    for name, ms in medians.items():
        print(f"{name:<52} {ms:8.1f} ms  {ms / base:5.2f}x")
    if ratios:
        return {name: ms / base for name, ms in medians.items()}
    return list(medians.values())[-1] / base


def main() -> None:
    """Print each case's median import time and the ratio to bare flask + boto3."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-artifact", action="store_true", help="skip building and timing the zip")
    args = parser.parse_args()
    medians = report(CASES, args.runs, ratios=True)
    entry = medians["import ascolto.wsgi"]
    print(f"target: import of the entry module <= 1.15x: {'met' if entry <= 1.15 else 'NOT met'}"
          f" ({entry:.2f}x, median of {args.runs} runs)")
    if not args.no_artifact:
        with tempfile.TemporaryDirectory() as tmp:
            init = report(artifact_cases(Path(tmp)), args.runs, isolated=True)
        print(f"artifact init (Zappa's handler imports boto3 and asyncio itself): {init:.2f}x")

if __name__ == "__main__":
    main()
