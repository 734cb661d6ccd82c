"""Channel URLs: parse `ASCOLTO_NOTIFY` (or a site's `notify`) into channels, one URL each.

Forms (the part after `+` is the endpoint itself, so a test can point any of them at 127.0.0.1):

    slack+https://hooks.slack.com/services/T000/B000/XXXX
    discord+https://discord.com/api/webhooks/ID/TOKEN
    telegram://BOT_TOKEN@CHAT_ID[?api=https://api.telegram.org]
    ntfy+https://ntfy.sh/TOPIC[?token=tk_...]
    webhook+https://HOST/PATH?secret=whsec_BASE64

Options on any of them (taken off before sending): `text=1` (include raw reader text),
`digest=0` (alerts only), `alerts=burst,drop,low` and the thresholds of `AlertRules`.
Plain http is refused except to a loopback host, since these URLs carry secrets.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ascolto.errors import ConfigError
from ascolto.notify.alerts import KINDS, AlertRules

SETTING = "ASCOLTO_NOTIFY"
FORMS = ("slack+https://hooks.slack.com/services/…, discord+https://discord.com/api/webhooks/…, "
         "telegram://BOT_TOKEN@CHAT_ID, ntfy+https://ntfy.sh/TOPIC or webhook+https://HOST/PATH?secret=whsec_…")
TELEGRAM_API = "https://api.telegram.org"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
RULE_FIELDS = {f.name: f.type for f in fields(AlertRules) if f.name != "kinds"}
OPTIONS = {"text", "digest", "alerts", "secret", "token", "api", *RULE_FIELDS}


@dataclass(frozen=True)
class Channel:
    """One place notices go, parsed from its URL (which holds secrets: never log `url` or `target`)."""

    kind: str  # slack | discord | telegram | ntfy | webhook
    url: str
    target: str  # the endpoint a request is sent to
    text: bool = False
    digest: bool = True
    rules: AlertRules = AlertRules()
    secret: bytes = b""  # webhook: the key behind whsec_
    token: str = ""  # ntfy: access token
    chat: str = ""  # telegram: chat id

    @property
    def id(self) -> str:
        """Return a short stable id: a hash of the URL, never the URL, which holds secrets."""
        return channel_id(self.url)

    @property
    def label(self) -> str:
        """Return a name safe to print: the kind, the host and the id."""
        return f"{self.kind} {urlsplit(self.target).hostname or ''} #{self.id}"


def channel_id(url: str) -> str:
    """Return the id of a channel URL: 12 hex digits of its SHA-256."""
    return hashlib.sha256(url.strip().encode()).hexdigest()[:12]


# Between URLs: blanks, or a comma that comes before the next URL's scheme. A comma inside a URL
# (`?alerts=burst,low`) is followed by no scheme, so it stays in its URL.
BETWEEN_URLS = re.compile(r"\s+|,(?=\s*[A-Za-z][A-Za-z0-9+.-]*://)")


def split_urls(raw: str | tuple[str, ...] | list[str]) -> list[str]:
    """Return the URLs of a comma- or whitespace-separated list (or of a sequence of them)."""
    text = raw if isinstance(raw, str) else " ".join(raw)
    return [u.strip(",") for u in BETWEEN_URLS.split(text) if u.strip(",")]


def _bad(setting: str, url: str, why: str) -> ConfigError:
    # Only the scheme is echoed: the rest of the URL is a secret.
    scheme = url.split("://", 1)[0][:20] if "://" in url else "?"
    return ConfigError(setting, f"{why} in a {scheme}:// URL; expected {FORMS}")


def _query(query: str) -> dict[str, str]:
    # No parse_qs: it turns '+' into a space, and base64 secrets hold '+'.
    pairs = (p.partition("=") for p in query.split("&") if p)
    return {unquote(k): unquote(v) for k, _, v in pairs}


def _endpoint(setting: str, url: str, address: str, rest: dict[str, str]) -> str:
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _bad(setting, url, "not an http(s) endpoint")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise _bad(setting, url, "plain http only to a loopback host")
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in rest.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _rules(setting: str, url: str, options: dict[str, str]) -> AlertRules:
    kinds = frozenset(k for k in options.get("alerts", "").split(",") if k)
    if kinds - set(KINDS):
        raise _bad(setting, url, f"alerts must be among {','.join(KINDS)}")
    values: dict[str, object] = {"kinds": kinds}
    for name, kind in RULE_FIELDS.items():
        if name in options:
            try:
                number = float(options[name]) if kind == "float" else int(options[name])
            except ValueError:
                raise _bad(setting, url, f"{name} must be a number") from None
            if number <= 0:
                raise _bad(setting, url, f"{name} must be above 0")
            values[name] = number
    return AlertRules(**values)  # type: ignore[arg-type]


def _secret(setting: str, url: str, value: str) -> bytes:
    if not value.startswith("whsec_"):
        raise _bad(setting, url, "secret must be whsec_ followed by base64")
    try:
        key = base64.b64decode(value[len("whsec_"):], validate=True)
    except (binascii.Error, ValueError):
        raise _bad(setting, url, "secret must be whsec_ followed by base64") from None
    if not 24 <= len(key) <= 64:
        raise _bad(setting, url, "secret must decode to 24-64 bytes")
    return key


def parse_channel(url: str, setting: str = SETTING) -> Channel:
    """Return the channel a URL names; ConfigError naming the setting and the forms if it is not one."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise _bad(setting, url, "no scheme")
    address, _, query = rest.partition("?")
    options = _query(query)
    ours = {k: v for k, v in options.items() if k in OPTIONS}
    others = {k: v for k, v in options.items() if k not in OPTIONS}
    common: dict[str, Any] = dict(url=url, text=ours.get("text", "0") in ("1", "true", "yes", "on"),
                  digest=ours.get("digest", "1") not in ("0", "false", "no", "off"), rules=_rules(setting, url, ours))
    kind, _, transport = scheme.partition("+")
    if kind == "telegram" and not transport:
        token, at, chat = address.partition("@")
        if not at or not re.fullmatch(r"\d+:[\w-]+", token) or not re.fullmatch(r"-?\d+|@\w+", chat.rstrip("/")):
            raise _bad(setting, url, "not BOT_TOKEN@CHAT_ID")
        api = _endpoint(setting, url, ours.get("api", TELEGRAM_API), {}).rstrip("/")
        return Channel("telegram", target=f"{api}/bot{token}/sendMessage", chat=chat.rstrip("/"), **common)
    if kind not in ("slack", "discord", "ntfy", "webhook") or transport not in ("http", "https"):
        raise _bad(setting, url, "unknown channel")
    target = _endpoint(setting, url, f"{transport}://{address}", others)
    if kind == "ntfy" and not urlsplit(target).path.strip("/"):
        raise _bad(setting, url, "no ntfy topic")
    if kind == "webhook":
        return Channel("webhook", target=target, secret=_secret(setting, url, ours.get("secret", "")), **common)
    token = ours.get("token", "")
    if token and not re.fullmatch(r"[\w.~+/=-]+", token):
        raise _bad(setting, url, "token must be one word")
    return Channel(kind, target=target, token=token, **common)


def parse_channels(raw: str | tuple[str, ...] | list[str], setting: str = SETTING) -> list[Channel]:
    """Return the channels of a list of URLs, without duplicates, in the order given."""
    seen: dict[str, Channel] = {}
    for url in split_urls(raw):
        channel = parse_channel(url, setting)
        seen.setdefault(channel.id, channel)
    return list(seen.values())
