"""Anti-stuffing: coarse keyed network and visitor keys, a token bucket, per-key caps and quarantine.

Layers, each configurable per site (Site.vote_cap, rate_burst, rate_per_hour, min_dwell_ms):
- the *network* is the client's IPv4 address, or its IPv6 /64 (one household or one attacker
  holding a /64 is one network); the *network key* is an HMAC of (network, site) under a
  salt derived from ASCOLTO_SECRET and the UTC day, cut to KEY_BITS bits, so that each key
  stands for about 2**32 / 2**KEY_BITS = 4,096 IPv4 addresses: even someone holding the
  database and the secret cannot narrow a key down to fewer. The *visitor key* is the same
  under the user agent, derived from the network key (never from the address), so it tells
  no more about the address than the network key does;
- a token bucket per network key across the site: beyond it the API answers 429 with Retry-After;
- a cap of votes per visitor key per article per day (vote_cap, default 8), NETWORK_FACTOR
  times that per network key, and at most MAX_ARTICLES articles per network key a day;
- the widget's honeypot field and the time since the widget rendered.
A vote that fails a check is stored in quarantine: excluded from averages, counted in the
digest, releasable by the owner. The visitor gets the normal answer either way.

The state of one network key on one site and UTC day (its buckets and counts) is one small
record, written once per vote. It holds no timestamp finer than a WINDOW, so it cannot be
joined to the moment of a vote.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from ascolto.errors import Conflict, TooManyRequests
from ascolto.ratings import Site, normalize_article
from ascolto.stores.base import Store

HONEYPOT = "honeypot"
TOO_FAST = "too_fast"
NO_DWELL = "no_dwell"
OVER_CAP = "over_cap"
NETWORK_FACTOR = 4
KEY_BITS = 20
WINDOW = 600  # seconds: buckets refill, and record their time, in 10-minute steps
MAX_ARTICLES = 64  # distinct articles one network key may vote on in a day before it is held back
MAX_VISITORS = 32  # distinct visitor keys counted per article and network key
# Feedback is rarer than votes and costs the owner reading time: a tighter bucket per network.
FEEDBACK_BURST = 5
FEEDBACK_PER_HOUR = 20
ATTEMPTS = 8
REASONS = {
    HONEYPOT: "the hidden honeypot field was filled in",
    TOO_FAST: "the vote came sooner after the widget appeared than a reader could click",
    NO_DWELL: "the request did not come from the widget (no time since render)",
    OVER_CAP: "more votes on this article today from one network and browser than the site's cap",
}


def network_of(ip: str) -> str:
    """Return the network an address belongs to: the IPv4 address itself, or an IPv6 /64."""
    if ":" not in ip:
        return ip  # IPv4: the client address comes canonical from ascolto.api.client_ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


@lru_cache(maxsize=8)
def day_salt(secret: str, day: str) -> bytes:
    """Return the salt of a UTC day, derived from the secret (stored nowhere; computed once a day per process)."""
    return hmac.digest(secret.encode(), f"ascolto visitor salt\n{day}".encode(), "sha256")


def network_key(salt: bytes, ip: str, site_id: str) -> str:
    """Return the coarse key of a client's network on a site for a day (KEY_BITS bits, in hex)."""
    digest = hmac.digest(salt, f"{network_of(ip)}\n{site_id}".encode(), "sha256")
    value = int.from_bytes(digest[:4], "big") >> (32 - KEY_BITS)
    return f"{value:0{math.ceil(KEY_BITS / 4)}x}"


def visitor_key(salt: bytes, network: str, user_agent: str) -> str:
    """Return the key of one browser within a network key (derived from the key, not the address)."""
    return hmac.digest(salt, f"{network}\n{user_agent}".encode(), "sha256").hex()[:8]


