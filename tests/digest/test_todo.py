"""The owner's open list and actions through the app: GET shows, POST acts, the next digest follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from ascolto import followup
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import quarantined
from tests.digest.flow import DAY, html_links, seed, send_digest

ORIGIN = {"Origin": "https://ratings.example.org", "Sec-Fetch-Site": "same-origin"}


def path(url: str) -> str:
    return url.removeprefix("https://ratings.example.org")


def test_mark_handled_from_the_email_then_tomorrow_leaves_it_out(client: FlaskClient, sqlite_store: SqliteStore,
                                                                  settings: Settings) -> None:
    sqlite_store.list_sites()  # the app's site fixture registered the blog; seed adds the day
    seed(sqlite_store)
    message = send_digest(sqlite_store, settings)
    handled = [path(u) for u in html_links(message, "do=handled")]
    assert len(handled) == 2  # the spam comment is held back: no text, no buttons in the email
    open_before = followup.open_items(sqlite_store, "owner@example.org")
    assert len(open_before) == 3 and sum(1 for i in open_before if i.held) == 1
    # GET and HEAD show the comment and a button, and change nothing.
    page = client.get(handled[0])
    assert page.status_code == 200 and b'data-do="handled"' in page.data
    assert client.head(handled[0]).status_code == 200
    assert len(followup.open_items(sqlite_store, "owner@example.org")) == 3
    # The page's button POSTs.
    query = dict(p.split("=") for p in handled[0].split("?")[1].split("&"))
    done = client.post(handled[0].split("?")[0], data=query, headers=ORIGIN)
    assert done.status_code == 200 and b"Marked as handled." in done.data
    left = followup.open_items(sqlite_store, "owner@example.org")
    assert len(left) == 2 and query["item"] not in {i.feedback_id for i in left}
    # Tomorrow's digest: what is still open is listed with its age; the handled comment is not.
    tomorrow = send_digest(sqlite_store, settings, DAY + timedelta(days=1), datetime(2026, 11, 21, 6, 0, tzinfo=UTC))
    text = tomorrow.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "== Still open ==" in text and "2 comments, open for 2 days" in text
    assert "still open" in tomorrow["Subject"]


def test_the_open_list_acts_on_everything(client: FlaskClient, sqlite_store: SqliteStore,
                                          settings: Settings) -> None:
    seed(sqlite_store)
    message = send_digest(sqlite_store, settings)
    [todo] = {path(u) for u in html_links(message, "/open")}
    page = client.get(todo).get_data(as_text=True)
    assert "The table says 54 °C" in page and "Dear friend" in page  # held-back text is reviewable here
    assert "3 votes" in page  # held-back votes
    act = todo.removesuffix("/open") + "/act"
    held = next(i for i in followup.open_items(sqlite_store, "owner@example.org") if i.held)
    spam = {"do": "spam", "site": "blog", "item": held.feedback_id}
    assert client.post(act, data=spam, headers=ORIGIN).status_code == 200
    assert followup.status_of(sqlite_store, "owner@example.org", "blog", held.feedback_id) == "spam"
    reopen = {"do": "open", "site": "blog", "item": held.feedback_id}
    assert client.post(act, data=reopen, headers=ORIGIN).status_code == 200
    assert followup.status_of(sqlite_store, "owner@example.org", "blog", held.feedback_id) == "open"
    assert client.post(act, data={"do": "release", "site": "blog", "item": "/pasta"}, headers=ORIGIN).status_code == 200
    assert quarantined(sqlite_store, "blog") == [] and sqlite_store.summary("blog", "/pasta").count == 3
    assert client.post(act, data={"do": "release", "site": "blog", "item": "/pasta"}, headers=ORIGIN).status_code == 404
    assert client.post(act, data={"do": "snooze", "site": "blog", "item": "/steak"}, headers=ORIGIN).status_code == 200
    assert "/steak" in followup.snoozed(sqlite_store, "blog", DAY + timedelta(days=2))
    # A cross-site form does nothing; nor do unknown actions or another owner's site.
    assert client.post(act, data={"do": "unsnooze", "site": "blog", "item": "/steak"},
                       headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post(act, data={"do": "drop", "site": "blog", "item": "x"}, headers=ORIGIN).status_code == 400
    assert client.post(act, data={"do": "handled", "site": "shop", "item": "x"}, headers=ORIGIN).status_code == 400
    assert "/steak" in followup.snoozed(sqlite_store, "blog", DAY + timedelta(days=2))


def test_a_snoozed_article_is_left_out_of_tomorrows_digest(client: FlaskClient, sqlite_store: SqliteStore,
                                                           settings: Settings) -> None:
    seed(sqlite_store)
    followup.snooze(sqlite_store, "blog", "/steak", DAY)
    message = send_digest(sqlite_store, settings)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Snoozed and left out: 1." in text
    assert "needs you" not in message["Subject"]


