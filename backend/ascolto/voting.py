"""The vote rules, written once for every store: new, changed, retried and withdrawn votes,
the aggregate delta, quarantine release and discard, feedback, and the reconcile.

Each rule reads what it needs through the Store port, decides here, and asks the store for
one conditional write (`Store.write_vote`). A write that loses a race raises Conflict and
the rule reads and decides again, so concurrent votes stay exact on every store.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from ascolto.abuse import Keys, plan_screening
from ascolto.comment_screen import hold_reason as comment_hold
from ascolto.errors import Conflict, InvalidInput, NotFound
from ascolto.ratings import (
    Delta,
    Event,
    Feedback,
    Site,
    StoredVote,
    Summary,
    Vote,
    VoteResult,
    VoteWrite,
    local_day,
    normalize_article,
)
from ascolto.stores.base import Store

ATTEMPTS = 8
# A vote's writes land within one request: API Gateway ends an invocation after 29 s and
# Lambda after 15 min, so a vote older than this has made all its writes or never will.
IN_FLIGHT = timedelta(minutes=15)
WITHDRAWN = "withdraw"
TOO_MANY_ARTICLES = "too_many_articles"
NEW_ARTICLES = "new-articles"  # record kind: articles a site gained on a local day, keyed "{site}#{day}"
# Bidi controls and other invisible format characters (Unicode category Cf) let a title
# show one thing and say another; they never belong in a title the owner reads.
_FORMAT = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def clean_title(title: str) -> str:
    """Return a title without bidi overrides or invisible format characters, spaces folded."""
    text = "".join(c for c in title if unicodedata.category(c) != "Cf")
    return " ".join(_FORMAT.sub("", text).split())


def site_url(site: Site, url: str) -> str:
    """Return the URL if it is on one of the site's origins, else '' (a voter can't point the owner elsewhere)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    return url if parts.scheme in ("http", "https") and origin in site.origins else ""


def delta_of(before: StoredVote | None, after: StoredVote | None) -> Delta:
    """Return what moving from one stored vote to another adds to the article's aggregate.

    Only counted votes are in the aggregate: a quarantined vote adds nothing and removing
    one takes nothing away.
    """
    delta = Delta()
    if before is not None and not before.quarantined:
        delta = delta.minus(before.rating)
    if after is not None and not after.quarantined:
        delta = delta.plus(after.rating)
    return delta


def record_vote(store: Store, vote: Vote, site: Site | None = None) -> VoteResult:
    """Create or change a voter's vote, moving the aggregate exactly; a retry or the same rating changes nothing.

    - same request_id as the stored vote: a retry, answered with the current numbers;
    - same rating as the stored vote: nothing to change;
    - otherwise a new vote ("vote" event) or a changed one ("change" event).
    The article's title and URL are set by the first vote that creates the article and
    never by a later voter, and only a URL on the site's own origins is kept.
    """
    for _ in range(ATTEMPTS):
        write, result = plan_vote(store, vote, site)
        if write is None:
            return result
        try:
            return replace(result, summary=store.write_vote(write))
        except Conflict:
            continue  # another request of this voter won the race: read and decide again
    raise Conflict("The vote changed too often at once; try again.")


