"""Zappa's scheduled entry point: `hourly(event, context)` sends the digests due this hour.

zappa_settings.json points an hourly event at `ascolto.events.hourly`. Importing this module
is cheap: the store, the mailer and boto3 are only loaded inside the call.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("ascolto.events")


def hourly(event: dict[str, Any] | None = None, context: Any = None) -> dict[str, Any]:
    """Send every digest due now, each exactly once, and purge old feedback; return what was done."""
    from datetime import timedelta

    from ascolto.digest.schedule import run_due
    from ascolto.mail.base import open_mailer
    from ascolto.ratings import utcnow
    from ascolto.settings import Settings
    from ascolto.stores.base import open_store

    settings = Settings.from_env().with_secret()
    store = open_store(settings.store_url)
    now = utcnow()
    try:
        result = run_due(store, open_mailer(settings.mailer_url), settings, now).as_dict()
        result["purged"] = store.purge_feedback(now - timedelta(days=settings.feedback_retention_days))
    finally:
        store.close()
    log.info("hourly digest run: %s", result)
    return result
