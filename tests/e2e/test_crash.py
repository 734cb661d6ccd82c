"""A process killed between a vote's writes (os._exit, no cleanup) leaves an aggregate reconcile repairs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from typing import Any

from ascolto.ratings import local_day
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.voting import reconcile, record_vote
from tests.conftest import make_site
from tests.e2e.conftest import CREDENTIALS, TABLE
from tests.stores.contract import T0, vote

VOTER = textwrap.dedent("""
    import os, sys
    from datetime import datetime
    import boto3
    from ascolto.ratings import Vote
    from ascolto.stores.dynamodb import DynamoDBStore
    from ascolto.voting import record_vote

    endpoint, rating, at = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
    client = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=endpoint)

    class DiesBeforeTheAggregate:
        def __getattr__(self, name):
            def call(**params):
                if name == "update_item" and params["Key"]["pk"]["S"].endswith("#AGG"):
                    os._exit(9)  # killed: no exception handler, no finally, nothing flushed
                return getattr(client, name)(**params)
            return call

    store = DynamoDBStore(sys.argv[5], client=DiesBeforeTheAggregate())
    record_vote(store, Vote(site="blog", article="/a", voter="voter-0001", rating=rating, at=at,
                           day=sys.argv[4], request_id="killed-request-1"))
""")


def test_killed_between_writes_then_reconciled(moto_url: str, aws: dict[str, Any]) -> None:
    # given an article with one counted vote by voter-0001
    site = make_site()
    store = DynamoDBStore(TABLE, client=aws["dynamodb"])
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    record_vote(store, vote(site, "/a", "voter-0002", 3))
    # when a process changing voter-0001's vote to 1 is killed after the vote write
    at = T0 + timedelta(minutes=1)
    done = subprocess.run([sys.executable, "-c", VOTER, moto_url, "1", at.isoformat(), local_day(at, site), TABLE],
                          env={**CREDENTIALS, "PATH": ""}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    assert store.summary(site.id, "/a").total == 8  # the aggregate still counts the old 5
    # then the reconcile before the digest makes it exact, once
    assert reconcile(store, site, local_day(at, site), at + timedelta(hours=1)) == 1
    summary = store.summary(site.id, "/a")
    assert (summary.count, summary.total, summary.histogram) == (2, 4, (1, 0, 1, 0, 0))
    assert reconcile(store, site, local_day(at, site), at + timedelta(hours=2)) == 0
    # and the digest sees the change exactly once
    changes = [e for e in store.events(site, T0, T0 + timedelta(hours=1)) if e.kind == "change"]
    assert [(e.previous_rating, e.rating) for e in changes] == [(5, 1)]
