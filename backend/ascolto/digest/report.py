"""build_report: the digest's content computed from plain data, with no I/O.

Definitions (also in docs):
- A day's *ratings* are the final rating of each (article, voter) among that day's vote and
  change events that were not quarantined. Quarantined events are counted separately.
- *Weighted average* (Bayesian): (C·m + Σ ratings) / (C + n) with C = PRIOR_WEIGHT = 5 and
  m = PRIOR = 3, the neutral middle of the scale: a few votes are pulled towards "no
  opinion" in both directions, so one 1-star vote ranks after twenty 2-star votes in what
  needs attention, and one 5-star vote after twenty 4-star votes in the best. (The site's
  mean as m would do the first but not the second: with m ≈ 4, a lone 5 beats twenty 4s.)
- *Needs attention*: a day average at or below the site's low threshold, a drop of at least
  DROP points against the article's previous 7 days (when it had ≥ MIN_BASELINE ratings
  then), or new feedback. Ranked by weighted average, lowest first.
- *Burst*: at least BURST_VOTES vote events (counted or not) on one article within
  BURST_MINUTES minutes. Bursts are reported; their votes are kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import quote, urlsplit

from ascolto.abuse import REASONS
from ascolto.digest.collect import COMPARE_DAYS, SiteDay
from ascolto.digest.i18n import Words
from ascolto.ratings import Event, Site, Summary, normalize_origin

PRIOR_WEIGHT = 5
PRIOR = 3.0
DROP = 0.5
MIN_BASELINE = 3
BURST_VOTES = 10
BEST_MIN = 4.0  # the best-rated list shows only articles averaging at least this
BURST_MINUTES = 5
QUOTE_CHARS = 300
URL_SAFE = "/%-._~!$&*+,;=:@"
ITEM_MARKUP = 700  # bytes of HTML around one feedback text, measured


@dataclass(frozen=True)
class Limits:
    """How many rows each section lists before pointing to the full list (keeps the HTML < 100 KB)."""

    attention: int = 20
    feedback: int = 50
    feedback_bytes: int = 50_000  # texts can be 2,000 characters: stop listing past this many bytes
    best: int = 5
    first: int = 10
    bursts: int = 10


LIMITS = Limits()


@dataclass(frozen=True)
class ArticleRow:
    """One article's numbers for the day."""

    site_id: str
    site_name: str
    article: str
    title: str
    url: str
    votes: int
    average: float | None
    histogram: tuple[int, int, int, int, int]
    weighted: float
    change: float | None
    feedback: int
    first_time: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedbackItem:
    """One reader's text, as the owner reads it."""

    text: str
    rating: int | None
    at: datetime
    reply: str


@dataclass(frozen=True)
class FeedbackGroup:
    """Feedback texts on one article, oldest first."""

    site_name: str
    title: str
    url: str
    items: list[FeedbackItem]


@dataclass(frozen=True)
class Burst:
    """Many votes on one article within a few minutes."""

    site_id: str
    title: str
    votes: int
    minutes: int
    start: datetime


@dataclass(frozen=True)
class Suspicious:
    """Votes held back or bunched up, counted and explained."""

    quarantined: int
    reasons: dict[str, int]
    quarantined_sites: tuple[str, ...]
    bursts: list[Burst]

    @property
    def any(self) -> bool:
        """Tell whether there is anything to show."""
        return bool(self.quarantined or self.bursts)


@dataclass(frozen=True)
class Headline:
    """The day in three numbers and their change against the week before."""

    votes: int
    average: float | None
    feedback: int
    week_daily_votes: float
    week_average: float | None

    @property
    def votes_change(self) -> float | None:
        """Return the relative change of votes against the 7-day daily mean."""
        return (self.votes - self.week_daily_votes) / self.week_daily_votes if self.week_daily_votes else None

    @property
    def average_change(self) -> float | None:
        """Return the change of the average against the 7 days before."""
        if self.average is None or self.week_average is None:
            return None
        return round(self.average - self.week_average, 2)


@dataclass(frozen=True)
class Totals:
    """Numbers since the start, from the article aggregates."""

    votes: int
    articles: int
    average: float | None


@dataclass(frozen=True)
class Report:
    """Everything the digest shows, ready to render."""

    owner_email: str
    language: str
    day: date
    sites: list[Site]
    headline: Headline
    attention: list[ArticleRow]
    attention_total: int
    best: list[ArticleRow]
    first: list[ArticleRow]
    feedback: list[FeedbackGroup]
    feedback_total: int
    feedback_shown: int
    suspicious: Suspicious
    totals: Totals
    articles_total: int

    @property
    def empty(self) -> bool:
        """Tell whether nothing happened: no votes, no feedback, nothing held back."""
        return self.headline.votes == 0 and self.headline.feedback == 0 and self.suspicious.quarantined == 0


def final_ratings(events: Iterable[Event]) -> dict[tuple[str, str], int]:
    """Return the last counted rating of each (article, voter) among vote and change events."""
    last: dict[tuple[str, str], Event] = {}
    for e in events:
        if e.kind in ("vote", "change") and e.rating is not None:
            last[(e.article, e.voter)] = e
    return {k: e.rating for k, e in last.items() if not e.quarantined and e.rating is not None}


