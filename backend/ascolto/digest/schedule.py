"""Which digests are due, and sending one exactly once: the entry point of both schedulers.

Rules:
- Sites are grouped by owner_email (case-insensitive). An owner's *first site* is the one
  created first (ties: by id); its time zone, digest hour and language are the owner's.
- The owner's digest for local day D (in the first site's zone) is due from the digest hour
  on D+1, and once every site's own day D has ended (a site in a zone west of the first one
  delays it). Each site contributes its own local calendar day D, midnight to midnight.
- Every hourly run until the end of D+1 tries again, so a run that failed, or a missed hour,
  is made up; the claim key f"{owner}/{D}" makes sure only one email goes out.
- Sites with digest_enabled off are left out; an owner with none left gets nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ascolto import claims, followup
from ascolto.digest.collect import collect_site, day_window
from ascolto.digest.render import RenderedDigest, compose, render
from ascolto.digest.report import LIMITS, Limits, Report, build_report, shown_items
from ascolto.digest.report_types import FollowUp
from ascolto.errors import InvalidInput
from ascolto.mail.base import Mailer
from ascolto.notify.ledger import FAILURE_KIND
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.base import Store

log = logging.getLogger("ascolto.digest")


@dataclass(frozen=True)
class Owner:
    """An owner and their sites, first site first."""

    email: str
    sites: list[Site]

    @property
    def first(self) -> Site:
        """Return the site whose zone, hour and language the owner's digest uses."""
        return self.sites[0]

    def key(self, day: date) -> str:
        """Return the exactly-once key of the owner's digest of a day."""
        return f"{self.email}/{day.isoformat()}"


@dataclass
class RunResult:
    """What a run did, by claim key."""

    sent: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Return plain data for logs and the Lambda result."""
        return {"sent": self.sent, "empty": self.empty, "skipped": self.skipped, "failed": self.failed}


def owners(sites: Sequence[Site], site_id: str | None = None) -> list[Owner]:
    """Group the sites with the digest on by owner; with site_id, only that site's owner and site."""
    grouped: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        if site.digest_enabled and (site_id is None or site.id == site_id):
            grouped[site.owner_email.strip().lower()].append(site)
    return [Owner(email, sorted(group, key=lambda s: (s.created_at or "~", s.id)))
            for email, group in sorted(grouped.items())]


def due_day(owner: Owner, now: datetime) -> date | None:
    """Return the day whose digest is due for the owner at `now`, or None before the hour."""
    local = now.astimezone(owner.first.zone)
    if local.hour < owner.first.digest_hour:
        return None
    day = local.date() - timedelta(days=1)
    if any(day_window(site.zone, day)[1] > now for site in owner.sites):
        return None
    return day


def ended(owner: Owner, day: date, now: datetime) -> bool:
    """Tell whether every site's local day has ended at `now` (only an ended day may be sent)."""
    return all(day_window(site.zone, day)[1] <= now for site in owner.sites)


def follow_up_state(store: Store, owner: Owner, day: date) -> FollowUp:
    """Read the owner's follow-up state: open comments, dealt-with ids, snoozes and the link version."""
    records: Any = store
    snoozed = {(site.id, article) for site in owner.sites for article in followup.snoozed(records, site.id, day)}
    dealt = frozenset(i for site in owner.sites for i in followup.dealt_with(records, owner.email, site.id))
    return FollowUp(open=tuple(followup.open_items(records, owner.email)), dealt=dealt,
                    snoozed=frozenset(snoozed), link_version=followup.link_version(records, owner.email),
                    failed_channels=failed_channels(store, owner, day))


def failed_channels(store: Store, owner: Owner, day: date) -> tuple[str, ...]:
    """Return the chat and webhook channels given up on the digest's day or the day before, as safe labels."""
    since = (day - timedelta(days=1)).isoformat()
    found = store.records(FAILURE_KIND, prefix=owner.email + "/")
    return tuple(dict.fromkeys(str(data.get("channel", "")) for _, data in found
                               if str(data.get("day", "")) >= since and data.get("channel")))


def prepare(store: Store, owner: Owner, day: date, settings: Settings, now: datetime,
            limits: Limits = LIMITS) -> tuple[Report, RenderedDigest]:
    """Collect, build and render an owner's digest of a day (no claim, no sending)."""
    days = [collect_site(store, site, day, now) for site in owner.sites]
    report = build_report(days, owner_email=owner.email, language=owner.first.language, day=day, limits=limits,
                          follow=follow_up_state(store, owner, day), today=now.astimezone(owner.first.zone).date())
    return report, render(report, settings)


def send_once(store: Store, mailer: Mailer, settings: Settings, owner: Owner, day: date, now: datetime,
              result: RunResult) -> None:
    """Claim, build, send and complete one digest; release the claim if anything fails."""
    key = owner.key(day)
    if not ended(owner, day, now):
        raise InvalidInput("A digest can be sent only for a day that has ended; preview it instead.",
                           {"date": [f"{day.isoformat()} has not ended yet."]})
    if not claims.claim(store, key, now):
        result.skipped.append(key)
        return
    try:
        report, rendered = prepare(store, owner, day, settings, now)
        send = not report.empty or any(s.digest_send_empty for s in owner.sites)
        if send:
            mailer.send(compose(report, rendered, settings, now))
    except Exception as exc:
        claims.release(store, key)
        log.warning("digest %s failed, released for the next run: %s", key, exc)
        result.failed[key] = f"{type(exc).__name__}: {exc}"
        return
    claims.complete(store, key, now)
    if send:
        # What the email showed becomes the owner's open list (tomorrow's "still open"). After the
        # claim is complete: a failure here must not release the claim and send the email twice.
        try:
            followup.note_shown(store, owner.email, shown_items(report), now)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 (logged; the email went out)
            log.warning("digest %s sent, but its comments were not opened: %s", key, exc)
    (result.sent if send else result.empty).append(key)
    log.info("digest %s %s", key, "sent" if send else "empty: nothing sent")


def run_due(store: Store, mailer: Mailer, settings: Settings, now: datetime) -> RunResult:
    """Send every digest due at `now`, each exactly once; used by the hourly event and `ascolto digest`."""
    result = RunResult()
    for owner in owners(store.list_sites()):
        day = due_day(owner, now)
        if day is not None:
            send_once(store, mailer, settings, owner, day, now, result)
    return result
