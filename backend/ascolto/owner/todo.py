"""The owner's open list and its actions, one signed page for every site of the owner.

- GET  /owner/<token>/open   everything open: comments, held-back comments and votes, snoozes,
                             and what was dealt with lately (to reopen)
- GET  /owner/<token>/act    a page that shows one item and the button that acts on it
- POST /owner/<token>/act    act: handled, spam, open (reopen or show a held-back comment),
                             snooze, unsnooze, release, discard
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flask import Response, request, url_for

from ascolto import followup
from ascolto.digest.collect import day_window
from ascolto.digest.comments import reply_link
from ascolto.errors import NotFound
from ascolto.owner.common import OwnerView, bp, cross_site, owner_view, page, refused, services
from ascolto.ratings import Event, Site
from ascolto.voting import quarantined

ACTIONS = ("handled", "spam", "open", "snooze", "unsnooze", "release", "discard")


def _texts(sites: dict[str, Site], items: list[followup.OpenItem]) -> dict[str, Event]:
    """Return the feedback events behind items, reading each (site, day) once."""
    store = services().store
    days: dict[tuple[str, str], None] = {}
    for item in items:
        if item.site in sites:
            days[(item.site, item.day)] = None
    found: dict[str, Event] = {}
    for site_id, day in days:
        start, end = day_window(sites[site_id].zone, date.fromisoformat(day))
        found.update({e.id: e for e in store.events(sites[site_id], start, end) if e.kind == "feedback"})
    return found


def _entries(view: OwnerView, items: list[followup.OpenItem]) -> list[dict[str, Any]]:
    sites = {s.id: s for s in view.sites}
    events = _texts(sites, items)
    out = []
    for item in items:
        event = events.get(item.feedback_id)
        text = event.text.strip() if event else ""
        email = event.contact_email.strip() if event else ""
        out.append({"item": item, "text": text, "email": email, "site_name": sites[item.site].name,
                    "reply": reply_link(email, item.title, item.url, text, view.words) if text and not item.held
                    else ""})
    return out


def _held_votes(view: OwnerView) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for site in view.sites:
        for vote in quarantined(services().store, site.id):
            groups[(site.id, vote.article)].append(vote)
    names = {s.id: s.name for s in view.sites}
    return [{"site": site_id, "site_name": names[site_id], "article": article, "votes": len(votes),
             "title": next((v.title for v in votes if v.title), article)}
            for (site_id, article), votes in sorted(groups.items())]


@bp.get("/<token>/open")
def open_list(token: str) -> Response:
    """Show everything open for the owner across their sites, each with its buttons."""
    view = owner_view(token)
    if isinstance(view, Response):
        return view
    store = services().store
    today = services().clock().astimezone(view.sites[0].zone).date()
    items = [i for i in followup.open_items(store, view.email) if i.site in {s.id for s in view.sites}]
    done = [followup.OpenItem.from_data(data) for site in view.sites
            for _, data in store.records(followup.DONE, prefix=f"{view.email}/{site.id}/")]
    snoozes = [{"site": s.id, "site_name": s.name, "article": a, "until": u}
               for s in view.sites for a, u in followup.snoozed(store, s.id, today).items()]
    entries = _entries(view, items)
    return page("owner_todo.html", view.words, view="list", token=token, email=view.email, sites=view.sites,
                comments=[e for e in entries if not e["item"].held], held=[e for e in entries if e["item"].held],
                held_votes=_held_votes(view), snoozes=snoozes, done=done[-20:],
                act=url_for("owner.act", token=token), settings_link=url_for("owner.settings_page", token=token))


@bp.route("/<token>/act", methods=["GET", "POST"])
def act(token: str) -> Response:
    """Show one item and its button (GET, HEAD); act on it (POST from the page)."""
    view = owner_view(token)
    if isinstance(view, Response):
        return view
    source = request.form if request.method == "POST" else request.args
    do, site_id, item = source.get("do", ""), source.get("site", ""), source.get("item", "")
    site = next((s for s in view.sites if s.id == site_id), None)
    context: dict[str, Any] = {"token": token, "email": view.email, "sites": view.sites, "do": do,
                               "site": site_id, "item": item, "act": url_for("owner.act", token=token),
                               "list_link": url_for("owner.open_list", token=token)}
    if do not in ACTIONS or site is None or not item:
        return page("owner_todo.html", view.words, 400, view="gone", **context)
    if request.method != "POST":
        found = [i for i in followup.open_items(services().store, view.email)
                 if i.site == site_id and i.feedback_id == item]
        entry = _entries(view, found)[0] if found else None
        title = next((i.title for i in found), "") or item
        return page("owner_todo.html", view.words, view="confirm", entry=entry, title=title, **context)
    if cross_site():
        return refused(view)
    try:
        message = _apply(view, site, do, item)
    except NotFound:
        return page("owner_todo.html", view.words, 404, view="gone", **context)
    return page("owner_todo.html", view.words, view="done", message=message, **context)


def _apply(view: OwnerView, site: Site, do: str, item: str) -> str:
    """Do one action; return what to tell the owner."""
    parts = services()
    w = view.words
    now = parts.clock()
    if do in ("handled", "spam", "open"):
        followup.set_status(parts.store, view.email, site.id, item, do, now)
        return w(f"done_{do}")
    if do == "snooze":
        until = followup.snooze(parts.store, site.id, item, now.astimezone(site.zone).date())
        return w("done_snooze", day=w.day(until))
    if do == "unsnooze":
        followup.unsnooze(parts.store, site.id, item)
        return w("done_unsnooze")
    count = followup.resolve_votes(parts.store, site.id, item, release=do == "release")
    if not count:
        raise NotFound("no held-back votes on this article")
    return w(f"done_{do}", votes=w.count("vote", count))
