"""Each channel's request as its receiver gets it on 127.0.0.1: path, headers and raw body bytes."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from ascolto.digest.report import build_report
from ascolto.notify.channels import parse_channel
from ascolto.notify.deliver import post
from ascolto.notify.formats import render
from ascolto.notify.notice import Notice, NoticeRow, notice_from_report
from tests.conftest import make_site
from tests.digest.helpers import DAY, at, feedback, site_day, vote
from tests.notify.conftest import Receiver

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
OWNER_URL = "https://ratings.example.org/owner/SIGNED.TOKEN"
CONTACT = "reader.contact@example.net"
TEXT = "Broken example <!channel> @everyone *here*"


@pytest.fixture
def notice() -> Notice:
    """A digest notice made from a real report: a low-rated article whose reader left text and an email."""
    site = make_site()
    events = [vote(site, "/a", f"v{i}", 1, at(site, DAY, 10, i)) for i in range(3)]
    events.append(feedback(site, "/a", "v0", 1, TEXT, at(site, DAY, 10, 30), email=CONTACT,
                           title="Tips & <tricks> | *bold*"))
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    return notice_from_report(report, "owner@example.org/2026-11-19", OWNER_URL)


def send(receiver: Receiver, url: str, notice: Notice, now: datetime | None = None) -> bytes:
    channel = parse_channel(url)
    delivery = post(render(notice, channel, now or datetime.now(UTC)), sleep=lambda _: None)
    assert delivery.ok and delivery.attempts == 1
    (request,) = receiver.requests
    return request.body


def test_the_notice_says_what_needs_the_owner(notice: Notice) -> None:
    assert notice.headline == "A blog, 19 November: 3 votes, average 1.0 · needs you today: 1 article"
    (row,) = notice.rows
    assert row.title == "Tips & <tricks> | *bold*"
    assert row.reason == "rated 1.0/5 by 3 readers; 1 reader reports a problem"
    assert row.url == "https://blog.example.org/a" and row.quote == TEXT


def test_slack_gets_text_and_blocks_with_markup_escaped(receiver: Receiver, notice: Notice) -> None:
    body = send(receiver, f"slack+{receiver.base}/services/T/B/X?text=1", notice)
    assert receiver.requests[0].path == "/services/T/B/X"
    assert receiver.requests[0].headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body)
    assert set(data) == {"text", "blocks"} and data["text"].startswith("A blog, 19 November")
    assert [b["type"] for b in data["blocks"]] == ["section", "section"]
    row = data["blocks"][1]["text"]
    assert row["type"] == "mrkdwn"
    assert row["text"].startswith("*<https://blog.example.org/a|Tips &amp; &lt;tricks&gt; ¦ *bold*>*\n")
    assert b"&lt;!channel&gt;" in body and b"<!channel>" not in body


def test_discord_gets_content_and_embeds_and_mentions_nobody(receiver: Receiver, notice: Notice) -> None:
    body = send(receiver, f"discord+{receiver.base}/api/webhooks/1/tok?text=1", notice)
    assert receiver.requests[0].path == "/api/webhooks/1/tok"
    data = json.loads(body)
    assert data["allowed_mentions"] == {"parse": []}
    assert data["content"].startswith("A blog, 19 November")
    (embed,) = data["embeds"]
    assert embed["url"] == "https://blog.example.org/a"
    assert embed["title"] == r"Tips & \<tricks\> \| \*bold\*"
    assert r"\*here\*" in embed["description"] and r"\@everyone" in embed["description"]


def test_telegram_posts_plain_text_to_send_message(receiver: Receiver, notice: Notice) -> None:
    body = send(receiver, f"telegram://123456:AA-bb@-100200?api={receiver.base}", notice)
    assert receiver.requests[0].path == "/bot123456:AA-bb/sendMessage"
    data = json.loads(body)
    assert set(data) == {"chat_id", "text", "link_preview_options"} and data["chat_id"] == "-100200"
    assert "parse_mode" not in data  # plain text: a title's < or * is shown as typed
    assert data["text"].startswith("A blog, 19 November")
    assert "• Tips & <tricks> | *bold*: rated 1.0/5 by 3 readers" in data["text"]


def test_ntfy_puts_title_tags_and_click_in_headers(receiver: Receiver, notice: Notice) -> None:
    body = send(receiver, f"ntfy+{receiver.base}/my-topic?token=tk_abc", notice)
    request = receiver.requests[0]
    assert request.path == "/my-topic"
    assert request.raw_headers.startswith(b"POST /my-topic HTTP/1.1\r\n")
    title = next(line for line in request.raw_headers.split(b"\r\n") if line.startswith(b"Title: "))
    assert title.startswith(b"Title: =?UTF-8?B?") and title.isascii()  # non-ASCII: RFC 2047, as ntfy reads it
    assert str(make_header(decode_header(title[7:].decode()))) == notice.headline
    assert request.headers["Tags"] == "bar_chart" and request.headers["Priority"] == "3"
    assert request.headers["Click"] == "https://blog.example.org/a"
    assert request.headers["Authorization"] == "Bearer tk_abc"
    assert body.decode().startswith("• Tips & <tricks> | *bold*: rated 1.0/5 by 3 readers")


def test_the_webhook_is_signed_as_standard_webhooks_says(receiver: Receiver, notice: Notice) -> None:
    body = send(receiver, f"webhook+{receiver.base}/in?secret={SECRET}", notice)
    headers = {k.lower(): v for k, v in receiver.requests[0].headers.items()}  # header names are case-insensitive
    assert set(headers) >= {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-signature"].startswith("v1,") and headers["content-type"] == "application/json"
    payload = Webhook(SECRET).verify(body, headers)  # the independent implementation
    assert payload["type"] == "ascolto.digest" and payload["data"]["owner_url"] == OWNER_URL
    assert headers["webhook-id"] == notice.message_id(parse_channel(f"webhook+{receiver.base}/in?secret={SECRET}").id)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body.replace(b"ascolto.digest", b"ascolto.digesT"), headers)
    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(body, headers)


def test_an_old_webhook_timestamp_is_rejected_by_the_receiver(receiver: Receiver, notice: Notice) -> None:
    body = send(receiver, f"webhook+{receiver.base}/in?secret={SECRET}", notice, datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, receiver.requests[0].headers)


@pytest.mark.parametrize("url", ["slack+{base}/s", "discord+{base}/d", "telegram://1:a@2?api={base}", "ntfy+{base}/t",
                                 "webhook+{base}/w?secret=" + SECRET])
def test_never_sent_contact_emails_reader_text_or_chat_signed_links(receiver: Receiver, notice: Notice,
                                                                    url: str) -> None:
    body = send(receiver, url.format(base=receiver.base), notice)
    wire = receiver.requests[0].raw_headers + body
    assert CONTACT.encode() not in wire and b"mailto" not in wire
    assert b"Broken example" not in wire  # reader text only with text=1
    assert (OWNER_URL.encode() in wire) == url.startswith("webhook")  # no signed link in a chat or a topic


@pytest.mark.parametrize("url", ["slack+{base}/s", "discord+{base}/d", "telegram://1:a@2?api={base}", "ntfy+{base}/t",
                                 "webhook+{base}/w?secret=" + SECRET])
def test_reader_text_is_sent_where_the_channel_opts_in_but_never_the_email(receiver: Receiver, notice: Notice,
                                                                          url: str) -> None:
    joiner = "&" if "?" in url else "?"
    body = send(receiver, url.format(base=receiver.base) + joiner + "text=1", notice)
    assert b"Broken example" in body and CONTACT.encode() not in body


def test_rows_beyond_the_limit_are_counted(receiver: Receiver) -> None:
    rows = tuple(NoticeRow(title=f"T{i}", reason="low rating") for i in range(3))
    notice = Notice(kind="digest", key="k", headline="H", rows=rows, more=7)
    data = json.loads(send(receiver, f"slack+{receiver.base}/s", notice))
    assert len(data["blocks"]) == 5 and data["blocks"][-1]["elements"][0]["text"] == "+7"


def test_a_held_back_comment_is_never_quoted_even_with_text(receiver: Receiver) -> None:
    site = make_site()
    events = [vote(site, "/a", f"v{i}", 1, at(site, DAY, 10, i)) for i in range(3)]
    events += [feedback(site, "/a", "v0", 1, "Cheap pills at https://spam.example.net now", at(site, DAY, 10, 30)),
               feedback(site, "/a", "v1", 1, "The second step is wrong", at(site, DAY, 10, 31))]
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    notice = notice_from_report(report, "owner@example.org/2026-11-19")
    body = send(receiver, f"slack+{receiver.base}/s?text=1", notice)
    assert b"The second step is wrong" in body and b"spam.example.net" not in body
