"""Notifications in chat and signed webhooks: the digest in short, and urgent alerts (docs/notifications.md).

The port is `Notifier` (base.py): `open_notifiers(ASCOLTO_NOTIFY)` gives one per channel URL
(channels.py), each rendering a `Notice` (notice.py) for its channel (formats.py) and posting it
with retries (deliver.py). `notify_due` (dispatch.py; the hourly job and cron call it) sends
what is due exactly once per channel (ledger.py); alerts.py finds the alerts.
"""