def weighted_average(ratings_sum: int, n: int, prior: float = PRIOR, weight: int = PRIOR_WEIGHT) -> float:
    """Return the Bayesian average of n ratings that sum to ratings_sum."""
    return (weight * prior + ratings_sum) / (weight + n)


def safe_link(url: str, site: Site, article: str) -> str:
    """Return an http(s) link on one of the site's origins, or '' (reader-sent URLs are untrusted)."""
    fallback = f"{site.origins[0]}{article}" if site.origins and article.startswith("/") else ""
    for candidate in (url, fallback):
        try:
            parts = urlsplit(candidate.strip())
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and normalize_origin(candidate) in site.origins:
            # Re-encode the path and query, so the link holds no space, quote or angle bracket.
            path = quote(parts.path, safe=URL_SAFE) or "/"
            query = f"?{quote(parts.query, safe=URL_SAFE + '?')}" if parts.query else ""
            return f"{normalize_origin(candidate)}{path}{query}"
    return ""


def clean_title(title: str, article: str) -> str:
    """Return a one-line title: control and line-separator characters become spaces."""
    text = "".join(" " if (ord(c) < 32 or c in "\u2028\u2029\x85\x7f") else c for c in (title or article))
    return " ".join(text.split())[:200] or article[:200]


def reply_link(email: str, title: str, text: str, words: Words) -> str:
    """Return a percent-encoded mailto: with subject and quote, or '' for an address that is not plain."""
    email = email.strip()
    local, _, domain = email.rpartition("@")
    plain = (local and domain and "." in domain and len(email) <= 254
             and all(33 <= ord(c) < 127 and c not in '<>()[]\\,;:"' for c in email))
    if not plain:
        return ""
    quoted = "\n".join("> " + line for line in text[:QUOTE_CHARS].splitlines())
    subject = words("reply_subject", title=title)
    body = words("reply_body", title=title, quote=quoted)
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def find_bursts(site: Site, events: Sequence[Event], title_of: dict[str, str]) -> list[Burst]:
    """Return, per article, the densest window of BURST_MINUTES with at least BURST_VOTES vote events."""
    times: dict[str, list[datetime]] = defaultdict(list)
    for e in events:
        if e.kind in ("vote", "change"):
            times[e.article].append(e.at)
    span = timedelta(minutes=BURST_MINUTES)
    bursts = []
    for article, ats in times.items():
        if len(ats) < BURST_VOTES:
            continue
        ats.sort()
        best, best_start, lo = 0, ats[0], 0
        for hi, at in enumerate(ats):
            while at - ats[lo] >= span:
                lo += 1
            if hi - lo + 1 > best:
                best, best_start = hi - lo + 1, ats[lo]
        if best >= BURST_VOTES:
            bursts.append(Burst(site.id, title_of.get(article, article), best, BURST_MINUTES,
                                best_start.astimezone(site.zone)))
    return sorted(bursts, key=lambda b: -b.votes)


def _site_rows(day: SiteDay, words: Words) -> tuple[list[ArticleRow], list[FeedbackGroup]]:
    site = day.site
    aggregates = {s.article: s for s in day.articles}
    ratings = final_ratings(day.events)
    previous = final_ratings(day.previous)
    per_article: dict[str, list[int]] = defaultdict(list)
    for (article, _), r in ratings.items():
        per_article[article].append(r)
    before: dict[str, list[int]] = defaultdict(list)
    for (article, _), r in previous.items():
        before[article].append(r)
    titles: dict[str, str] = {}
    urls: dict[str, str] = {}
    for s in day.articles:
        titles[s.article], urls[s.article] = s.title, s.url
    feedback_by_article: dict[str, list[Event]] = defaultdict(list)
    for e in day.events:
        titles[e.article] = e.title or titles.get(e.article, "")
        urls[e.article] = e.url or urls.get(e.article, "")
        if e.kind == "feedback" and e.text.strip():
            feedback_by_article[e.article].append(e)
    rows = []
    for article in set(per_article) | set(feedback_by_article):
        got = per_article.get(article, [])
        histogram = tuple(got.count(i) for i in range(1, 6))
        average = round(sum(got) / len(got), 2) if got else None
        base = before.get(article, [])
        change = round(average - sum(base) / len(base), 2) if average is not None and len(base) >= MIN_BASELINE \
            else None
        aggregate: Summary | None = aggregates.get(article)
        first_time = bool(aggregate and aggregate.first_at and day.start <= aggregate.first_at < day.end)
        reasons = []
        if average is not None and average <= site.low_threshold:
            reasons.append("low")
        if change is not None and change <= -DROP:
            reasons.append("drop")
        if feedback_by_article.get(article):
            reasons.append("feedback")
        title = clean_title(titles.get(article, ""), article)
        rows.append(ArticleRow(
            site_id=site.id, site_name=site.name, article=article, title=title,
            url=safe_link(urls.get(article, ""), site, article), votes=len(got), average=average,
            histogram=histogram,  # type: ignore[arg-type]
            weighted=round(weighted_average(sum(got), len(got)), 3), change=change,
            feedback=len(feedback_by_article.get(article, [])), first_time=first_time, reasons=tuple(reasons),
        ))
    groups = []
    by_article = {r.article: r for r in rows}
    for article, items in feedback_by_article.items():
        row = by_article[article]
        groups.append(FeedbackGroup(
            site_name=site.name, title=row.title, url=row.url,
            items=[FeedbackItem(text=e.text.strip(), rating=e.rating, at=e.at.astimezone(site.zone),
                                reply=reply_link(e.contact_email, row.title, e.text.strip(), words))
                   for e in items],
        ))
    return rows, groups


