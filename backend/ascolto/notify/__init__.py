"""Notifications in chat and signed webhooks: the digest in short, and urgent alerts (docs/notifications.md).

The port is a channel URL: `parse_channels` turns `ASCOLTO_NOTIFY` into channels, `render` turns a
`Notice` into each channel's request, `post` sends it, and `notify_due` (hourly job and cron)
sends what is due exactly once per channel.
"""
