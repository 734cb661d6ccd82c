"""Anti-stuffing: a daily-salted visitor key, per-key caps, a token bucket and quarantine.

Layers, each configurable per site (Site.vote_cap, rate_burst, rate_per_hour, min_dwell_ms):
- the visitor key is an HMAC of (client IP, user agent, site) under a random salt that rotates
  every UTC day and is deleted after 48 hours, so keys cannot be linked across days and no raw
  IP or user agent is ever stored; the network key is the same without the user agent;
- a token bucket per network key across the site: beyond it the API answers 429 with Retry-After;
- a cap of votes per visitor key per article per day (vote_cap, default 8: a few readers behind
  one office NAT with the same browser), and NETWORK_FACTOR times that per network key, so a
  script that rotates its user agent is still capped;
- the widget's honeypot field and the time since the widget rendered.
A vote that fails a check is stored in quarantine: excluded from averages, counted in the
digest, releasable by the owner. The visitor gets the normal answer either way.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime
from typing import Any

from ascolto.errors import TooManyRequests
from ascolto.ratings import Site, local_day, normalize_article
from ascolto.stores.base import Store

HONEYPOT = "honeypot"
TOO_FAST = "too_fast"
NO_DWELL = "no_dwell"
OVER_CAP = "over_cap"
NETWORK_FACTOR = 4
# Feedback is rarer than votes and costs the owner reading time: a tighter bucket per network.
FEEDBACK_BURST = 5
FEEDBACK_PER_HOUR = 20
REASONS = {
    HONEYPOT: "the hidden honeypot field was filled in",
    TOO_FAST: "the vote came sooner after the widget appeared than a reader could click",
    NO_DWELL: "the request did not come from the widget (no time since render)",
    OVER_CAP: "more votes on this article today from one network and browser than the site's cap",
}


def visitor_key(salt: str, ip: str, user_agent: str, site_id: str) -> str:
    """Return the keyed hash that stands for one visitor on one site for one day."""
    message = "\n".join((ip, user_agent, site_id)).encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


def _take(store: Store, bucket: str, now: datetime, burst: int, per_hour: int, what: str) -> None:
    """Take a token from a bucket, or raise TooManyRequests with the wait."""
    wait = store.take_token(bucket, now, burst, per_hour)
    if wait > 0:
        raise TooManyRequests(f"Too many {what} from this network; try again later.",
                              retry_after=math.ceil(wait))


def limit_feedback(store: Store, site: Site, ip: str, now: datetime) -> None:
    """Rate-limit feedback per network key (FEEDBACK_BURST, then FEEDBACK_PER_HOUR)."""
    network = visitor_key(store.salt(now.date().isoformat(), now), ip, "", site.id)
    _take(store, f"feedback\n{site.id}\n{network}", now, FEEDBACK_BURST, FEEDBACK_PER_HOUR, "messages")


def screen_vote(store: Store, site: Site, data: dict[str, Any], ip: str, user_agent: str,
                now: datetime) -> str:
    """Return why a vote goes to quarantine ('' if it counts); raise TooManyRequests past the limit."""
    salt = store.salt(now.date().isoformat(), now)
    network = visitor_key(salt, ip, "", site.id)
    visitor = visitor_key(salt, ip, user_agent, site.id)
    _take(store, f"{site.id}\n{network}", now, site.rate_burst, site.rate_per_hour, "votes")
    article = normalize_article(data["article"])
    on_network, on_visitor = store.count_visitor_vote(site.id, article, network, visitor,
                                                      local_day(now, site), now)
    if data.get("hp"):
        return HONEYPOT
    dwell = data.get("dwell_ms")
    if dwell is None:
        return NO_DWELL
    if dwell < site.min_dwell_ms:
        return TOO_FAST
    if on_visitor > site.vote_cap or on_network > site.vote_cap * NETWORK_FACTOR:
        return OVER_CAP
    return ""
