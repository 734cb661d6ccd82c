"""Send notices exactly once per channel, from the hourly job and from cron: `notify_due(store, settings, now)`.

Rules:
- Each channel is claimed on its own (`<notice key>/notify/<channel id>`), so a failing channel
  neither blocks the others nor makes them repeat. A failed send releases its claim (the next
  hourly run retries it) and sets a lasting `.../failed` marker.
- The digest notice of day D uses the email's key (`<owner>/<D>`) and is retried by every run
  that sends D's email, i.e. through day D+1. The first run of D+1's digest closes D: a channel
  that was never delivered but has the marker failed through a whole day. It is given up,
  recorded (`notify-failure`) for the email digest to show, and listed in `failures`.
- An alert's key holds its kind, site, article and cool-down period, so each channel gets it
  once per period however many runs still see it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

from ascolto.digest.collect import collect_site
from ascolto.digest.comments import clean_title, safe_link
from ascolto.digest.links import settings_url
from ascolto.digest.report import build_report
from ascolto.digest.schedule import Owner, due_day, follow_up_state, owners
from ascolto.errors import ConfigError
from ascolto.notify import ledger
from ascolto.notify.alerts import detect
from ascolto.notify.base import Notifier, Post, open_notifiers
from ascolto.notify.channels import Channel
from ascolto.notify.deliver import Delivery, post
from ascolto.notify.notice import Notice, notice_from_alert, notice_from_report
from ascolto.ratings import Site, Summary
from ascolto.settings import Settings
from ascolto.stores.base import MAX_BATCH, Store

log = logging.getLogger("ascolto.notify")
LOOKBACK = timedelta(hours=2)  # alerts look this far back: an hourly run, a missed one, and overlap


@dataclass
class DispatchResult:
    """What a run did, by channel claim key (keys hold owner emails and channel ids, never channel URLs)."""

    sent: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # retried by the next run
    failures: list[dict[str, str]] = field(default_factory=list)  # given up after failing a whole day

    def as_dict(self) -> dict[str, object]:
        """Return plain data for logs and the Lambda result."""
        return {"sent": self.sent, "empty": self.empty, "skipped": self.skipped, "failed": self.failed,
                "failures": self.failures}


def channel_key(key: str, channel: Channel) -> str:
    """Return a channel's claim key for a notice."""
    return f"{key}/notify/{channel.id}"


def send_notice(store: Store, notifiers: Sequence[Notifier], key: str, build: Callable[[], Notice], now: datetime,
                result: DispatchResult) -> None:
    """Claim each channel, build the notice once if any claim was won, send it, complete or release each."""
    claimed = []
    for notifier in notifiers:
        ckey = channel_key(key, notifier.channel)
        claimed.append(notifier) if ledger.claim(store, ckey, now) else result.skipped.append(ckey)
    if not claimed:
        return
    try:
        notice = build()
    except Exception:
        for notifier in claimed:
            ledger.release(store, channel_key(key, notifier.channel))
        raise
    for notifier in claimed:
        channel, ckey = notifier.channel, channel_key(key, notifier.channel)
        if notice.empty:
            ledger.complete(store, ckey, now)
            result.empty.append(ckey)
            continue
        try:
            delivery = notifier.send(notice, now)
        except Exception as exc:  # one channel's bug must not cost the others their notice
            delivery = Delivery(False, 0, error=f"{type(exc).__name__}: {exc}")
        if delivery.ok:
            ledger.complete(store, ckey, now)
            result.sent.append(ckey)
            continue
        ledger.release(store, ckey)
        ledger.mark(store, f"{ckey}/failed", now)
        result.failed[ckey] = f"{channel.label}: {delivery.error}"
        log.warning("notice %s to %s failed after %d attempts: %s", key, channel.label, delivery.attempts,
                    delivery.error)


def close_day(store: Store, owner: Owner, notifiers: Sequence[Notifier], key: str, day: str, now: datetime,
              result: DispatchResult) -> None:
    """Close a past day's digest notice on each channel; give up and record the ones that failed all along."""
    for channel in (n.channel for n in notifiers):
        ckey = channel_key(key, channel)
        if not ledger.claim(store, ckey, now):
            continue  # delivered, closed already, or being sent right now
        never_tried = ledger.mark(store, f"{ckey}/failed", now)
        ledger.complete(store, ckey, now)
        if never_tried:
            continue  # e.g. a channel added since: nothing failed
        failure = {"owner": owner.email, "channel": channel.label, "channel_id": channel.id, "day": day,
                   "notice": key, "error": "failed every hourly attempt for a day; given up"}
        ledger.record_failure(store, f"{owner.email}/{day}/{channel.id}", failure, now)
        result.failures.append(failure)
        log.warning("notice %s to %s given up after a day of failures", key, channel.label)