def plan_vote(store: Store, vote: Vote, site: Site | None = None) -> tuple[VoteWrite | None, VoteResult]:
    """Decide what a vote changes (see record_vote): the write to make, or None, and the answer.

    It reads the stored vote and the article, and writes nothing but the site's daily count of
    new articles; the answer's numbers are those before the write.
    """
    old, current = store.vote_and_summary(vote.site, vote.article, vote.voter)
    if old is not None and (old.request_id == vote.request_id or old.rating == vote.rating):
        return None, VoteResult(current, old.rating, old.rating, changed=False)
    if site is not None and not current.exists and not vote.quarantined and _past_new_article_limit(store, site,
                                                                                                    vote):
        vote = replace(vote, quarantined=True, quarantine_reason=TOO_MANY_ARTICLES)
    title, url = _article_labels(site, vote, current)
    new = StoredVote(site=vote.site, article=vote.article, voter=vote.voter, rating=vote.rating,
                     request_id=vote.request_id, at=vote.at, day=vote.day,
                     created_at=old.created_at if old else vote.at, quarantined=vote.quarantined,
                     quarantine_reason=vote.quarantine_reason,
                     title=title if vote.quarantined else "", url=url if vote.quarantined else "")
    event = Event(kind="vote" if old is None else "change", site=vote.site, article=vote.article,
                  voter=vote.voter, at=vote.at, rating=vote.rating, previous_rating=old.rating if old else None,
                  title=title, url=url, quarantined=vote.quarantined, quarantine_reason=vote.quarantine_reason,
                  request_id=vote.request_id)
    write = VoteWrite(site=vote.site, article=vote.article, voter=vote.voter,
                      expected_request_id=old.request_id if old else None, vote=new, event=event,
                      day=vote.day, delta=delta_of(old, new), title=title, url=url, at=vote.at)
    return write, VoteResult(current, vote.rating, old.rating if old else None, changed=True)


def _past_new_article_limit(store: Store, site: Site, vote: Vote) -> bool:
    """Count one more article created on the site that day; tell whether that passes the site's limit.

    Every counted vote on an unknown article would create a public article: past the limit,
    such votes are held back instead, so nobody can grow a site's article list without bound.
    """
    day_start = datetime.fromisoformat(vote.day).replace(tzinfo=UTC)  # a whole day: no time that joins a vote
    created = store.add_to_record(NEW_ARTICLES, f"{site.id}#{vote.day}", "n", 1,
                                  expires=day_start + timedelta(days=3))
    return created > site.new_articles_per_day


def _article_labels(site: Site | None, vote: Vote, current: Summary) -> tuple[str, str]:
    """Return the title and URL the owner will see: the article's own once it exists."""
    if current.exists:
        return current.title, current.url
    url = site_url(site, vote.url) if site is not None else vote.url
    return clean_title(vote.title), url


def withdraw_vote(store: Store, site_id: str, article: str, voter: str, at: datetime, day: str,
                  request_id: str) -> Summary:
    """Take back a voter's vote: the aggregate loses exactly what it counted; no vote is a no-op."""
    for _ in range(ATTEMPTS):
        old, current = store.vote_and_summary(site_id, article, voter)
        if old is None:
            return current
        event = Event(kind=WITHDRAWN, site=site_id, article=article, voter=voter, at=at, rating=None,
                      previous_rating=old.rating, title=current.title, url=current.url,
                      quarantined=old.quarantined, quarantine_reason=old.quarantine_reason, request_id=request_id)
        write = VoteWrite(site=site_id, article=article, voter=voter, expected_request_id=old.request_id,
                          vote=None, event=event, day=day, delta=delta_of(old, None), at=at)
        try:
            return store.write_vote(write)
        except Conflict:
            continue
    raise Conflict("The vote changed too often at once; try again.")


def quarantined(store: Store, site_id: str) -> list[Vote]:
    """Return a site's held-back votes, oldest first (by when each was last cast)."""
    held = [v for v in store.held_votes(site_id) if v.quarantined]
    return [v.as_vote() for v in sorted(held, key=lambda v: (v.at, v.article, v.voter))]


def _held(store: Store, site_id: str, article: str, voter: str) -> tuple[StoredVote, Summary]:
    old, current = store.vote_and_summary(site_id, article, voter)
    if old is None or not old.quarantined:
        raise NotFound("No such quarantined vote.", {"vote": ["Not in quarantine."]})
    return old, current


