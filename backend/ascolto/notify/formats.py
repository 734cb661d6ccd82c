"""Render a Notice as each channel's HTTP request: Slack, Discord, Telegram, ntfy and a signed webhook.

What goes where (docs/notifications.md): every channel gets the headline, the rows' titles,
reasons and article links. Reader text goes only to channels with `text=1`. The owner's
signed page goes only to the signed webhook: a chat room or an ntfy topic is not a private inbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from base64 import b64encode
from dataclasses import dataclass, replace
from datetime import datetime

from ascolto.notify.channels import Channel
from ascolto.notify.notice import Notice, NoticeRow

SLACK_TEXT = 2900  # a section's text is at most 3,000 characters
DISCORD_CONTENT, DISCORD_TITLE, DISCORD_DESCRIPTION = 2000, 256, 4000
TELEGRAM_TEXT = 4096
DISCORD_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]()<@:-])")


@dataclass(frozen=True)
class Request:
    """One HTTP POST, as it goes on the wire."""

    url: str
    headers: dict[str, str]
    body: bytes


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def for_channel(notice: Notice, channel: Channel) -> Notice:
    """Return the notice with what this channel may not get taken out."""
    rows = notice.rows if channel.text else tuple(replace(r, quote="") for r in notice.rows)
    owner_url = notice.owner_url if channel.kind == "webhook" else ""
    return replace(notice, rows=rows, owner_url=owner_url)


def plain_text(notice: Notice) -> str:
    """Return the notice as plain lines (Telegram without parse mode, ntfy, Slack's fallback)."""
    lines = [notice.headline]
    for row in notice.rows:
        lines += ["", f"• {row.title}: {row.reason}"] + ([row.url] if row.url else [])
        lines += [f"  “{row.quote}”"] if row.quote else []
    if notice.more:
        lines += ["", f"+{notice.more}"]
    return "\n".join(lines)


def slack_escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn reads as markup (so `<!channel>` stays text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_row(row: NoticeRow) -> dict[str, object]:
    title = slack_escape(row.title).replace("|", "¦")
    head = f"*<{row.url}|{title}>*" if row.url else f"*{title}*"
    text = f"{head}\n{slack_escape(row.reason)}"
    if row.quote:
        text += "\n>" + slack_escape(row.quote).replace("\n", "\n>")
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SLACK_TEXT)}}


def slack(notice: Notice, channel: Channel) -> Request:
    """Return a Slack incoming-webhook request: `text` for notifications, `blocks` for the message."""
    blocks: list[dict[str, object]] = [
        {"type": "section", "text": {"type": "plain_text", "text": _clip(notice.headline, SLACK_TEXT)}}]
    blocks += [_slack_row(r) for r in notice.rows]
    if notice.more:
        blocks.append({"type": "context", "elements": [{"type": "plain_text", "text": f"+{notice.more}"}]})
    body = {"text": slack_escape(_clip(notice.headline, SLACK_TEXT)), "blocks": blocks}
    return Request(channel.target, {"Content-Type": "application/json; charset=utf-8"}, _json(body))


def discord_escape(text: str) -> str:
    """Escape Discord markdown, so a title or comment cannot format, link or mention."""
    return DISCORD_MARKDOWN.sub(r"\\\1", text)


def discord(notice: Notice, channel: Channel) -> Request:
    """Return a Discord webhook request: the headline as content, one embed per row, no mentions."""
    embeds = []
    for row in notice.rows[:10]:
        description = discord_escape(row.reason) + (f"\n> {discord_escape(row.quote)}" if row.quote else "")
        embed: dict[str, object] = {"title": _clip(discord_escape(row.title), DISCORD_TITLE),
                                    "description": _clip(description, DISCORD_DESCRIPTION)}
        if row.url:
            embed["url"] = row.url
        embeds.append(embed)
    content = discord_escape(notice.headline) + (f" (+{notice.more})" if notice.more else "")
    body = {"content": _clip(content, DISCORD_CONTENT), "embeds": embeds, "allowed_mentions": {"parse": []}}
    return Request(channel.target, {"Content-Type": "application/json; charset=utf-8"}, _json(body))


def telegram(notice: Notice, channel: Channel) -> Request:
    """Return a Bot API sendMessage request in plain text (no parse mode, so nothing needs escaping)."""
    body = {"chat_id": channel.chat, "text": _clip(plain_text(notice), TELEGRAM_TEXT),
            "link_preview_options": {"is_disabled": True}}
    return Request(channel.target, {"Content-Type": "application/json; charset=utf-8"}, _json(body))


def header_text(text: str) -> str:
    """Return a header value: ASCII as is, anything else RFC 2047-encoded (ntfy decodes it)."""
    text = " ".join(text.split())
    return text if text.isascii() else f"=?UTF-8?B?{b64encode(text.encode()).decode()}?="


def ntfy(notice: Notice, channel: Channel) -> Request:
    """Return an ntfy publish request: the text as body, title, tags, priority and click link as headers."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "Title": header_text(_clip(notice.headline, 250)),
               "Tags": "warning" if notice.kind == "alert" else "bar_chart",
               "Priority": "4" if notice.kind == "alert" else "3"}
    if notice.rows and notice.rows[0].url:
        headers["Click"] = notice.rows[0].url
    if channel.token:
        headers["Authorization"] = f"Bearer {channel.token}"
    lines = plain_text(notice).split("\n", 1)
    return Request(channel.target, headers, (lines[1].lstrip("\n") if len(lines) > 1 else lines[0]).encode())


def sign(secret: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the Standard Webhooks signature header value: v1,<base64 HMAC-SHA256 of 'id.timestamp.body'>."""
    digest = hmac.new(secret, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + b64encode(digest).decode()


def webhook(notice: Notice, channel: Channel, now: datetime) -> Request:
    """Return a Standard Webhooks request: JSON {type, timestamp, data}, signed with the channel's secret."""
    rows = [{"title": r.title, "reason": r.reason, "url": r.url, **({"quote": r.quote} if r.quote else {})}
            for r in notice.rows]
    data = {"headline": notice.headline, "day": notice.day, "sites": list(notice.sites), "rows": rows,
            "more": notice.more, **notice.data}
    if notice.owner_url:
        data["owner_url"] = notice.owner_url
    body = _json({"type": f"ascolto.{notice.kind}", "timestamp": now.isoformat(), "data": data})
    message_id, timestamp = notice.message_id(channel.id), int(now.timestamp())
    headers = {"Content-Type": "application/json", "webhook-id": message_id, "webhook-timestamp": str(timestamp),
               "webhook-signature": sign(channel.secret, message_id, timestamp, body)}
    return Request(channel.target, headers, body)


def render(notice: Notice, channel: Channel, now: datetime) -> Request:
    """Return the request that delivers a notice to a channel, after taking out what it may not get."""
    notice = for_channel(notice, channel)
    if channel.kind == "webhook":
        return webhook(notice, channel, now)
    return {"slack": slack, "discord": discord, "telegram": telegram, "ntfy": ntfy}[channel.kind](notice, channel)

