"""Zappa's scheduled entry point: `hourly(event, context)` sends the digests due this hour.

zappa_settings.json points an hourly event at `ascolto.scheduled.hourly`. Importing this module
is cheap: the store, the mailer and boto3 are only loaded inside the call.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("ascolto.scheduled")


def hourly(event: dict[str, Any] | None = None, context: Any = None) -> dict[str, Any]:
    """Send every digest due now, each exactly once, and purge old feedback; return what was done."""
    from datetime import timedelta

    from ascolto.bootstrap import bootstrap
    from ascolto.digest.schedule import run_due
    from ascolto.errors import ConfigError
    from ascolto.notify.dispatch import notify_due

    parts = bootstrap()
    now = parts.clock()
    try:
        # Notices first: a channel given up this hour is then in the email digest that follows.
        try:
            notified: dict[str, object] = notify_due(parts.store, parts.settings, now).as_dict()
        except ConfigError as exc:  # a bad ASCOLTO_NOTIFY must not stop the digests or the purge
            log.error("notifications skipped: %s", exc.message)
            notified = {"error": exc.message}
        result = run_due(parts.store, parts.mailer, parts.settings, now).as_dict()
        result["notify"] = notified
        retention = timedelta(days=parts.settings.feedback_retention_days)
        result["purged"] = parts.store.purge_feedback(now - retention)
        result["expired_records"] = parts.store.purge_expired(now)
    finally:
        parts.close()
    log.info("hourly digest run: %s", result)
    return result
