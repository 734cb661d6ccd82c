"""Read the star ratings and feedback of a WordPress export (WXR) for `ascolto import`.

Three plugins keep their numbers in post meta, which WordPress exports with every post:
Rate My Post (`rmp_vote_count`, `rmp_rating_val_sum`, feedback in `rmp_feedback_val_new`, before 2.7
in `rmp_feedback_val`), kk Star Ratings (`_kksr_casts`, `_kksr_ratings`, or the `_default` pair of newer
versions) and WP-PostRatings (`ratings_users`, `ratings_score`). The reader only reads: a value it
cannot trust becomes a line in `problems` and the rest of the post is still returned.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, iterparse

from ascolto.errors import InvalidInput
from ascolto.importing import php_serialized

PLUGINS = ("rate-my-post", "kk-star-ratings", "wp-postratings")

WP_NAMESPACE_PREFIX = "http://wordpress.org/export/"
SKIPPED_POST_TYPES = frozenset({"attachment", "nav_menu_item", "revision"})
_NO_DATE = "0000-00-00 00:00:00"
_PROLOG_CHUNK = 64 * 1024


@dataclass(frozen=True)
class PluginRatings:
    """One plugin's numbers for one post, as stored."""

    plugin: str  # one of PLUGINS
    count: int  # number of votes (> 0)
    total: float  # sum of the ratings as the plugin stored it (kk Star Ratings may store decimals)


@dataclass(frozen=True)
class PluginFeedback:
    """One feedback entry a plugin kept for a post."""

    plugin: str  # "rate-my-post"
    id: str  # the plugin's own id of the entry, else f"{post_id}-{index}"
    text: str  # as written by the reader, unescaped, never interpreted as markup
    at: datetime | None  # aware, UTC; None when the export has no readable time


@dataclass(frozen=True)
class WordPressPost:
    """One exported post or page with its ratings and feedback."""

    post_id: int
    post_type: str
    status: str
    title: str
    link: str
    published: datetime | None
    ratings: tuple[PluginRatings, ...]
    feedback: tuple[PluginFeedback, ...]


@dataclass(frozen=True)
class WordPressExport:
    """What a WXR file holds for an import: the old site's URL, its rated posts, and the values not trusted."""

    site_url: str
    posts: tuple[WordPressPost, ...]
    problems: tuple[str, ...]


