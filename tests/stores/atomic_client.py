"""A boto3 client wrapper that applies one request at a time, as DynamoDB does and moto does not."""

from __future__ import annotations

import threading
from typing import Any


class AtomicClient:
    """Serialise requests to a moto client.

    DynamoDB applies each request atomically: a conditional write is checked and written as one
    step. moto's in-memory backend checks and writes in separate Python steps, so two threads can
    both pass the same condition. Tests of concurrency use this wrapper to get DynamoDB's rule.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, operation: str) -> Any:
        method = getattr(self._client, operation)
        if not callable(method):
            return method

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)

        return call
