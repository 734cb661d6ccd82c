"""Cost of the notification choice: Apprise against the hand-written ascolto.notify, in the Lambda zip and at import.

Package: builds the artifact as infra/package.py does, then adds Apprise and every distribution
it needs that the artifact lacks (taken from a scratch venv; what the Lambda runtime provides,
boto3 and urllib3 among them, left out), compiled the same way, and prints both zipped sizes
against the 5 MiB budget, with what ascolto/notify itself weighs in the zip.
Cold import: inside the unpacked artifact (`python -I -S`, the runtime's boto3 beside it, as in
bench/cold_start.py), `-X importtime` runs of the hourly job's imports (ascolto.wsgi,
ascolto.scheduled, ascolto.digest.schedule) followed by ascolto.notify.dispatch, or Apprise
(bare, and after `Apprise().add(url)`, which loads its plugins). Each run's ratio compares parts
of that one process (what the choice adds against ascolto.wsgi, and against the hourly job), so
a slow spell on a shared machine moves both sides; the figures are medians over the runs.

    python bench/notify_cost.py [--runs 7] [--venv /tmp/ascolto-apprise-venv]

The scratch venv is made (and Apprise installed from PyPI) when missing; the project's venv is untouched.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from infra.package import HANDLER_DISTRIBUTIONS, RUNTIME_PROVIDED, closure, package, runtime_provided  # noqa: E402

from cold_start import AWS_ENV, LINE  # noqa: E402

MIB = 1024 * 1024
BUDGET_MIB = 5


def split_ms(code: str, added: str) -> tuple[float, float, float]:
    """Return (ascolto.wsgi, everything before `added`, `added` and after) in ms, from one -X importtime run.

    Comparing parts of one process keeps the ratio steady when other jobs share the cores.
    """
    env = {**os.environ, **AWS_ENV}
    done = subprocess.run([sys.executable, "-I", "-S", "-X", "importtime", "-c", code], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    wsgi = before = after = 0.0
    seen = False
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        if not match or len(match.group(3)) != 1:
            continue  # only top-level imports: their cumulative time holds their children's
        name, ms = match.group(4), int(match.group(2)) / 1000
        seen = seen or name == added
        wsgi += ms if name == "ascolto.wsgi" else 0
        if seen:
            after += ms
        else:
            before += ms
    return wsgi, before, after


def scratch_venv(path: Path) -> Path:
    """Return the site-packages of a throwaway venv holding Apprise, making it if needed."""
    if not (path / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(path / "bin" / "pip"), "install", "-q", "apprise"], check=True)
    return next(path.glob("lib/python3*/site-packages"))


def apprise_extra(site: Path, target: Path, present: set[str]) -> list[str]:
    """Copy Apprise and what it needs, minus what the artifact or the runtime has, into target; return the names."""
    found = {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions(path=[str(site)])}
    skip = present | {canonicalize_name(n) for n in RUNTIME_PROVIDED}
    todo, taken = ["apprise"], []
    while todo:
        name = canonicalize_name(Requirement(todo.pop()).name)
        if name in skip or name in taken:
            continue
        taken.append(name)
        dist = found[name]
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(text)
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file)))
            if file.parts[0] != ".." and "__pycache__" not in file.parts and source.is_file():
                (target / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / file)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                    str(target)], check=True)
    return taken


def with_extra(artifact: Path, extra: Path, output: Path) -> Path:
    """Write a copy of the artifact with the extra folder's files added, deflated as Zappa does."""
    shutil.copy2(artifact, output)
    with zipfile.ZipFile(output, "a", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(p for p in extra.rglob("*") if p.is_file()):
            zf.write(file, file.relative_to(extra).as_posix())
    return output


def main() -> None:
    """Print the zipped sizes and the cold-import ratios of both choices."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "ascolto-apprise-venv")
    args = parser.parse_args()
    site = scratch_venv(args.venv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        artifact = package("dev", work / "ascolto-dev.zip")
        present = {canonicalize_name(n) for n in closure(list(_dependencies())) + list(HANDLER_DISTRIBUTIONS)}
        names = apprise_extra(site, work / "extra", present)
        bigger = with_extra(artifact, work / "extra", work / "with-apprise.zip")
        with zipfile.ZipFile(artifact) as zf:
            ours = sum(i.compress_size for i in zf.infolist() if i.filename.startswith("ascolto/notify/"))
        base, added = artifact.stat().st_size, bigger.stat().st_size
        print(f"hand-written (ascolto/notify in the zip): {ours / 1024:7.1f} KiB zipped; artifact {base / MIB:.2f} MiB")
        print(f"with Apprise (+ {', '.join(names)}): +{(added - base) / MIB:.2f} MiB zipped; "
              f"artifact {added / MIB:.2f} MiB")
        for label, size in (("hand-written", base), ("Apprise", added)):
            print(f"  {label:<13} budget {BUDGET_MIB} MiB zipped: {'met' if size <= BUDGET_MIB * MIB else 'NOT met'}")
        unpacked, runtime = work / "unpacked", runtime_provided(work / "runtime")
        with zipfile.ZipFile(bigger) as zf:
            zf.extractall(unpacked)
        paths = f"import sys; sys.path[:0] = [{str(unpacked)!r}]; sys.path.append({str(runtime)!r}); "
        hourly = paths + "import ascolto.wsgi, ascolto.scheduled, ascolto.digest.schedule; "
        cases = {
            "ascolto.notify.dispatch (hand-written)": ("import ascolto.notify.dispatch", "ascolto.notify.dispatch"),
            "import apprise": ("import apprise", "apprise"),
            "apprise + Apprise().add(url) (loads plugins)":
                ("import apprise; apprise.Apprise().add('json://127.0.0.1/hook')", "apprise"),
        }
        split_ms(hourly + "import apprise", "apprise")  # warm the file cache once
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (code, added) in cases.items():
                runs[name].append(split_ms(hourly + code, added))
    print(f"cold import inside the artifact (python -I -S -X importtime), median of {args.runs} runs;")
    print("ratios compare parts of one run: what the choice adds to ascolto.wsgi, and to the hourly job's imports")
    print(f"  {'added to the hourly job':<46} {'adds':>9}  {'wsgi+it / wsgi':>14}  {'hourly+it / hourly':>18}")
    for name, values in runs.items():
        adds = statistics.median(a for _, _, a in values)
        to_wsgi = statistics.median((w + a) / w for w, _, a in values)
        to_hourly = statistics.median((b + a) / b for _, b, a in values)
        print(f"  {name:<46} {adds:6.1f} ms  {to_wsgi:13.2f}x  {to_hourly:17.2f}x")
    wsgi = statistics.median(w for values in runs.values() for w, _, _ in values)
    print(f"  (import ascolto.wsgi itself: median {wsgi:.1f} ms in these runs)")


def _dependencies() -> list[str]:
    import tomllib

    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


if __name__ == "__main__":
    main()
