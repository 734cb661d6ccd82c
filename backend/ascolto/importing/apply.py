"""Writing an import plan: each article's imported numbers as a record, then its aggregate recounted.

The record comes first and is the truth: the aggregate is then set to the article's votes plus
that record, conditional on its version (`voting.recount`). A process that dies between the two
leaves nothing a re-run of the same import does not repair, and a re-import replaces the numbers
of the articles it names instead of adding them again. Imported feedback keeps a request id
naming the plugin, post and entry, so it is never imported twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ascolto.comment_screen import hold_reason
from ascolto.digest.totals import site_totals
from ascolto.importing.note import write_note
from ascolto.importing.plan import PLUGIN_NAMES, ImportedArticle, ImportPlan
from ascolto.ratings import Event, Site, local_day
from ascolto.stores.base import Store
from ascolto.voting import imported_kind, recount

_PREFIX = "import:"


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    articles: int
    votes: int
    feedback: int
    busy: tuple[str, ...] = ()  # articles whose votes kept landing: run the import again


def apply_import(store: Store, plan: ImportPlan, now: datetime) -> ImportResult:
    """Write a plan's numbers and feedback; return what was written."""
    site = plan.site
    seen = {e.request_id for e in store.site_feedback(site.id) if e.request_id.startswith(_PREFIX)} \
        if plan.feedback else set()  # only feedback needs the site's feedback read
    busy, feedback = [], 0
    for item in plan.articles:
        if item.count:
            store.put_record(imported_kind(site.id), item.article, _record(plan, item, now))
        else:  # feedback only: no numbers, and none left from an earlier import
            store.delete_record(imported_kind(site.id), item.article)
        # No in-flight wait: both stores write a vote and its aggregate change together, except
        # DynamoDB, whose vote a crash can part from its ADD; the hourly reconcile repairs that.
        # A new article is first counted now (or at its oldest imported feedback): its days of
        # events start there, which is what removing the site reads back (site_removal).
        first = min([now, *(f.at for f in item.feedback if f.at is not None)])
        if recount(store, site, item.article, now, in_flight=timedelta(0), title=item.title,
                   url=site.article_url(item.article), first_at=first) == "busy":
            busy.append(item.article)
        feedback += _add_feedback(store, plan, item, seen)
    _note(store, site, PLUGIN_NAMES[plan.plugin], now)
    site_totals(store, site.id, [store.summary(site.id, a.article) for a in plan.articles])
    return ImportResult(articles=len(plan.articles), votes=plan.votes, feedback=feedback, busy=tuple(busy))


def remove_import(store: Store, site: Site, now: datetime) -> int:
    """Take every imported number out of a site's aggregates (feedback stays); return how many articles."""
    kind = imported_kind(site.id)
    articles = [key for key, _ in store.records(kind)]
    for article in articles:
        store.delete_record(kind, article)
        recount(store, site, article, now, in_flight=timedelta(0))
    _note(store, site, "", now)
    site_totals(store, site.id, [store.summary(site.id, a) for a in articles])
    return len(articles)


def imported_from(request_id: str) -> str:
    """Return the plugin an imported feedback came from ('' for a reader's own)."""
    return request_id.split(":")[1] if request_id.startswith(_PREFIX) else ""


def _record(plan: ImportPlan, item: ImportedArticle, now: datetime) -> dict[str, object]:
    return {"plugin": plan.plugin, "count": item.count, "total": item.total, "stored_total": item.stored_total,
            "stars": plan.stars, "post_id": item.post_id, "link": item.link, "title": item.title,
            "published": item.published.isoformat() if item.published else "", "imported_at": now.isoformat()}


def _add_feedback(store: Store, plan: ImportPlan, item: ImportedArticle, seen: set[str]) -> int:
    added = 0
    for entry in item.feedback:
        request_id = f"{_PREFIX}{plan.plugin}:{item.post_id}:{entry.id}"
        if request_id in seen or entry.at is None:
            continue
        reason = hold_reason(entry.text)
        store.add_event(Event(kind="feedback", site=plan.site.id, article=item.article, voter=f"{_PREFIX}{plan.plugin}",
                              at=entry.at, title=item.title, url=plan.site.article_url(item.article), text=entry.text,
                              quarantined=bool(reason), quarantine_reason=reason, request_id=request_id),
                        local_day(entry.at, plan.site))
        seen.add(request_id)
        added += 1
    return added


def _note(store: Store, site: Site, plugin_name: str, now: datetime) -> None:
    records = store.records(imported_kind(site.id))
    write_note(store, site.id, plugin_name, now, votes=sum(int(data["count"]) for _, data in records),
               articles=len(records))
