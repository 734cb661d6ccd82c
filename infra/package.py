"""Build the Lambda artifact with `zappa package`, from a clean virtualenv and offline.

Zappa zips the active virtualenv's site-packages. The development venv holds the test tools
(moto, playwright, cfn-lint …) and an editable ascolto, which Zappa would not copy. So this
script makes a throwaway venv holding exactly what the Lambda needs: a built wheel of
ascolto, its runtime requirements, and Zappa's own handler package (zappa + durationpy,
without Zappa's deploy-time dependencies). boto3 is left out: the Lambda runtime provides
it. Bytecode is compiled in, for the interpreter that builds (zappa_settings.json's
runtime must match it: python3.11).
Every distribution is copied from the current environment, so no network is needed.

    python infra/package.py [--stage dev] [--output /tmp/ascolto-dev.zip]
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# Zappa's handler imports zappa.{asgi,middleware,utilities,wsgi}, which need only these.
HANDLER_DISTRIBUTIONS = ("zappa", "durationpy")
# What the Lambda Python runtime already provides; never packaged.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3")


def closure(roots: list[str], skip: tuple[str, ...] = RUNTIME_PROVIDED) -> list[str]:
    """Return the installed distributions that roots need, following requirements."""
    seen: dict[str, None] = {}
    todo = list(roots)
    skipped = {canonicalize_name(s) for s in skip}
    while todo:
        name = canonicalize_name(Requirement(todo.pop()).name)
        if name in seen or name in skipped:
            continue
        seen[name] = None
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(text)
    return list(seen)


def copy_distribution(name: str, target: Path) -> None:
    """Copy an installed distribution's files (its RECORD) into a site-packages folder."""
    dist = metadata.distribution(name)
    for file in dist.files or []:
        if file.parts[0] == ".." or "__pycache__" in file.parts:
            continue  # console scripts and bytecode stay behind
        source = Path(str(dist.locate_file(file)))
        if source.is_file():
            destination = target / file
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def build_wheel(work: Path) -> Path:
    """Build ascolto's wheel from a copy of the sources (keeps build/ out of the tree)."""
    source = work / "src"
    shutil.copytree(ROOT / "backend" / "ascolto", source / "backend" / "ascolto",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(work / "wheels"), str(source)], check=True)
    return next((work / "wheels").glob("ascolto-*.whl"))


def make_venv(work: Path) -> Path:
    """Create the clean venv that Zappa will zip, populated without the network."""
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    with zipfile.ZipFile(build_wheel(work)) as wheel:
        wheel.extractall(site)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for name in closure(list(dependencies)) + list(HANDLER_DISTRIBUTIONS):
        copy_distribution(name, site)
    # Lambda's /var/task is read-only, so without bytecode in the zip every cold start would
    # compile every module. Unchecked hashes stay valid whatever mtimes the unzip gives.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                    str(site)], check=True)
    return venv


def runtime_provided(target: Path) -> Path:
    """Copy what the Lambda runtime provides (boto3 and friends) into a folder, for local runs."""
    for name in closure(list(RUNTIME_PROVIDED), skip=()):
        copy_distribution(name, target)
    return target


def package(stage: str, output: Path) -> Path:
    """Run `zappa package STAGE -o OUTPUT` on a clean venv and return the zip's path."""
    zappa = shutil.which("zappa", path=str(Path(sys.executable).parent))
    if zappa is None:
        raise SystemExit("zappa is not installed: pip install -e '.[deploy]'")
    with tempfile.TemporaryDirectory(prefix="ascolto-package-") as tmp:
        venv = make_venv(Path(tmp))
        env = {**os.environ, "VIRTUAL_ENV": str(venv), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        env.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.unlink(missing_ok=True)
        subprocess.run([zappa, "package", stage, "--output", str(output.resolve())], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return output


def main() -> None:
    """Build the artifact and print where it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--output", type=Path, default=Path(tempfile.gettempdir()) / "ascolto-lambda.zip")
    args = parser.parse_args()
    print(package(args.stage, args.output))


if __name__ == "__main__":
    main()
