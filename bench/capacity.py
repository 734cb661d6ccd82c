"""Capacity units of each DynamoDBStore operation, from DynamoDB's sizing rules on the real items.

moto's ConsumedCapacity is not what AWS bills, so this records every call the store makes
(against moto, in process), looks at the items each call reads or writes, and applies the
documented rules: item size = attribute names + values; a write costs 1 WCU per started KB
of the larger of the item before and after (a failed condition still costs it); a read costs
1 RCU per started 4 KB, half when eventually consistent; a Query sums its items before
rounding, a BatchGetItem rounds each item; a transaction costs double; a read that finds
nothing still costs the minimum. Prices: on-demand, $0.625 per million WCU and $0.125 per
million RCU.

    python bench/capacity.py
"""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))

from ascolto.abuse import Keys  # noqa: E402
from ascolto.ratings import Feedback, Site, Vote, local_day  # noqa: E402
from ascolto.stores import dynamodb_layout as di  # noqa: E402
from ascolto.stores.dynamodb import DynamoDBStore  # noqa: E402
from ascolto.voting import add_feedback, cast_screened_vote, reconcile, record_vote  # noqa: E402

WCU_PRICE, RCU_PRICE = 0.625, 0.125  # dollars per million units, on demand
TABLE = "ascolto-bench"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
WRITES = {"put_item", "update_item", "delete_item"}


@dataclass
class Units:
    """Capacity units spent by a sequence of calls."""

    wcu: float = 0.0
    rcu: float = 0.0
    calls: list[str] = field(default_factory=list)


def read_units(size: int, consistent: bool) -> float:
    """Return the RCU of reading `size` bytes (at least one unit)."""
    units = max(1, math.ceil(size / 4096))
    return units if consistent else units / 2


def write_units(size: int) -> int:
    """Return the WCU of writing an item of `size` bytes (at least one unit)."""
    return max(1, math.ceil(size / 1024))