def build_report(days: Sequence[SiteDay], *, owner_email: str, language: str, day: date,
                 limits: Limits = LIMITS) -> Report:
    """Compute an owner's digest for one day from each site's plain input."""
    words = Words(language)
    rows: list[ArticleRow] = []
    groups: list[FeedbackGroup] = []
    bursts: list[Burst] = []
    reasons: Counter[str] = Counter()
    quarantined_sites: list[str] = []
    day_ratings: list[int] = []
    week_ratings: list[int] = []
    feedback_count = 0
    totals_votes = totals_sum = totals_articles = 0
    for site_day in days:
        site_rows, site_groups = _site_rows(site_day, words)
        rows += site_rows
        groups += site_groups
        day_ratings += final_ratings(site_day.events).values()
        week_ratings += final_ratings(site_day.previous).values()
        feedback_count += sum(len(g.items) for g in site_groups)
        held = [e for e in site_day.events if e.kind in ("vote", "change") and e.quarantined]
        reasons.update(e.quarantine_reason if e.quarantine_reason in REASONS else "other" for e in held)
        if held:
            quarantined_sites.append(site_day.site.id)
        titles = {r.article: r.title for r in site_rows}
        bursts += find_bursts(site_day.site, site_day.events, titles)
        totals_votes += sum(s.count for s in site_day.articles)
        totals_sum += sum(s.total for s in site_day.articles)
        totals_articles += sum(1 for s in site_day.articles if s.count)
    headline = Headline(
        votes=len(day_ratings),
        average=round(sum(day_ratings) / len(day_ratings), 2) if day_ratings else None,
        feedback=feedback_count,
        week_daily_votes=len(week_ratings) / COMPARE_DAYS,
        week_average=round(sum(week_ratings) / len(week_ratings), 2) if week_ratings else None,
    )
    attention = sorted((r for r in rows if r.reasons), key=lambda r: (r.weighted, -r.votes, r.title))
    rated = [r for r in rows if r.votes]
    fine = [r for r in rated if not {"low", "drop"} & set(r.reasons) and (r.average or 0) >= BEST_MIN]
    best = sorted(fine, key=lambda r: (-r.weighted, -r.votes, r.title))
    first = sorted((r for r in rated if r.first_time), key=lambda r: (-r.votes, r.title))
    # Groups follow the attention order, so the texts that explain a low rating come first.
    rank = {(r.site_name, r.title): i for i, r in enumerate(attention)}
    groups.sort(key=lambda g: (rank.get((g.site_name, g.title), len(rank)), g.items[0].at))
    shown_groups, shown, size = [], 0, 0
    for g in groups:
        take = []
        for item in g.items:
            size += len(item.text.encode()) + len(item.reply) + ITEM_MARKUP
            if shown >= limits.feedback or (shown and size > limits.feedback_bytes):
                break
            take.append(item)
            shown += 1
        if take:
            shown_groups.append(FeedbackGroup(g.site_name, g.title, g.url, take))
        if len(take) < len(g.items):
            break
    return Report(
        owner_email=owner_email, language=words.language, day=day, sites=[d.site for d in days],
        headline=headline, attention=attention[: limits.attention], attention_total=len(attention),
        best=best[: limits.best], first=first[: limits.first],
        feedback=shown_groups, feedback_total=feedback_count, feedback_shown=shown,
        suspicious=Suspicious(quarantined=sum(reasons.values()), reasons=dict(reasons),
                              quarantined_sites=tuple(quarantined_sites), bursts=bursts[: limits.bursts]),
        totals=Totals(votes=totals_votes, articles=totals_articles,
                      average=round(totals_sum / totals_votes, 2) if totals_votes else None),
        articles_total=len(rated),
    )


def shrink(report: Report) -> Report | None:
    """Return the report with about a fifth fewer listed rows (feedback first), or None if it cannot shrink."""
    if report.feedback_shown > 5:
        keep = report.feedback_shown - max(1, report.feedback_shown // 5)
        groups, left = [], keep
        for g in report.feedback:
            if left <= 0:
                break
            groups.append(FeedbackGroup(g.site_name, g.title, g.url, g.items[:left]))
            left -= len(groups[-1].items)
        return replace(report, feedback=groups, feedback_shown=keep)
    if len(report.attention) > 5:
        return replace(report, attention=report.attention[: len(report.attention) * 4 // 5])
    if len(report.best) > 1 or len(report.first) > 1:
        return replace(report, best=report.best[:1], first=report.first[:1])
    return None
