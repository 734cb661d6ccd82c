"""The Notifier port, and its one adapter: every channel kind is a URL, a formatter and an HTTP POST."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ascolto.notify.channels import SETTING, Channel, parse_channels
from ascolto.notify.deliver import Delivery, post
from ascolto.notify.formats import render
from ascolto.notify.notice import Notice

Post = Callable[..., Delivery]


class Notifier(Protocol):
    """A place notices go. `channel` says what it wants (digest, alerts, reader text) and names it."""

    @property
    def channel(self) -> Channel:
        """Return the channel this notifier sends to."""
        ...

    def send(self, notice: Notice, now: datetime) -> Delivery:
        """Deliver a notice, retrying as the channel's server asks; never raise for a failed delivery."""
        ...


@dataclass(frozen=True)
class HttpNotifier:
    """Slack, Discord, Telegram, ntfy or a signed webhook: render the notice for the channel, then POST it."""

    channel: Channel
    post: Post = post

    def send(self, notice: Notice, now: datetime) -> Delivery:
        """Render and send; a formatter's bug becomes a failed delivery, so other channels still get theirs."""
        try:
            request = render(notice, self.channel, now)
        except Exception as exc:
            return Delivery(False, 0, error=f"{type(exc).__name__}: {exc}")
        return self.post(request, now=now)


def open_notifiers(urls: str | tuple[str, ...] | list[str], setting: str = SETTING,
                   send: Post = post) -> list[Notifier]:
    """Return a notifier per channel URL (ConfigError naming the setting for a bad one)."""
    return [HttpNotifier(channel, send) for channel in parse_channels(urls, setting)]
