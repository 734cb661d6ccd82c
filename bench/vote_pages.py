"""SQLite pages a counted vote writes, by table and index: what each vote's commit puts in the WAL.

Every page a transaction changes is one WAL frame (4 KB and a header, two writes), copied
into the database file again by the checkpoint. Votes go through the WSGI app, as in
bench/vote_cpu.py, every one from a different reader. While they run, a second connection
holds a read transaction open, so no checkpoint can restart the WAL: it only grows, and
its frames name the pages written. SQLite's dbstat table names each page's table or index.

Usage: python bench/vote_pages.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import sqlite3
import struct
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from vote_cpu import ORIGIN, blog_app, request  # noqa: E402

WAL_HEADER = 32
FRAME_HEADER = 24


def frame_pages(wal: bytes, start: int, page_size: int) -> list[int]:
    """Return the page number of each WAL frame from byte `start` on."""
    offset = max(start, WAL_HEADER)
    pages = []
    while offset + FRAME_HEADER + page_size <= len(wal):
        pages.append(struct.unpack(">I", wal[offset:offset + 4])[0])
        offset += FRAME_HEADER + page_size
    return pages


def main() -> None:
    """Cast the votes with the WAL held open and print the frames per vote by table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, app = blog_app(Path(tmp), "pages")
        path = Path(store.path)
        for n in range(200):  # the articles exist and the tables have some depth, as on a live site
            assert request(app, 10**7 + n, ORIGIN).startswith("200")
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sites").fetchone()  # the read that pins the WAL
        wal = Path(f"{path}-wal")
        start = wal.stat().st_size
        for n in range(args.requests):
            assert request(app, n, ORIGIN).startswith("200")
        reader.execute("COMMIT")
        page_size = reader.execute("PRAGMA page_size").fetchone()[0]
        pages = frame_pages(wal.read_bytes(), start, page_size)
        names = dict(reader.execute("SELECT pageno, name FROM dbstat"))
        reader.close()
        store.close()
    by_table = Counter(names.get(page, "(new or freed page)") for page in pages)
    print(f"{args.requests} counted votes: {len(pages) / args.requests:.2f} WAL frames ({page_size}-byte pages) "
          "per vote")
    for name, count in by_table.most_common():
        print(f"  {count / args.requests:5.2f}  {name}")


if __name__ == "__main__":
    main()