def read_wxr(path: Path) -> WordPressExport:
    """Read a WXR file; raise InvalidInput naming the file and the fault for a file that can't be read at all."""
    _refuse_doctype(path)
    posts: list[WordPressPost] = []
    problems: list[str] = []
    channel: dict[str, str] = {}
    saw_wp = False
    try:
        for kind, element in _walk(path):
            if kind == "item":
                saw_wp = saw_wp or any(_is_wp(child.tag) for child in element)
                post = _read_item(element, problems)
                if post is not None:
                    posts.append(post)
            else:
                saw_wp = saw_wp or _is_wp(element.tag)
                if element.tag == "link" or (_is_wp(element.tag) and _local(element.tag) == "base_blog_url"):
                    channel.setdefault(_local(element.tag), (element.text or "").strip())
    except _NotWxr as exc:
        raise _invalid(path, str(exc)) from exc
    except ParseError as exc:
        line, column = exc.position
        raise _invalid(path, f"XML error at line {line}, column {column}: {_first_line(str(exc))}") from exc
    except OSError as exc:
        raise _invalid(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not saw_wp:
        raise _invalid(path, "not a WordPress export (no wp: elements of http://wordpress.org/export/)")
    site_url = channel.get("base_blog_url") or channel.get("link") or ""
    return WordPressExport(site_url=site_url, posts=tuple(posts), problems=tuple(problems))


class _NotWxr(Exception):
    """A well-formed XML file that is not a WordPress export."""


def _walk(path: Path) -> Iterator[tuple[str, Element]]:
    """Yield ("item", element) per item and ("channel", element) per other child of the channel, then drop it.

    Only the item being read is in memory: each finished child is detached from the channel and cleared, so a
    200 MB export costs the memory of its largest post, not of all of them.
    """
    depth = 0
    channel: Element | None = None
    for event, element in iterparse(path, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 1 and _local(element.tag) != "rss":
                raise _NotWxr(f"not a WordPress export (the root element is <{_local(element.tag)[:40]}>, not <rss>)")
            if depth == 2 and _local(element.tag) == "channel":
                channel = element
            continue
        depth -= 1
        if depth == 2 and channel is not None:
            yield ("item" if element.tag == "item" else "channel"), element
            channel.remove(element)
            element.clear()


def _read_item(item: Element, problems: list[str]) -> WordPressPost | None:
    """Read one <item>; None for the types ascolto never rates and for posts without ratings or feedback."""
    fields: dict[str, str] = {}
    meta: dict[str, str] = {}
    for child in item:
        name = _local(child.tag)
        if _is_wp(child.tag) and name == "postmeta":
            key = _text(child, "meta_key")
            if key and key not in meta:  # WordPress exports a repeated key in database order; the first wins
                meta[key] = _text(child, "meta_value")
        elif not (_is_wp(child.tag) or child.tag in ("title", "link")):
            continue
        else:
            fields.setdefault(name, child.text or "")
    post_type = fields.get("post_type", "").strip()
    if post_type in SKIPPED_POST_TYPES:
        return None
    raw_id = fields.get("post_id", "").strip()
    if not raw_id.isascii() or not raw_id.isdigit():
        if meta:
            problems.append(f"item {fields.get('title', '')[:60]!r}: wp:post_id {raw_id[:30]!r} is not a number")
        return None
    post_id = int(raw_id)
    ratings = _ratings(post_id, meta, problems)
    feedback = _feedback(post_id, meta, problems)
    if not ratings and not feedback:
        return None
    return WordPressPost(
        post_id=post_id,
        post_type=post_type,
        status=fields.get("status", "").strip(),
        title=fields.get("title", ""),
        link=fields.get("link", "").strip(),
        published=_gmt(fields.get("post_date_gmt", "")),
        ratings=tuple(ratings),
        feedback=tuple(feedback),
    )


_RATING_KEYS = (
    # plugin, (count key, sum key), the pair used only when the first is absent, most stars per vote
    ("rate-my-post", ("rmp_vote_count", "rmp_rating_val_sum"), None, 5),
    ("kk-star-ratings", ("_kksr_casts", "_kksr_ratings"), ("_kksr_count_default", "_kksr_ratings_default"), 5),
    # WP-PostRatings lets the owner pick the scale (default 5); 10 is the most we accept without knowing it
    ("wp-postratings", ("ratings_users", "ratings_score"), None, 10),
)
_NUMBER = re.compile(r"\s*(-?\d{1,15}(\.\d{1,15})?)\s*")
_EPSILON = 1e-9


def _ratings(post_id: int, meta: dict[str, str], problems: list[str]) -> list[PluginRatings]:
    """One PluginRatings per plugin whose meta says the post has votes; a bad pair becomes a problem line."""
    found: list[PluginRatings] = []
    for plugin, (count_key, total_key), fallback, most in _RATING_KEYS:
        if count_key not in meta and total_key not in meta and fallback is not None:
            count_key, total_key = fallback
        if count_key not in meta and total_key not in meta:
            continue
        entry = _rating(post_id, plugin, (count_key, total_key), meta, most, problems)
        if entry is not None:
            found.append(entry)
    return found


def _rating(
    post_id: int, plugin: str, keys: tuple[str, str], meta: dict[str, str], most: int, problems: list[str]
) -> PluginRatings | None:
    count_key, total_key = keys
    if count_key not in meta:
        problems.append(f"post {post_id}: {count_key}: missing while {total_key} is {meta[total_key][:30]!r}")
        return None
    count = _number(meta[count_key])
    if count is None or count != int(count):
        what = "is not a number" if count is None else "is not a whole number"
        problems.append(f"post {post_id}: {count_key}: {meta[count_key][:30]!r} {what}")
        return None
    if count < 0:
        problems.append(f"post {post_id}: {count_key}: negative count {int(count)}")
        return None
    if count == 0:
        return None
    if total_key not in meta:
        problems.append(f"post {post_id}: {total_key}: missing while {count_key} is {int(count)}")
        return None
    total = _number(meta[total_key])
    if total is None:
        problems.append(f"post {post_id}: {total_key}: {meta[total_key][:30]!r} is not a number")
        return None
    if not count - _EPSILON <= total <= count * most + _EPSILON:
        problems.append(
            f"post {post_id}: {total_key}: sum {meta[total_key].strip()} is outside {int(count)}..{int(count) * most}"
            f" for {int(count)} votes of 1 to {most} stars"
        )
        return None
    return PluginRatings(plugin=plugin, count=int(count), total=total)


def _number(raw: str) -> float | None:
    match = _NUMBER.fullmatch(raw)
    return float(match.group(1)) if match else None


def _feedback(post_id: int, meta: dict[str, str], problems: list[str]) -> list[PluginFeedback]:
    """Rate My Post's feedback, the pre-2.7 entries first as the plugin itself lists them."""
    entries: list[tuple[str | None, str, datetime | None]] = []
    for key in ("rmp_feedback_val", "rmp_feedback_val_new"):
        raw = meta.get(key, "")
        if not raw.strip():
            continue
        if key == "rmp_feedback_val" and not raw.lstrip().startswith("a:"):
            entries.extend((None, text, None) for text in _old_feedback(raw))
        else:
            entries.extend(_serialized_feedback(post_id, key, raw, problems))
    feedback: list[PluginFeedback] = []
    seen: set[str] = set()
    for index, (own_id, text, at) in enumerate(entries, start=1):
        entry_id = own_id if own_id and own_id not in seen else f"{post_id}-{index}"
        seen.add(entry_id)
        feedback.append(PluginFeedback(plugin="rate-my-post", id=entry_id, text=text, at=at))
    return feedback


def _old_feedback(raw: str) -> list[str]:
    """Split Rate My Post's pre-2.7 feedback: one string of `<b>Feedback:</b> text<br />` per entry.

    `<br />` and the label are the plugin's own separators, not the reader's markup: the text between them is kept.
    """
    texts = (part.replace("<b>Feedback:</b>", "", 1).strip() for part in raw.split("<br />"))
    return [text for text in texts if text]


def _serialized_feedback(
    post_id: int, key: str, raw: str, problems: list[str]
) -> list[tuple[str | None, str, datetime | None]]:
    try:
        value = php_serialized.loads(raw.strip())
        if isinstance(value, str):  # maybe_serialize() serializes an already serialized string once more
            value = php_serialized.loads(value)
    except ValueError as exc:
        problems.append(f"post {post_id}: {key}: unreadable serialized feedback ({exc})")
        return []
    if not isinstance(value, dict):
        problems.append(f"post {post_id}: {key}: serialized feedback is not an array")
        return []
    entries: list[tuple[str | None, str, datetime | None]] = []
    for position, entry in value.items():
        text = entry.get("feedback") if isinstance(entry, dict) else None
        if not isinstance(text, str):
            problems.append(f"post {post_id}: {key}: entry {position!r} has no feedback text")
            continue
        if not text.strip():
            continue
        own_id = entry.get("id") if isinstance(entry, dict) else None
        entries.append((own_id if isinstance(own_id, str) and own_id.strip() else None, text,
                        _feedback_time(entry.get("time") if isinstance(entry, dict) else None)))
    return entries


def _feedback_time(value: object) -> datetime | None:
    """Read the `time` of a Rate My Post entry, written by PHP's `date("d-m-Y H:i:s")`, as UTC.

    The string has no zone. WordPress sets PHP's default zone to UTC while it starts (wp-settings.php), so
    `date()` writes UTC unless another plugin changed that default; the export cannot tell, so UTC it is.
    Entries converted from before 2.7 carry `false`: None.
    """
    if not isinstance(value, str):
        return None
    for layout in ("%d-%m-%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value.strip(), layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _refuse_doctype(path: Path) -> None:
    """Refuse a DOCTYPE before parsing: entity declarations (billion laughs, external files) live only there."""

    class _RootReached(Exception):
        pass

    def doctype(*_: object) -> None:
        raise _invalid(path, "has a DOCTYPE (entity declarations are refused); a WordPress export never has one")

    def root(*_: object) -> None:
        raise _RootReached

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_PROLOG_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootReached:
        return
    except OSError as exc:
        raise _invalid(path, f"cannot be read: {exc.strerror or exc}") from exc
    except xml.parsers.expat.ExpatError as exc:
        raise _invalid(path, f"XML error at line {exc.lineno}, column {exc.offset}: {_first_line(str(exc))}") from exc


def _gmt(value: str) -> datetime | None:
    value = value.strip()
    if not value or value == _NO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _text(parent: Element, local_name: str) -> str:
    for child in parent:
        if _local(child.tag) == local_name:
            return child.text or ""
    return ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _is_wp(tag: str) -> bool:
    return tag.startswith("{" + WP_NAMESPACE_PREFIX)


def _first_line(message: str) -> str:
    # expat ends its message with the position, which the caller already puts first
    message = re.sub(r":? *line \d+, column \d+$", "", message.strip())
    return re.sub(r"\s+", " ", message).strip()[:200]


def _invalid(path: Path, what: str) -> InvalidInput:
    message = f"{path}: {what}"
    return InvalidInput(message, {"file": [message]})


