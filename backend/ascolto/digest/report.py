"""build_report: the digest's content computed from plain data, with no I/O.

Definitions (also in docs/digest.md):
- A day's *ratings* are the final rating of each (article, voter) among that day's vote and
  change events that were not held back. Held-back votes are counted apart, once.
- *Needs attention* is ranked by impact (ascolto.digest.ranking); each row says why in words and
  carries its most telling comment (ascolto.digest.comments). An article is in at most one list:
  needs attention, best rated, or rated for the first time.
- *Held back*: votes the anti-stuffing checks quarantined, and comments that were quarantined or
  that ascolto.comment_screen holds back (links, spam). Their text never goes into the email.
- *Burst*: at least BURST_VOTES counted vote events on one article within BURST_MINUTES.
- *Still open*: comments shown by an earlier digest that the owner has not marked handled or spam.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from ascolto.abuse import REASONS
from ascolto.comment_screen import hold_reason
from ascolto.digest.collect import COMPARE_DAYS, SiteDay
from ascolto.digest.comments import clean_title, is_problem, reply_link, safe_link, telling_order
from ascolto.digest.i18n import Words
from ascolto.digest.ranking import DROP, Impact, impact, site_average
from ascolto.digest.report_types import (
    ArticleRow,
    Burst,
    Comment,
    FollowUp,
    Headline,
    HeldVotes,
    Limits,
    Report,
    StillOpen,
    Totals,
)
from ascolto.digest.screening import final_ratings, find_bursts, held_votes, weighted_average
from ascolto.followup import OpenItem

__all__ = ["LIMITS", "Limits", "Report", "build_report", "clean_title", "final_ratings", "safe_link", "shrink",
           "weighted_average"]

BEST_MIN = 4.0  # the best-rated list shows only articles averaging at least this
ITEM_MARKUP = 900  # bytes of HTML around one comment (text, reply and action links), measured
LIMITS = Limits()


def _why(words: Words, row_impact: Impact, votes: int, average: float | None, low: int) -> tuple[str, ...]:
    reasons = []
    readers = words.count("reader", votes)
    if row_impact.fall is not None and row_impact.fall >= DROP:
        reasons.append(words("why_fell", value=words.decimal(row_impact.fall), readers=readers))
    elif row_impact.trail is not None and row_impact.trail >= 2 * DROP:
        reasons.append(words("why_trails", value=words.decimal(row_impact.trail), readers=readers))
    elif average is not None and votes and average <= low:
        reasons.append(words("why_low", value=words.decimal(average), readers=readers))
    if row_impact.problems:
        reasons.append(words.count("why_problem", row_impact.problems))
    return tuple(reasons)


def _comments(day: SiteDay, titles: dict[str, str], urls: dict[str, str], dealt: frozenset[str],
              words: Words) -> tuple[dict[str, list[Comment]], list[Comment]]:
    """Return the day's shown comments by article, and the held-back ones."""
    shown: dict[str, list[Comment]] = defaultdict(list)
    held: list[Comment] = []
    for e in day.events:
        text = e.text.strip()
        if e.kind != "feedback" or not text or e.id in dealt:
            continue
        reason = (e.quarantine_reason or "quarantined") if e.quarantined else hold_reason(text, e.contact_email)
        title, url = titles.get(e.article, e.article), urls.get(e.article, "")
        comment = Comment(
            id=e.id, site_id=day.site.id, article=e.article, title=title, url=url, text=text, rating=e.rating,
            at=e.at.astimezone(day.site.zone), email=e.contact_email.strip(), held=reason,
            reply="" if reason else reply_link(e.contact_email, title, url, text, words),
            problem=is_problem(text, e.rating),
        )
        (held if reason else shown[e.article]).append(comment)
    for items in shown.values():
        items.sort(key=lambda c: (*telling_order(c.text, c.rating, c.problem), c.at))
    return shown, held