def release_vote(store: Store, site_id: str, article: str, voter: str) -> Summary:
    """Count a held-back vote after all; NotFound if the voter has none held on the article."""
    for _ in range(ATTEMPTS):
        old, current = _held(store, site_id, article, voter)
        counted = replace(old, quarantined=False, quarantine_reason="", title="", url="")
        write = VoteWrite(site=site_id, article=article, voter=voter, expected_request_id=old.request_id,
                          vote=counted, event=None, day=old.day, delta=delta_of(old, counted),
                          title=current.title or old.title, url=current.url or old.url, at=old.at)
        try:
            return store.write_vote(write)
        except Conflict:
            continue
    raise Conflict("The vote changed meanwhile; try again.")


def discard_vote(store: Store, site_id: str, article: str, voter: str) -> None:
    """Delete a held-back vote for good; NotFound if the voter has none held on the article."""
    for _ in range(ATTEMPTS):
        old, _ = _held(store, site_id, article, voter)
        write = VoteWrite(site=site_id, article=article, voter=voter, expected_request_id=old.request_id,
                          vote=None, event=None, day=old.day, delta=Delta(), at=old.at)
        try:
            store.write_vote(write)
            return
        except Conflict:
            continue
    raise Conflict("The vote changed meanwhile; try again.")


def add_feedback(store: Store, feedback: Feedback, hold_reason: str = "") -> Feedback:
    """Store feedback with the voter's current rating; InvalidInput if they have not voted on the article.

    Feedback from a held-back voter, or that the comment screen holds (links, spam), is kept but
    held back too: counted and reviewable, never shown as a normal comment.
    """
    old, current = store.vote_and_summary(feedback.site, feedback.article, feedback.voter)
    if old is None:
        raise InvalidInput("Feedback must follow a vote on the same article.",
                           {"voter": ["This voter has not rated this article."]})
    reason = old.quarantine_reason if old.quarantined else (hold_reason or comment_hold(feedback.text,
                                                                                       feedback.contact_email))
    saved = replace(feedback, rating=old.rating)
    store.add_event(Event(kind="feedback", site=feedback.site, article=feedback.article, voter=feedback.voter,
                          at=feedback.at, rating=old.rating, title=current.title or old.title,
                          url=current.url or old.url, text=feedback.text, contact_email=feedback.contact_email,
                          quarantined=bool(reason), quarantine_reason=reason, id=feedback.id), feedback.day)
    return saved


def imported_kind(site_id: str) -> str:
    """Return the record kind that keeps, per article, the numbers imported for a site (ascolto.importing)."""
    return f"imported#{site_id}"


def imported_delta(store: Store, site_id: str, article: str) -> Delta:
    """Return what an import added to an article's aggregate: votes and points with no per-star split."""
    data = store.get_record(imported_kind(site_id), article)
    return Delta(int(data["count"]), int(data["total"])) if data else Delta()


def recount(store: Store, site: Site, article: str, now: datetime, *, in_flight: timedelta = IN_FLIGHT,
            title: str = "", url: str = "", first_at: datetime | None = None) -> str:
    """Set an article's aggregate to its stored votes plus its imported numbers.

    Return "changed", "exact" (nothing to do), "in-flight" (a vote younger than `in_flight`
    may still have a write to land: left for a later run) or "busy" (votes kept landing).
    The write is conditional on the aggregate's version, so a vote that lands meanwhile
    makes the count start again. A new aggregate gets `title`, `url` and the earliest of
    `first_at` and its votes.
    """
    for _ in range(ATTEMPTS):
        current = store.summary(site.id, article, consistent=True)
        votes = store.article_votes(site.id, article)
        if any(v.at > now - in_flight for v in votes):
            return "in-flight"
        counted = imported_delta(store, site.id, article)
        for v in votes:
            counted = counted + delta_of(None, v)
        if (counted.count, counted.total, counted.histogram) == (current.count, current.total, current.histogram):
            return "exact"
        if not current.exists and counted.count == 0:
            return "exact"
        first = min([v.created_at for v in votes] + ([first_at] if first_at else []), default=now)
        try:
            store.replace_aggregate(site.id, article, counted, current.version, first_at=first, title=title, url=url)
        except Conflict:
            continue
        return "changed"
    return "busy"


