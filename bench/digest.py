"""Digest budget: a site with 100,000 votes and 5,000 feedback texts in one day across 5,000 articles.

Prints, for 1×, 10× and 100× history (older days' events, before the comparison week):
collect / build / render times, the HTML size, and the DynamoDB read units the collection
costs by DynamoDB's documented sizing rules (a Query reads pages of up to 1 MB; each page
costs its summed item sizes rounded up to 4 KB, one RCU per 4 KB strongly consistent, half
that eventually consistent, which is what the digest uses).

    .venv/bin/python bench/digest.py                      # SQLite, 1× history = 20,000 older events
    .venv/bin/python bench/digest.py --history-unit 100000   # 100× = 10 million older events (~10 min)
    .venv/bin/python bench/digest.py --store dynamodb     # moto, at 2% of the load (--scale)

Seeding uses bulk inserts (SQLite executemany, DynamoDB BatchWriteItem), not the vote path.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from ascolto.digest.collect import COMPARE_DAYS, collect_site, day_window  # noqa: E402
from ascolto.digest.render import render  # noqa: E402
from ascolto.digest.report import build_report  # noqa: E402
from ascolto.ratings import Event, Site  # noqa: E402
from ascolto.settings import Settings  # noqa: E402

DAY = date(2026, 11, 19)
SITE = Site(id="bench", name="Bench Daily", owner_email="owner@example.org", origins=("https://bench.example",),
            timezone="Europe/Rome", created_at="2020-01-01T00:00:00+00:00")
TEXTS = (
    "The second example does not compile with the current version; the import moved.",
    "Great overview, but the part about caching could use a diagram. I read it twice and still was not sure "
    "which layer invalidates what.",
    "Typo in the third paragraph: 'recieve'.",
    "Molto utile, grazie! Però il link alla documentazione in fondo non funziona più.",
    "I disagree with the conclusion: measured on my laptop the slower option was faster for small inputs, "
    "probably because of the start-up cost. Maybe add numbers for both sizes?",
)
PAGE = 1024 * 1024
DAY_VOTES, DAY_FEEDBACK, ARTICLES = 100_000, 5_000, 5_000
WEEK_VOTES_PER_DAY = 10_000


def query_rcu(sizes: list[int], eventually_consistent: bool = True) -> float:
    """Return the read units of one Query that reads items of these sizes."""
    units, page = 0, 0
    for size in sizes:
        if page + size > PAGE:
            units += math.ceil(page / 4096)
            page = 0
        page += size
    units += math.ceil(page / 4096) if page else 0
    return units / 2 if eventually_consistent else float(units)


def event_sizes_by_day(events: list[Event]) -> dict[str, list[int]]:
    """Return the DynamoDB item size of each event, grouped by the local day partition it lives in."""
    from ascolto.stores import dynamodb_layout as di

    out: dict[str, list[int]] = {}
    for e in events:
        day = e.at.astimezone(SITE.zone).date().isoformat()
        out.setdefault(day, []).append(di.item_size(di.event_item(e, day)))
    return out


def fake_events(rng: random.Random, start: datetime, end: datetime, votes: int, feedback: int) -> Iterator[Event]:
    """Yield vote and feedback events spread over [start, end)."""
    span = (end - start).total_seconds()
    means = [rng.uniform(2.2, 4.8) for _ in range(ARTICLES)]
    for _ in range(votes):
        a = rng.randrange(ARTICLES)
        at = start + timedelta(seconds=rng.uniform(0, span))
        quarantined = rng.random() < 0.01
        yield Event(kind="vote", site=SITE.id, article=f"/posts/{a:05d}-a-readable-slug", voter=uuid.uuid4().hex,
                    at=at, rating=max(1, min(5, round(rng.gauss(means[a], 1)))),
                    title=f"Article number {a}: a title of a typical length for a blog",
                    url=f"https://bench.example/posts/{a:05d}-a-readable-slug", quarantined=quarantined,
                    quarantine_reason="over_cap" if quarantined else "", id=uuid.uuid4().hex)
    for i in range(feedback):
        a = i % ARTICLES
        at = start + timedelta(seconds=rng.uniform(0, span))
        yield Event(kind="feedback", site=SITE.id, article=f"/posts/{a:05d}-a-readable-slug",
                    voter=uuid.uuid4().hex, at=at, rating=rng.randint(1, 5), text=rng.choice(TEXTS),
                    contact_email=f"reader{i}@example.com" if i % 3 == 0 else "",
                    title=f"Article number {a}: a title of a typical length for a blog",
                    url=f"https://bench.example/posts/{a:05d}-a-readable-slug", id=uuid.uuid4().hex)


class SqliteSeeder:
    """Bulk-insert events and aggregates straight into SqliteStore's tables."""

    def __init__(self, folder: Path) -> None:
        from ascolto.stores.sqlite import SqliteStore

        self.store = SqliteStore(folder / "bench.db")
        self.store.put_site(SITE)

    def events(self, events: Iterator[Event]) -> None:
        conn = self.store._conn()
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO events (id, site, day, at, kind, article, voter, rating, previous_rating, title, url,"
                " text, contact_email, quarantined, quarantine_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                batch)
            conn.execute("COMMIT")
            batch.clear()

        for e in events:
            batch.append((e.id, e.site, e.at.astimezone(SITE.zone).date().isoformat(),
                          e.at.astimezone(UTC).isoformat(timespec="microseconds"), e.kind, e.article, e.voter,
                          e.rating, None, e.title, e.url, e.text, e.contact_email, int(e.quarantined),
                          e.quarantine_reason))
            if len(batch) >= 50_000:
                flush()
        if batch:
            flush()

    def aggregates(self, rng: random.Random) -> None:
        conn = self.store._conn()
        conn.execute("BEGIN")
        rows = []
        for a in range(ARTICLES):
            h = [rng.randint(0, 400) for _ in range(5)]
            rows.append((SITE.id, f"/posts/{a:05d}-a-readable-slug", sum(h), sum((i + 1) * n for i, n in enumerate(h)),
                         *h, f"Article number {a}: a title of a typical length for a blog",
                         f"https://bench.example/posts/{a:05d}-a-readable-slug", "2021-01-01T00:00:00+00:00"))
        conn.executemany("INSERT OR REPLACE INTO aggregates (site, article, count, total, h1, h2, h3, h4, h5, title,"
                         " url, first_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")


class DynamoSeeder:
    """BatchWriteItem events and aggregates into a moto table that DynamoDBStore reads."""

    def __init__(self, folder: Path) -> None:
        import boto3
        from moto import mock_aws

        from ascolto.stores.dynamodb import DynamoDBStore

        self.mock = mock_aws()
        self.mock.start()
        self.client = boto3.client("dynamodb", region_name="eu-west-1")
        self.client.create_table(**DynamoDBStore.table_definition("bench"))
        self.store = DynamoDBStore("bench", region="eu-west-1", client=self.client)
        self.store.put_site(SITE)

    def _write(self, items: Iterator[dict[str, Any]]) -> None:
        batch: list[dict[str, Any]] = []
        for item in items:
            batch.append({"PutRequest": {"Item": item}})
            if len(batch) == 25:
                self.client.batch_write_item(RequestItems={"bench": batch})
                batch = []
        if batch:
            self.client.batch_write_item(RequestItems={"bench": batch})

    def events(self, events: Iterator[Event]) -> None:
        from ascolto.stores import dynamodb_layout as di

        self._write(di.event_item(e, e.at.astimezone(SITE.zone).date().isoformat()) for e in events)

    def aggregates(self, rng: random.Random) -> None:
        from ascolto.stores import dynamodb_layout as di

        def items() -> Iterator[dict[str, Any]]:
            for a in range(ARTICLES):
                h = [rng.randint(0, 400) for _ in range(5)]
                article = f"/posts/{a:05d}-a-readable-slug"
                yield {**di.summary_key(SITE.id, article), "article": di.s(article), "count": di.n(sum(h)),
                       "total": di.n(sum((i + 1) * n for i, n in enumerate(h))),
                       **{f"h{i + 1}": di.n(n) for i, n in enumerate(h)}, "ver": di.n(1),
                       "title": di.s(f"Article number {a}: a title of a typical length for a blog"),
                       "url": di.s(f"https://bench.example{article}"), "first_at": di.s("2021-01-01T00:00:00+00:00")}

        self._write(items())


def measure(store: Any, settings: Settings) -> dict[str, float]:
    """Collect, build and render the digest of DAY; return timings, sizes and read units."""
    t0 = time.perf_counter()
    site_day = collect_site(store, SITE, DAY, datetime.now(UTC))
    t1 = time.perf_counter()
    report = build_report([site_day], owner_email=SITE.owner_email, language="en", day=DAY)
    t2 = time.perf_counter()
    rendered = render(report, settings)
    t3 = time.perf_counter()
    from ascolto.stores import dynamodb_layout as di

    day_sizes = event_sizes_by_day(site_day.events)
    week_sizes = event_sizes_by_day(site_day.previous)
    agg_sizes = [di.item_size({**di.summary_key(SITE.id, s.article), "article": di.s(s.article),
                               "count": di.n(s.count), "total": di.n(s.total),
                               **{f"h{i + 1}": di.n(n) for i, n in enumerate(s.histogram)}, "ver": di.n(1),
                               "title": di.s(s.title), "url": di.s(s.url), "first_at": di.s(di.iso(s.first_at))})
                 for s in site_day.articles if s.first_at]
    return {
        "collect": t1 - t0, "build": t2 - t1, "render": t3 - t2,
        "day_events": len(site_day.events), "week_events": len(site_day.previous),
        "html": len(rendered.html.encode()), "text": len(rendered.text.encode()),
        "rcu_day": sum(query_rcu(s) for s in day_sizes.values()),
        "rcu_week": sum(query_rcu(s) for s in week_sizes.values()),
        "rcu_articles": query_rcu(agg_sizes),
        "day_mb": sum(map(sum, day_sizes.values())) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=("sqlite", "dynamodb"), default="sqlite")
    parser.add_argument("--history-unit", type=int, default=None,
                        help="older events per 1× of history (default 20,000 on SQLite, 500 on moto)")
    parser.add_argument("--multipliers", default=None, help="comma-separated, default 1,10,100")
    parser.add_argument("--scale", type=float, default=None,
                        help="fraction of the day's and the week's load (default 1 on SQLite, 0.02 on moto,"
                             " which spends milliseconds per item: the full day takes it over 15 minutes)")
    args = parser.parse_args()
    scale = args.scale or (1.0 if args.store == "sqlite" else 0.02)
    day_votes, day_feedback = int(DAY_VOTES * scale), int(DAY_FEEDBACK * scale)
    week_per_day = int(WEEK_VOTES_PER_DAY * scale)
    global ARTICLES
    ARTICLES = max(50, int(ARTICLES * scale))
    if args.store == "dynamodb":
        try:
            import ascolto.stores.dynamodb  # noqa: F401
        except ImportError:
            sys.exit("ascolto.stores.dynamodb does not exist yet")
    unit = args.history_unit or (20_000 if args.store == "sqlite" else 500)
    multipliers = [int(m) for m in (args.multipliers or "1,10,100").split(",")]
    rng = random.Random(42)
    folder = Path(tempfile.mkdtemp(prefix="ascolto-bench-"))
    settings = Settings(data_dir=folder, secret="bench", public_url="https://ratings.example.org")
    seeder = SqliteSeeder(folder) if args.store == "sqlite" else DynamoSeeder(folder)
    start, end = day_window(SITE.zone, DAY)
    week_start, _ = day_window(SITE.zone, DAY - timedelta(days=COMPARE_DAYS))
    history_start, _ = day_window(SITE.zone, DAY - timedelta(days=400))
    t = time.perf_counter()
    seeder.aggregates(rng)
    seeder.events(fake_events(rng, start, end, day_votes, day_feedback))
    seeder.events(fake_events(rng, week_start, start, week_per_day * COMPARE_DAYS, 0))
    print(f"store={args.store}  day: {day_votes:,} votes + {day_feedback:,} feedback on {ARTICLES:,} articles;"
          f" comparison week: {week_per_day:,} votes/day; history unit {unit:,} older events"
          f" (seeded in {time.perf_counter() - t:.1f} s)")
    print("history  older events  collect s  build s  render s  html KB  day events  RCU day  RCU week"
          "  RCU articles  day MB")
    seeded = 0
    for m in multipliers:
        want = m * unit
        t = time.perf_counter()
        seeder.events(fake_events(rng, history_start, week_start, want - seeded, 0))
        seeded = want
        seed_s = time.perf_counter() - t
        r = measure(seeder.store, settings)
        print(f"{m:>6}×  {seeded:>12,}  {r['collect']:>9.2f}  {r['build']:>7.2f}  {r['render']:>8.3f}"
              f"  {r['html'] / 1024:>7.1f}  {int(r['day_events']):>10,}  {r['rcu_day']:>7,.0f}"
              f"  {r['rcu_week']:>8,.0f}  {r['rcu_articles']:>12,.0f}  {r['day_mb']:>6.1f}"
              f"   (history seeded in {seed_s:.1f} s)")
    print("RCU: eventually consistent Query reads, by DynamoDB's sizing rules, from the event items' sizes;"
          " 'day' is the one partition of the digest's day, 'week' the 7 partitions of the comparison,"
          " 'articles' the site's summaries partition. None depends on older history.")


if __name__ == "__main__":
    main()