def site_notifiers(site: Site, shared: Sequence[Notifier], send: Post = post) -> list[Notifier]:
    """Return the shared notifiers plus the site's own, one per channel."""
    own = open_notifiers(tuple(site.notify), f"site {site.id} notify", send) if site.notify else []
    return unique([*shared, *own])


def unique(notifiers: Sequence[Notifier]) -> list[Notifier]:
    """Return the notifiers with one per channel id, first kept."""
    return list({n.channel.id: n for n in reversed(notifiers)}.values())[::-1]


def notify_digest(store: Store, settings: Settings, owner: Owner, notifiers: Sequence[Notifier], now: datetime,
                  result: DispatchResult) -> None:
    """Send the owner's due digest notice to each digest channel, and close the day before."""
    day = due_day(owner, now)
    notifiers = [n for n in notifiers if n.channel.digest]
    if day is None or not notifiers:
        return
    previous = day - timedelta(days=1)
    close_day(store, owner, notifiers, owner.key(previous), previous.isoformat(), now, result)

    def build() -> Notice:
        days = [collect_site(store, site, day, now) for site in owner.sites]
        report = build_report(days, owner_email=owner.email, language=owner.first.language, day=day,
                              follow=follow_up_state(store, owner, day), today=now.astimezone(owner.first.zone).date())
        return notice_from_report(report, owner.key(day), settings_url(settings.public_url, settings.secret,
                                                                       owner.email, report.link_version))

    send_notice(store, notifiers, owner.key(day), build, now, result)


def _summaries(store: Store, site: Site, articles: set[str]) -> dict[str, Summary]:
    names, out = sorted(articles), {}
    for start in range(0, len(names), MAX_BATCH):
        out.update(store.summaries(site.id, names[start:start + MAX_BATCH]))
    return out


def notify_alerts(store: Store, site: Site, notifiers: Sequence[Notifier], now: datetime,
                  result: DispatchResult) -> None:
    """Send each alert found in the site's last hours to each channel that opted in, once per cool-down."""
    notifiers = [n for n in notifiers if n.channel.rules.kinds]
    channels: list[Channel] = [n.channel for n in notifiers]
    if not notifiers:
        return
    events = store.events(site, now - LOOKBACK, now)
    if not events:
        return
    wants_drop = any("drop" in c.rules.kinds for c in channels)
    summaries = _summaries(store, site, {e.article for e in events}) if wants_drop else {}
    owner = site.owner_email.strip().lower()
    for notifier in notifiers:
        channel = notifier.channel
        for alert in detect(events, summaries, channel.rules):
            article = hashlib.sha256(alert.article.encode()).hexdigest()[:16]
            key = f"{owner}/alert/{alert.kind}/{site.id}/{article}/{channel.rules.window(alert.at)}"
            title, url = clean_title(alert.title, alert.article), safe_link(alert.url, site, alert.article)
            build = partial(notice_from_alert, alert, site, key, title, url)
            send_notice(store, [notifier], key, build, now, result)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ConfigError):
        return exc.message
    log.exception("notify run step failed (its claims are released for the next run)")
    return f"{type(exc).__name__}: {exc}"


def notify_due(store: Store, settings: Settings, now: datetime, send: Post = post) -> DispatchResult:
    """Send every notice due at `now`: digests (as their emails are due) and alerts; each once per channel."""
    shared = open_notifiers(settings.notify, send=send)
    result = DispatchResult()
    sites = store.list_sites()
    per_site: dict[str, list[Notifier]] = {}
    for site in sites:
        try:
            per_site[site.id] = site_notifiers(site, shared, send)
        except ConfigError as exc:  # a bad site list leaves that site on the shared channels
            result.failed[site.id] = exc.message
            per_site[site.id] = list(shared)
    # An owner who unsubscribed from the email still gets the channels they set up.
    for owner in owners([replace(s, digest_enabled=True) for s in sites]):
        try:
            notifiers = unique([n for site in owner.sites for n in per_site[site.id]])
            notify_digest(store, settings, owner, notifiers, now, result)
        except Exception as exc:  # one owner's failed read must not stop the others
            result.failed[owner.email] = _reason(exc)
    for site in sites:
        try:
            notify_alerts(store, site, per_site[site.id], now, result)
        except Exception as exc:
            result.failed[f"{site.id}/alerts"] = _reason(exc)
    log.info("notify run: %s", result.as_dict())
    return result