def reconcile(store: Store, site: Site, day: str, now: datetime, articles: Iterable[str] | None = None) -> int:
    """Recount the aggregates of the articles touched on a local day; return how many changed.

    It repairs an aggregate left behind by a process that died between a vote's writes (a
    store whose vote is one transaction never needs it, and the recount finds nothing).
    An article with a vote younger than IN_FLIGHT is left for a later run, because that
    vote's aggregate write may still land.
    """
    touched = set(articles) if articles is not None else {e.article for e in store.day_events(site, day)}
    return sum(recount(store, site, article, now) == "changed" for article in sorted(touched))


def cast_vote(store: Store, site: Site, data: dict[str, Any], now: datetime, quarantine_reason: str = "") -> VoteResult:
    """Cast a vote from validated API data; a held-back vote is answered as if it had counted.

    The answer must not tell a script that its vote was held back, so it carries the numbers
    the vote would have made.
    """
    return _answer(record_vote(store, _vote_from(site, data, now, quarantine_reason), site), quarantine_reason)


def cast_screened_vote(store: Store, site: Site, data: dict[str, Any], now: datetime, keys: Keys) -> VoteResult:
    """Screen a vote from validated API data and cast it in one unit of work: read, decide, write.

    Every write is conditional on what was read, and a lost race (Conflict) decides again.
    On SQLite the unit is one transaction, so a vote takes the write lock once and never
    loses a race; reading first outside it cost more than the lock waits it saved (a read
    transaction of its own, and the page cache emptied again when another process wrote
    between the two; bench/vote_path.py).
    """
    for _ in range(ATTEMPTS):
        try:
            with store.atomic():
                network, reason = plan_screening(store, site, data, keys, now)
                write, result = plan_vote(store, _vote_from(site, data, now, reason), site)
                network.apply(store)
                if write is not None:
                    result = replace(result, summary=store.write_vote(write))
        except Conflict:
            continue
        return _answer(result, reason)
    raise Conflict("The vote changed too often at once; try again.")


def _vote_from(site: Site, data: dict[str, Any], now: datetime, quarantine_reason: str) -> Vote:
    article = normalize_article(data["article"])
    if not article:
        raise InvalidInput("The article id is empty.", {"article": ["Must not be empty."]})
    return Vote(site=site.id, article=article, voter=data["voter"], rating=data["rating"], at=now,
                day=local_day(now, site), url=data.get("url", ""), title=data.get("title", ""),
                request_id=data.get("request_id") or uuid.uuid4().hex,
                quarantined=bool(quarantine_reason), quarantine_reason=quarantine_reason)


def _answer(result: VoteResult, quarantine_reason: str) -> VoteResult:
    if quarantine_reason and result.changed:
        return replace(result, summary=as_if_counted(result.summary, result.rating))
    return result


def as_if_counted(summary: Summary, rating: int) -> Summary:
    """Return the summary with one more vote of a rating."""
    return summary.plus(Delta().plus(rating))


def leave_feedback(store: Store, site: Site, data: dict[str, Any], now: datetime, hold_reason: str = "") -> Feedback:
    """Store feedback from validated API data."""
    feedback = Feedback(site=site.id, article=normalize_article(data["article"]), voter=data["voter"],
                        text=data["text"], contact_email=data.get("contact_email") or "", at=now,
                        day=local_day(now, site))
    return add_feedback(store, feedback, hold_reason)


def export_site(store: Store, site_id: str) -> tuple[list[Vote], list[Event]]:
    """Return every vote of a site, oldest first, with its article's title and URL, and every feedback."""
    votes = store.site_votes(site_id)
    labels = {a.article: a for a in store.articles(site_id)}
    out = []
    for v in sorted(votes, key=lambda v: (v.created_at, v.article, v.voter)):
        known = labels.get(v.article)
        out.append(replace(v.as_vote(), title=known.title if known else v.title, url=known.url if known else v.url))
    return out, store.site_feedback(site_id)