def _site_rows(day: SiteDay, words: Words, follow: FollowUp) -> tuple[list[ArticleRow], list[Comment]]:
    site = day.site
    ratings, previous = final_ratings(day.events), final_ratings(day.previous)
    per_article: dict[str, list[int]] = defaultdict(list)
    before: dict[str, list[int]] = defaultdict(list)
    for (article, _), r in ratings.items():
        per_article[article].append(r)
    for (article, _), r in previous.items():
        before[article].append(r)
    raw_titles = {s.article: s.title for s in day.articles}
    raw_urls = {s.article: s.url for s in day.articles}
    for e in day.events:
        if not e.quarantined:  # a held-back vote changes nothing the owner sees
            raw_titles[e.article] = e.title or raw_titles.get(e.article, "")
            raw_urls[e.article] = e.url or raw_urls.get(e.article, "")
    titles = {a: clean_title(t, a) for a, t in raw_titles.items()}
    urls = {a: safe_link(u, site, a) for a, u in raw_urls.items()}
    shown, held = _comments(day, titles, urls, follow.dealt, words)
    site_total = sum(ratings.values()) + sum(previous.values())
    site_count = len(ratings) + len(previous)
    first_at = {s.article: s.first_at for s in day.articles}
    rows = []
    for article in set(per_article) | set(shown):
        got = per_article.get(article, [])
        base = before.get(article, [])
        average = round(sum(got) / len(got), 2) if got else None
        comments = shown.get(article, [])
        site_avg = site_average(site_total, site_count, got + base)
        row_impact = impact(got, base, site_avg, sum(c.problem for c in comments))
        first = first_at.get(article)
        rows.append(ArticleRow(
            site_id=site.id, site_name=site.name, article=article, title=titles.get(article, article),
            url=urls.get(article, ""), votes=len(got), average=average,
            histogram=tuple(got.count(i) for i in range(1, 6)),  # type: ignore[arg-type]
            weighted=round(weighted_average(sum(got), len(got)), 3),
            change=round(average - sum(base) / len(base), 2) if average is not None and len(base) >= 3 else None,
            first_time=bool(first and day.start <= first < day.end),
            impact=row_impact.score, needs_attention=row_impact.needs_attention,
            why=_why(words, row_impact, len(got), average, site.low_threshold),
            comments=tuple(comments), snoozed=(site.id, article) in follow.snoozed,
        ))
    return rows, held


def _still_open(follow: FollowUp, day: date, today_ids: set[str], names: dict[str, str]) -> list[StillOpen]:
    groups: dict[tuple[str, str], list[OpenItem]] = defaultdict(list)
    for item in follow.open:
        if item.feedback_id not in today_ids and item.day < day.isoformat():
            groups[(item.site, item.article)].append(item)
    rows = []
    for (site_id, article), items in groups.items():
        oldest = min(date.fromisoformat(i.day) for i in items)
        rows.append(StillOpen(site_id=site_id, site_name=names.get(site_id, site_id), article=article,
                              title=items[0].title or article, url=items[0].url, comments=len(items),
                              held=sum(1 for i in items if i.held), days=(day - oldest).days + 1))
    return sorted(rows, key=lambda r: (-r.days, r.title))


def _budget(rows: list[ArticleRow], others: list[ArticleRow], limits: Limits) -> tuple[list[ArticleRow], int]:
    """Keep comments, in reading order, until the count or byte budget is spent; return rows and count."""
    shown = size = 0
    out = []
    for row in rows + others:
        take = []
        for c in row.comments:
            size += len(c.text.encode()) + len(c.reply) + ITEM_MARKUP
            if shown >= limits.feedback or (shown and size > limits.feedback_bytes):
                break
            take.append(c)
            shown += 1
        out.append(replace(row, comments=tuple(take), hidden_comments=len(row.comments) - len(take)))
    return out, shown


