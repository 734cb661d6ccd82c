"""Signed owner links: settings page, one-click unsubscribe (RFC 8058), forged links."""

from __future__ import annotations

from flask.testing import FlaskClient

from ascolto.digest.links import owner_token, settings_url, unsubscribe_url
from ascolto.ratings import Site
from ascolto.stores.sqlite import SqliteStore
from tests.conftest import make_site


def path(url: str) -> str:
    return url.removeprefix("https://ratings.example.org")


def test_one_click_unsubscribe_turns_every_site_of_the_owner_off(client: FlaskClient, sqlite_store: SqliteStore,
                                                                  site: Site) -> None:
    sqlite_store.put_site(make_site("second", owner_email="OWNER@example.org"))
    sqlite_store.put_site(make_site("someone-else", owner_email="other@example.org"))
    url = path(unsubscribe_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    response = client.post(url, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert {s.id: s.digest_enabled for s in sqlite_store.list_sites()} == {
        "blog": False, "second": False, "someone-else": True}
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_get_never_changes_anything(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    url = path(unsubscribe_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    page = client.get(url)
    assert page.status_code == 200 and b"Stop the daily digest for owner@example.org?" in page.data
    assert client.get(url.removesuffix("/unsubscribe")).status_code == 200
    assert sqlite_store.get_site("blog").digest_enabled is True


def test_settings_page_saves_hour_and_flags(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    url = path(settings_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    page = client.get(url)
    assert page.status_code == 200 and b'<option value="7" selected>07:00</option>' in page.data
    saved = client.post(url, data={"form": "settings", "digest_enabled": "on", "digest_send_empty": "on",
                                   "digest_hour": "9"})
    assert saved.status_code == 200 and b"Saved." in saved.data
    stored = sqlite_store.get_site("blog")
    assert (stored.digest_enabled, stored.digest_send_empty, stored.digest_hour) == (True, True, 9)
    client.post(url, data={"form": "settings", "digest_hour": "99"})
    stored = sqlite_store.get_site("blog")
    assert (stored.digest_enabled, stored.digest_send_empty, stored.digest_hour) == (False, False, 23)


def test_italian_owner_gets_an_italian_page(client: FlaskClient, sqlite_store: SqliteStore) -> None:
    sqlite_store.put_site(make_site("sito", owner_email="proprietaria@example.it", language="it"))
    url = path(settings_url("https://ratings.example.org", "test-secret", "proprietaria@example.it"))
    assert "Impostazioni del riepilogo" in client.get(url).get_data(as_text=True)


def test_forged_or_foreign_links_are_refused(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    forged = owner_token("another-secret", "owner@example.org")
    assert client.post(f"/owner/{forged}/unsubscribe").status_code == 404
    assert client.get(f"/owner/{forged}").status_code == 404
    nobody = owner_token("test-secret", "nobody@example.org")
    assert client.post(f"/owner/{nobody}/unsubscribe").status_code == 404
    assert client.get("/owner/<script>").status_code == 404
    assert b"<script>" not in client.get("/owner/<script>").data
    assert sqlite_store.get_site("blog").digest_enabled is True


UNSUBSCRIBE = "/owner/{}/unsubscribe"


def test_head_never_changes_anything(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    url = path(unsubscribe_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    assert client.head(url).status_code == 200
    assert client.head(url.removesuffix("/unsubscribe")).status_code == 200
    assert sqlite_store.get_site("blog").digest_enabled is True


def test_an_empty_post_changes_nothing(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    url = path(settings_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    assert client.post(url).status_code == 400
    assert client.post(url + "/unsubscribe").status_code == 400
    assert sqlite_store.get_site("blog").digest_enabled is True


def test_cross_site_posts_are_refused(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    url = path(settings_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    form = {"form": "settings", "digest_hour": "3"}
    one_click = {"List-Unsubscribe": "One-Click"}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site", "Origin": "https://ratings.example.org"}):
        assert client.post(url, data=form, headers=headers).status_code == 403, headers
        assert client.post(url + "/unsubscribe", data=one_click, headers=headers).status_code == 403, headers
    stored = sqlite_store.get_site("blog")
    assert (stored.digest_enabled, stored.digest_hour) == (True, 7)
    # Our own page (same origin) saves.
    ok = client.post(url, data=form, headers={"Origin": "https://ratings.example.org", "Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == 200 and sqlite_store.get_site("blog").digest_hour == 3


def test_rfc_8058_one_click_without_origin_still_works(client: FlaskClient, sqlite_store: SqliteStore,
                                                       site: Site) -> None:
    url = path(unsubscribe_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    response = client.post(url, data=b"List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert sqlite_store.get_site("blog").digest_enabled is False


def test_revoked_links_stop_working(client: FlaskClient, sqlite_store: SqliteStore, site: Site) -> None:
    from ascolto import followup

    old = path(settings_url("https://ratings.example.org", "test-secret", "owner@example.org"))
    assert client.get(old).status_code == 200
    version = followup.bump_link_version(sqlite_store, "owner@example.org")
    assert client.get(old).status_code == 404
    assert client.post(old + "/unsubscribe", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert sqlite_store.get_site("blog").digest_enabled is True
    new = path(settings_url("https://ratings.example.org", "test-secret", "owner@example.org", version))
    assert client.get(new).status_code == 200
