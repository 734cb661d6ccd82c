"""Size of the Lambda artifact `zappa package` builds: zipped and unzipped, and its largest parts.

Builds the dev stage with infra/package.py (a clean venv, boto3 left to the Lambda runtime),
or measures a zip you pass. Target: at most 15 MiB zipped.

    python bench/package_size.py [path/to/package.zip]
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.package import package  # noqa: E402

MIB = 1024 * 1024
TARGET_MIB = 15


def main() -> None:
    """Print the zipped and unzipped sizes and the ten largest top-level entries."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else package("dev", Path(tmp) / "ascolto-dev.zip")
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
        zipped = path.stat().st_size
    unzipped = sum(i.file_size for i in infos)
    parts: Counter[str] = Counter()
    for info in infos:
        parts[info.filename.split("/")[0]] += info.compress_size
    print(f"zipped:   {zipped / MIB:6.2f} MiB  ({zipped} bytes)")
    print(f"unzipped: {unzipped / MIB:6.2f} MiB  ({len(infos)} files)")
    print("largest parts (zipped):")
    for name, size in parts.most_common(10):
        print(f"  {name:<32} {size / 1024:8.1f} KiB")
    print(f"target <= {TARGET_MIB} MiB zipped: {'met' if zipped <= TARGET_MIB * MIB else 'NOT met'}")


if __name__ == "__main__":
    main()