def build_report(days: Sequence[SiteDay], *, owner_email: str, language: str, day: date,
                 limits: Limits = LIMITS, follow: FollowUp | None = None, today: date | None = None) -> Report:
    """Compute an owner's digest for one day from each site's plain input and the follow-up state."""
    words = Words(language)
    follow = follow or FollowUp()
    rows: list[ArticleRow] = []
    held: list[Comment] = []
    bursts: list[Burst] = []
    held_groups: list[HeldVotes] = []
    day_ratings: list[int] = []
    week_ratings: list[int] = []
    totals_votes = totals_sum = totals_articles = 0
    for site_day in days:
        site_rows, site_held = _site_rows(site_day, words, follow)
        rows += site_rows
        held += site_held
        day_ratings += final_ratings(site_day.events).values()
        week_ratings += final_ratings(site_day.previous).values()
        held_groups += held_votes(site_day, {r.article: r.title for r in site_rows})
        bursts += find_bursts(site_day.site, site_day.events, {r.article: r.title for r in site_rows})
        if site_day.totals is not None:
            totals_votes += site_day.totals.votes
            totals_sum += site_day.totals.points
            totals_articles += site_day.totals.articles
        else:
            totals_votes += sum(s.count for s in site_day.articles)
            totals_sum += sum(s.total for s in site_day.articles)
            totals_articles += sum(1 for s in site_day.articles if s.count)
    attention = sorted((r for r in rows if r.needs_attention and not r.snoozed),
                       key=lambda r: (-r.impact, -r.votes, r.title))
    chosen = {(r.site_id, r.article) for r in attention}
    rated = [r for r in rows if r.votes and (r.site_id, r.article) not in chosen]
    best = sorted((r for r in rated if (r.average or 0) >= BEST_MIN and not r.needs_attention),
                  key=lambda r: (-r.weighted, -r.votes, r.title))[: limits.best]
    chosen |= {(r.site_id, r.article) for r in best}
    first = sorted((r for r in rated if r.first_time and (r.site_id, r.article) not in chosen),
                   key=lambda r: (-r.votes, r.title))[: limits.first]
    chosen |= {(r.site_id, r.article) for r in first}
    others = sorted((r for r in rows if r.comments and (r.site_id, r.article) not in
                     {(a.site_id, a.article) for a in attention[: limits.attention]}),
                    key=lambda r: (min(c.at for c in r.comments), r.title))
    listed, shown = _budget(attention[: limits.attention], others, limits)
    comments_total = sum(len(r.comments) for r in rows)
    names = {d.site.id: d.site.name for d in days}
    today_ids = {c.id for r in rows for c in r.comments} | {c.id for c in held}
    reasons = Counter(r for g in held_groups for r in g.reason_list)
    notes = [d.imported for d in days if d.imported is not None]
    headline = Headline(
        votes=len(day_ratings), average=round(sum(day_ratings) / len(day_ratings), 2) if day_ratings else None,
        feedback=comments_total, week_daily_votes=len(week_ratings) / COMPARE_DAYS,
        week_average=round(sum(week_ratings) / len(week_ratings), 2) if week_ratings else None,
        held_votes=sum(g.votes for g in held_groups), held_comments=len(held),
        withdrawn=sum(1 for d in days for e in d.events if e.kind == "withdraw" and not e.quarantined),
    )
    return Report(
        owner_email=owner_email, language=words.language, day=day,
        relative=_relative(day, today), sites=[d.site for d in days], headline=headline,
        attention=listed[: len(attention[: limits.attention])], attention_total=len(attention),
        best=best, first=first, others=[r for r in listed[len(attention[: limits.attention]):] if r.comments],
        comments_total=comments_total, comments_shown=shown,
        held_comments=held, held_votes=held_groups,
        held_reasons={k if k in REASONS else "other": v for k, v in reasons.items()},
        bursts=bursts[: limits.bursts], still_open=_still_open(follow, day, today_ids, names)[: limits.still_open],
        still_open_total=len(_still_open(follow, day, today_ids, names)),
        snoozed=sum(1 for r in rows if r.snoozed and r.needs_attention),
        totals=Totals(votes=totals_votes, articles=totals_articles,
                      average=round(totals_sum / totals_votes, 2) if totals_votes else None,
                      imported_votes=sum(n.votes for n in notes),
                      imported_from=", ".join(dict.fromkeys(n.plugin_name for n in notes)),
                      imported_on=max((n.on for n in notes), default=None)),
        articles_total=sum(1 for r in rows if r.votes), link_version=follow.link_version,
        failed_channels=list(follow.failed_channels),
    )


def _relative(day: date, today: date | None) -> str:
    if today is None or day == today - timedelta(days=1):
        return "yesterday"
    return "today" if day == today else "day"


def shown_items(report: Report) -> list[OpenItem]:
    """Return the comments a digest shows or holds back, as follow-up items to open once it is sent."""
    items = [OpenItem(site=c.site_id, article=c.article, feedback_id=c.id, day=c.at.date().isoformat(),
                      title=c.title, url=c.url, rating=c.rating, held=c.held)
             for r in [*report.attention, *report.others] for c in r.comments]
    items += [OpenItem(site=c.site_id, article=c.article, feedback_id=c.id, day=c.at.date().isoformat(),
                       title=c.title, url=c.url, rating=c.rating, held=c.held) for c in report.held_comments]
    return items


def shrink(report: Report) -> Report | None:
    """Return the report with about a fifth fewer listed rows (comments first), or None if it cannot shrink."""
    if report.comments_shown > 5:
        keep = report.comments_shown - max(1, report.comments_shown // 5)
        left, rows = keep, []
        for r in [*report.attention, *report.others]:
            take = r.comments[: max(0, left)]
            left -= len(take)
            rows.append(replace(r, comments=take, hidden_comments=r.hidden_comments + len(r.comments) - len(take)))
        n = len(report.attention)
        return replace(report, attention=rows[:n], others=[r for r in rows[n:] if r.comments], comments_shown=keep)
    if len(report.attention) > 5:
        return replace(report, attention=report.attention[: len(report.attention) * 4 // 5])
    if len(report.best) > 1 or len(report.first) > 1:
        return replace(report, best=report.best[:1], first=report.first[:1])
    return None