def article_tag(article: str) -> str:
    """Return a short tag of an article id, to keep the network record small."""
    return hashlib.sha256(article.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Bucket:
    """A token bucket as of the start of a WINDOW."""

    window: int
    tokens: float


def take_token(bucket: Bucket | None, now: datetime, burst: int, per_hour: int) -> tuple[Bucket, float]:
    """Take one token; return the bucket after and 0, or the bucket unchanged and the seconds to wait.

    A new bucket holds `burst` tokens; each WINDOW adds per_hour * WINDOW / 3600, up to `burst`.
    """
    window = int(now.timestamp()) // WINDOW
    refill = per_hour * WINDOW / 3600
    tokens = float(burst) if bucket is None else min(float(burst), bucket.tokens + (window - bucket.window) * refill)
    if tokens >= 1.0:
        return Bucket(window, tokens - 1.0), 0.0
    windows = math.ceil((1.0 - tokens) / refill)
    return Bucket(window, tokens), (window + windows) * WINDOW - now.timestamp()


def _bucket(raw: Any) -> Bucket | None:
    return Bucket(int(raw[0]), float(raw[1])) if raw else None


@dataclass(frozen=True)
class Keys:
    """The coarse keys of one request."""

    day: str
    network: str
    visitor: str

    @classmethod
    def of(cls, secret: str, ip: str, user_agent: str, site_id: str, now: datetime) -> Keys:
        """Derive the keys of a client on a site at a moment."""
        day = now.astimezone(UTC).date().isoformat()
        salt = day_salt(secret, day)
        network = network_key(salt, ip, site_id)
        return cls(day, network, visitor_key(salt, network, user_agent))


@dataclass(frozen=True)
class NetworkWrite:
    """The network record as a decision left it: written only if its version is still `version`."""

    kind: str
    key: str
    state: dict[str, Any]
    version: int
    expires: datetime

    def apply(self, store: Store) -> None:
        """Write the record, conditional on the version read (Conflict if another request wrote first)."""
        store.put_record(self.kind, self.key, self.state, expires=self.expires, expected_version=self.version)


def network_kind(site_id: str) -> str:
    """Return the record kind of a site's per-network counters (one record per network and UTC day)."""
    return f"net#{site_id}"


def _plan(store: Store, site: Site, keys: Keys, change: Any) -> tuple[NetworkWrite, Any]:
    """Read the network record and let `change` decide its new state (nothing is written yet)."""
    kind, key = network_kind(site.id), f"{keys.day}#{keys.network}"
    expires = datetime.fromisoformat(keys.day).replace(tzinfo=UTC) + timedelta(days=2)
    state, version = store.get_versioned(kind, key)
    new_state, result = change(dict(state or {}))
    return NetworkWrite(kind, key, new_state, version, expires), result


def _update(store: Store, site: Site, keys: Keys, change: Any) -> Any:
    """Decide and write the network record, deciding again when another request wrote first."""
    for _ in range(ATTEMPTS):
        write, result = _plan(store, site, keys, change)
        try:
            write.apply(store)
        except Conflict:
            continue
        return result
    raise Conflict("Too many requests at once; try again.")


def _rate_limited(wait: float, what: str) -> TooManyRequests:
    return TooManyRequests(f"Too many {what} from this network; try again later.", retry_after=math.ceil(wait))


def _count_vote(site: Site, keys: Keys, tag: str, now: datetime) -> Any:
    """Return the change a vote makes to its network record: a token taken, the article's counts moved.

    The change returns the new state and whether the vote is over a cap; it raises
    TooManyRequests past the rate limit.
    """
    def change(state: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        bucket, wait = take_token(_bucket(state.get("v")), now, site.rate_burst, site.rate_per_hour)
        if wait > 0:
            raise _rate_limited(wait, "votes")
        state["v"] = [bucket.window, bucket.tokens]
        articles: dict[str, Any] = state.setdefault("a", {})
        entry = articles.get(tag)
        if entry is None and len(articles) >= MAX_ARTICLES:
            return state, True
        entry = articles.setdefault(tag, {"n": 0, "v": {}})
        entry["n"] += 1
        if keys.visitor in entry["v"] or len(entry["v"]) < MAX_VISITORS:
            entry["v"][keys.visitor] = entry["v"].get(keys.visitor, 0) + 1
            on_visitor = entry["v"][keys.visitor]
        else:
            on_visitor = site.vote_cap + 1
        return state, on_visitor > site.vote_cap or entry["n"] > site.vote_cap * NETWORK_FACTOR

    return change


def plan_screening(store: Store, site: Site, data: dict[str, Any], keys: Keys, now: datetime) -> tuple[NetworkWrite,
                                                                                                       str]:
    """Decide a vote's screening: the network record to write and why the vote is held ('' if it counts).

    Raise TooManyRequests past the rate limit. Nothing is written: the caller applies the
    NetworkWrite with the vote, and decides again on Conflict.
    """
    change = _count_vote(site, keys, article_tag(normalize_article(data["article"])), now)
    write, over_cap = _plan(store, site, keys, change)
    return write, _reason(site, data, over_cap)


def _reason(site: Site, data: dict[str, Any], over_cap: bool) -> str:
    if data.get("hp"):
        return HONEYPOT
    dwell = data.get("dwell_ms")
    if dwell is None:
        return NO_DWELL
    if dwell < site.min_dwell_ms:
        return TOO_FAST
    return OVER_CAP if over_cap else ""


def limit_feedback(store: Store, site: Site, ip: str, now: datetime, secret: str) -> None:
    """Rate-limit feedback per network key (FEEDBACK_BURST, then FEEDBACK_PER_HOUR)."""
    keys = Keys.of(secret, ip, "", site.id, now)

    def change(state: dict[str, Any]) -> tuple[dict[str, Any], None]:
        bucket, wait = take_token(_bucket(state.get("f")), now, FEEDBACK_BURST, FEEDBACK_PER_HOUR)
        if wait > 0:
            raise _rate_limited(wait, "messages")
        state["f"] = [bucket.window, bucket.tokens]
        return state, None

    _update(store, site, keys, change)
