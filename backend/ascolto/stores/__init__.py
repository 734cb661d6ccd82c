"""Stores: the port (base.py), its adapters (sqlite, dynamodb) and `open_store`, which picks one by URL.

The adapters import the port; only `open_store` imports the adapters, and only when called.
"""

from __future__ import annotations

from ascolto.errors import ConfigError
from ascolto.stores.base import Store


def open_store(url: str) -> Store:
    """Build the store adapter a URL names."""
    if url.startswith("sqlite:///"):
        import sqlite3

        from ascolto.stores.sqlite import SqliteStore

        try:
            return SqliteStore.from_url(url)
        except (OSError, sqlite3.Error) as exc:  # a folder that cannot be made, a file that cannot be opened
            raise ConfigError("ASCOLTO_STORE", f"cannot open {url!r} ({exc}): use sqlite:///path/to/file.db "
                                               "in a writable folder") from exc
    if url.startswith("dynamodb://"):
        from ascolto.stores.dynamodb import DynamoDBStore

        return DynamoDBStore.from_url(url)
    raise ConfigError("ASCOLTO_STORE", f"unknown store URL {url!r}: use sqlite:///path/to/file.db "
                                       "or dynamodb://TABLE?region=eu-west-1")