class Meter:
    """A DynamoDB client wrapper that prices every call by the documented rules."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.units = Units()

    def _item(self, table: str, key: dict[str, Any]) -> dict[str, Any]:
        return self.client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item", {})

    def _write(self, table: str, key: dict[str, Any], call: Any, factor: int = 1) -> Any:
        before = di.item_size(self._item(table, key)) if self._item(table, key) else 0
        try:
            return call()
        finally:
            after_item = self._item(table, key)
            after = di.item_size(after_item) if after_item else 0
            self.units.wcu += factor * write_units(max(before, after))

    def __getattr__(self, operation: str) -> Any:
        method = getattr(self.client, operation)

        def call(**params: Any) -> Any:
            self.units.calls.append(operation)
            if operation in WRITES:
                key = params.get("Key") or {k: params["Item"][k] for k in (di.PK, di.SK)}
                return self._write(params["TableName"], key, lambda: method(**params))
            if operation == "transact_write_items":
                for entry in params["TransactItems"]:
                    (kind, body), = entry.items()
                    self.units.wcu += 2 * write_units(di.item_size(self._item(body["TableName"], body["Key"])))
                return method(**params)
            result = method(**params)
            consistent = bool(params.get("ConsistentRead"))
            if operation == "get_item":
                self.units.rcu += read_units(di.item_size(result.get("Item", {})), consistent)
            elif operation == "query":
                self.units.rcu += read_units(sum(di.item_size(i) for i in result.get("Items", [])), consistent)
            elif operation == "batch_get_item":
                found = [i for items in result.get("Responses", {}).values() for i in items]
                asked = sum(len(v["Keys"]) for v in params["RequestItems"].values())
                eventually = not any(v.get("ConsistentRead") for v in params["RequestItems"].values())
                # Each key is rounded on its own; a key that finds nothing costs the minimum.
                self.units.rcu += sum(read_units(di.item_size(i), not eventually) for i in found)
                self.units.rcu += (asked - len(found)) * read_units(0, not eventually)
            return result

        return call

    def measure(self, work: Any) -> Units:
        """Run work and return the units its calls spent."""
        self.units = measured = Units()
        work()
        self.units = Units()  # later calls (setting up the next case) are not this case's
        return measured


def site() -> Site:
    return Site(id="my-blog", name="My blog", owner_email="owner@example.org", origins=("https://blog.example.org",),
                timezone="Europe/Rome", created_at=NOW.isoformat())


def a_vote(article: str, voter: str, rating: int, at: datetime, request: str) -> Vote:
    return Vote(site="my-blog", article=article, voter=voter, rating=rating, at=at, day=local_day(at, site()),
                url=f"https://blog.example.org{article}", title="How we measure what readers think of a post",
                request_id=request)


def api_vote(store: DynamoDBStore, article: str, voter: str, rating: int, at: datetime, request: str, ip: str,
             **extra: Any) -> None:
    """Cast a vote as the API does (the same function, no HTTP)."""
    data = {"article": article, "url": f"https://blog.example.org{article}", "title": "A post", "rating": rating,
            "voter": voter, "request_id": request, "hp": "", "dwell_ms": 4000, **extra}
    cast_screened_vote(store, site(), data, at, Keys.of("bench", ip, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
                                                        site().id, at))


def main() -> None:
    """Print the units and prices of each operation."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "eu-west-1"})
    import boto3
    from moto import mock_aws

    with mock_aws():
        raw = boto3.client("dynamodb", region_name="eu-west-1")
        raw.create_table(**DynamoDBStore.table_definition(TABLE))
        meter = Meter(raw)
        store = DynamoDBStore(TABLE, client=meter)
        store.put_site(site())
        article = "/2026/11/how-we-measure-what-readers-think"
        for i in range(20):  # an article with some votes already
            record_vote(store, a_vote(article, f"{i:016x}", 1 + i % 5, NOW, f"r{i:015x}"))
        rows: list[tuple[str, Units]] = []
        voter, request = "a3f9c2e1b4d5f607", "9c2e1b4d5f607a3f"
        rows.append(("new vote (store.record_vote)",
                     meter.measure(lambda: record_vote(store, a_vote(article, voter, 4, NOW, request)))))
        later = NOW + timedelta(minutes=2)
        rows.append(("changed vote", meter.measure(
            lambda: record_vote(store, a_vote(article, voter, 2, later, "0b4d5f607a3f9c2e")))))
        rows.append(("retried vote (same request id)", meter.measure(
            lambda: record_vote(store, a_vote(article, voter, 2, later, "0b4d5f607a3f9c2e")))))
        text = "The example in the second part lost me: what does the 0.5 mean? " * 3
        rows.append(("feedback (200 chars, contact email)", meter.measure(lambda: add_feedback(store,
            Feedback(site="my-blog", article=article, voter=voter, text=text[:200], at=later, day="2026-11-20",
                     contact_email="reader@example.com")))))
        rows.append(("summary", meter.measure(lambda: store.summary("my-blog", article))))
        for i in range(50):
            record_vote(store, a_vote(f"/2026/11/post-number-{i:03d}", "c0ffee0000000001", 5, NOW, f"b{i:015x}"))
        rows.append(("batch of 50 summaries", meter.measure(
            lambda: store.summaries("my-blog", [f"/2026/11/post-number-{i:03d}" for i in range(50)]))))
        day_start = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)  # 00:00 on the 21st in Rome
        for i in range(1000):
            at = day_start + timedelta(seconds=80 * i)
            record_vote(store, a_vote(f"/2026/11/post-number-{i % 40:03d}", f"{i + 100000:016x}", 1 + i % 5, at,
                                     f"d{i:015x}"))
        rows.append(("one day's digest query (1,000 events)", meter.measure(
            lambda: store.events(site(), day_start, day_start + timedelta(days=1)))))
        articles = [f"/2026/11/post-number-{i:03d}" for i in range(40)]
        rows.append(("reconcile in the digest (40 articles, 1,000+ votes)", meter.measure(
            lambda: reconcile(store, site(), "2026-11-21", day_start + timedelta(days=2), articles=articles))))
        rows.append(("reconcile on its own (reads the day too)", meter.measure(
            lambda: reconcile(store, site(), "2026-11-21", day_start + timedelta(days=2)))))
        api_new = meter.measure(lambda: api_vote(store, article, "5e1ec7ed00000001", 5, NOW, "5e1ec7ed0000000a",
                                                 "198.51.100.20"))
        rows.append(("new vote through the API (anti-stuffing included)", api_new))
        rows.append(("held-back new vote through the API (honeypot)", meter.measure(
            lambda: api_vote(store, article, "5e1ec7ed00000002", 1, NOW, "5e1ec7ed0000000b", "198.51.100.21",
                             hp="http://spam.example"))))
        rows.append(("new article's first vote through the API", meter.measure(
            lambda: api_vote(store, "/2026/11/brand-new", "5e1ec7ed00000003", 4, NOW, "5e1ec7ed0000000c",
                             "198.51.100.22"))))

    print(f"{'operation':<56} {'WCU':>6} {'RCU':>7}  calls")
    for name, units in rows:
        counts = Counter(units.calls)
        calls = ", ".join(f"{op} x{n}" if n > 1 else op for op, n in counts.items())
        print(f"{name:<56} {units.wcu:>6g} {units.rcu:>7g}  {calls}")
    new = rows[0][1]
    api, api_rcu = api_new.wcu, api_new.rcu
    held = next(units for name, units in rows if name.startswith("held-back"))
    print()
    print(f"$ per million new votes, store only: ${new.wcu * WCU_PRICE + new.rcu * RCU_PRICE:.3f}"
          f"  ({new.wcu:g} WCU + {new.rcu:g} RCU)")
    print(f"$ per million new votes through the API (with anti-stuffing): ${api * WCU_PRICE + api_rcu * RCU_PRICE:.3f}"
          f"  ({api:g} WCU + {api_rcu:g} RCU)")
    summary = rows[4][1]
    print(f"$ per million summaries: ${summary.rcu * RCU_PRICE:.4f}  ({summary.rcu:g} RCU)")
    print(f"targets: new vote through the API <= 4 WCU: {'met' if api <= 4 else 'NOT met'};"
          f" held-back vote <= a counted one: {'met' if held.wcu <= api else 'NOT met'};"
          f" summary <= 0.5 RCU: {'met' if summary.rcu <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
