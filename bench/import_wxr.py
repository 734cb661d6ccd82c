"""What `ascolto import wordpress` costs: reading a large export, planning, and writing to SQLite.

Writes a WXR file of --posts posts (2 kB of content each, one in four rated with Rate My Post,
one in twenty with a feedback entry), then times read_wxr (and its peak traced memory against the
file's size), plan_import and apply_import on a fresh SQLite store, and counts the store calls per
imported article: each write is one DynamoDB item under 1 kB (1 WCU), each read one item or query.

Usage: python bench/import_wxr.py [--posts 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))

from ascolto.importing.apply import apply_import  # noqa: E402
from ascolto.importing.plan import plan_import  # noqa: E402
from ascolto.importing.wxr import read_wxr  # noqa: E402
from ascolto.ratings import Site  # noqa: E402
from ascolto.stores.sqlite import SqliteStore  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WRITES = {"put_record", "delete_record", "replace_aggregate", "add_event", "write_vote", "put_site"}


def write_export(path: Path, posts: int) -> None:
    """Write a WordPress export of `posts` posts."""
    body = "<p>" + "Slow cooking, slow reading. " * 72 + "</p>"
    when = (NOW - timedelta(days=30)).strftime("%d-%m-%Y %H:%M:%S")
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench</title>\n'
                  "<link>https://old.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n")
        for n in range(1, posts + 1):
            meta = ""
            if n % 4 == 0:
                meta += (f"<wp:postmeta><wp:meta_key>rmp_vote_count</wp:meta_key><wp:meta_value>{n % 40 + 1}"
                         "</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>rmp_rating_val_sum</wp:meta_key>"
                         f"<wp:meta_value>{(n % 40 + 1) * 4}</wp:meta_value></wp:postmeta>")
            if n % 20 == 0:
                entry = f"Needs a photo of step {n}."
                serialized = (f'a:1:{{i:0;a:3:{{s:8:"feedback";s:{len(entry.encode())}:"{entry}";'
                              f's:4:"time";s:19:"{when}";s:2:"id";s:6:"f{n:05d}";}}}}')
                meta += ("<wp:postmeta><wp:meta_key>rmp_feedback_val_new</wp:meta_key>"
                         f"<wp:meta_value><![CDATA[{serialized}]]></wp:meta_value></wp:postmeta>")
            out.write(f"<item><title><![CDATA[Post {n}]]></title><link>https://old.example/p/{n}/</link>"
                      f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{n}</wp:post_id>"
                      "<wp:post_date_gmt>2021-06-01 12:00:00</wp:post_date_gmt><wp:status>publish</wp:status>"
                      f"<wp:post_type>post</wp:post_type>{meta}</item>\n")
        out.write("</channel>\n</rss>\n")


class Counting:
    """A store that counts the calls made to it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attribute(*args, **kwargs)

        return counted


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xml"
        write_export(path, args.posts)
        tracemalloc.start()
        start = time.perf_counter()
        export = read_wxr(path)
        read_s = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        site = Site(id="blog", name="Blog", owner_email="o@example.org", origins=("https://blog.example.org",))
        start = time.perf_counter()
        plan = plan_import(export, site, NOW)
        plan_s = time.perf_counter() - start
        store = SqliteStore(Path(tmp) / "bench.db")
        store.put_site(site)
        counting = Counting(store)
        start = time.perf_counter()
        result = apply_import(counting, plan, NOW)  # type: ignore[arg-type]
        apply_s = time.perf_counter() - start
        articles = max(result.articles, 1)
        writes = sum(n for name, n in counting.calls.items() if name in WRITES)
        reads = sum(n for name, n in counting.calls.items() if name not in WRITES)
        size = path.stat().st_size
        print(f"export: {args.posts} posts, {size / 1e6:.1f} MB; {result.articles} rated, {result.votes} votes, "
              f"{result.feedback} feedback")
        print(f"read_wxr      {read_s:6.2f} s  {size / read_s / 1e6:5.1f} MB/s  peak traced memory "
              f"{peak / 1e6:.1f} MB ({peak / size:.1%} of the file)")
        print(f"plan_import   {plan_s:6.2f} s")
        print(f"apply_import  {apply_s:6.2f} s  {apply_s / articles * 1e3:.2f} ms per article on SQLite")
        print(f"store calls per article: {writes / articles:.2f} writes, {reads / articles:.2f} reads "
              f"({dict(sorted(counting.calls.items()))})")
        store.close()


if __name__ == "__main__":
    main()
