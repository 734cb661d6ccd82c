"""Channel URLs: each form parses, options come off the endpoint, a bad URL is one line naming the setting."""

from __future__ import annotations

import base64

import pytest

from ascolto.errors import ConfigError
from ascolto.notify.channels import channel_id, parse_channel, parse_channels

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


def test_each_form_parses_to_its_endpoint() -> None:
    given = ("slack+https://hooks.slack.com/services/T0/B0/XYZ, discord+https://discord.com/api/webhooks/1/tok"
             "  telegram://123456:AA-bb_cc@-100200 ntfy+https://ntfy.sh/my-topic?token=tk_1\n"
             f"webhook+https://hooks.example.org/in?secret={SECRET}&text=1")
    slack, discord, telegram, ntfy, hook = parse_channels(given)
    assert (slack.kind, slack.target) == ("slack", "https://hooks.slack.com/services/T0/B0/XYZ")
    assert (discord.kind, discord.target) == ("discord", "https://discord.com/api/webhooks/1/tok")
    assert telegram.target == "https://api.telegram.org/bot123456:AA-bb_cc/sendMessage" and telegram.chat == "-100200"
    assert (ntfy.target, ntfy.token) == ("https://ntfy.sh/my-topic", "tk_1")
    assert hook.target == "https://hooks.example.org/in" and hook.secret == b"k" * 32 and hook.text
    assert not slack.text and slack.digest and not slack.rules.kinds


def test_options_and_alert_rules_come_off_the_url_and_other_parameters_stay() -> None:
    channel = parse_channel("discord+https://discord.com/api/webhooks/1/tok?thread_id=9&digest=0"
                            "&alerts=burst,low&burst_votes=20&cooldown_hours=12&drop_points=0.5")
    assert channel.target == "https://discord.com/api/webhooks/1/tok?thread_id=9"
    assert not channel.digest and channel.rules.kinds == {"burst", "low"}
    assert (channel.rules.burst_votes, channel.rules.cooldown_hours, channel.rules.drop_points) == (20, 12, 0.5)


def test_the_id_is_a_hash_and_the_label_holds_no_secret() -> None:
    channel = parse_channel("slack+https://hooks.slack.com/services/T0/B0/SECRETPART")
    assert channel.id == channel_id(channel.url) and len(channel.id) == 12
    assert "SECRETPART" not in channel.label and "SECRETPART" not in channel.id
    assert channel.label == f"slack hooks.slack.com #{channel.id}"


def test_a_comma_inside_a_url_stays_in_it() -> None:
    """The README's example: `alerts=burst,low` is one option of one URL, not two URLs."""
    given = ("slack+https://hooks.slack.com/services/T0/B0/XYZ,telegram://123456:ABC-DEF@-1001234567?alerts=burst,low"
             f", webhook+https://hooks.example.org/in?secret={SECRET}&text=1,")
    slack, telegram, hook = parse_channels(given)
    assert telegram.rules.kinds == {"burst", "low"} and telegram.chat == "-1001234567"
    assert (slack.kind, hook.kind) == ("slack", "webhook") and hook.text
    assert parse_channels((telegram.url, hook.url)) == [telegram, hook]  # a site's stored list, one URL each


def test_duplicates_collapse() -> None:
    url = "ntfy+https://ntfy.sh/t"
    assert len(parse_channels(f"{url},{url}")) == 1


@pytest.mark.parametrize("url", [
    "slack://hooks.slack.com/services/x",  # no transport
    "teams+https://example.org/hook",  # unknown channel
    "slack+http://hooks.slack.com/services/x",  # plain http off loopback
    "telegram://notatoken@123",
    "telegram://123:abc",  # no chat id
    "ntfy+https://ntfy.sh/",  # no topic
    "webhook+https://h.example.org/in",  # no secret
    "webhook+https://h.example.org/in?secret=whsec_%%%",
    "webhook+https://h.example.org/in?secret=whsec_c2hvcnQ=",  # too short a key
    "discord+https://discord.com/api/webhooks/1/t?alerts=everything",
    "discord+https://discord.com/api/webhooks/1/t?alerts=burst&burst_votes=many",
    "hooks.slack.com/services/x",
    "ntfy+https://ntfy.sh/t?token=a%0D%0AX-Evil:%201",  # a header injection
])
def test_a_bad_url_is_one_line_naming_the_setting_without_the_secret(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_channels(url)
    message = str(caught.value)
    assert message.startswith("ASCOLTO_NOTIFY: ") and "\n" not in message
    assert "telegram://BOT_TOKEN@CHAT_ID" in message and "webhook+https://HOST/PATH?secret=whsec_" in message
    assert "services/x" not in message and "notatoken" not in message


def test_loopback_http_is_allowed_for_tests_and_telegram_takes_an_api_base() -> None:
    assert parse_channel("slack+http://127.0.0.1:9/hook").target == "http://127.0.0.1:9/hook"
    telegram = parse_channel("telegram://1:a@@mychannel?api=http://127.0.0.1:9")
    assert telegram.target == "http://127.0.0.1:9/bot1:a/sendMessage" and telegram.chat == "@mychannel"
