"""The follow-up rules over record primitives: open, handled, spam, reopen, snooze, link versions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ascolto import followup
from ascolto.errors import NotFound
from ascolto.followup import OpenItem
from tests.digest.records import MemoryRecords

NOW = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


def item(fid: str, day: str = "2026-11-19", site: str = "blog") -> OpenItem:
    return OpenItem(site=site, article="/a", feedback_id=fid, day=day, title="A post")


def test_shown_comments_open_once_and_handling_deletes_the_open_record() -> None:
    store = MemoryRecords()
    assert followup.note_shown(store, "Owner@Example.org", [item("f1"), item("f2")], NOW) == 2
    assert followup.note_shown(store, "owner@example.org", [item("f1")], NOW) == 0
    assert [i.feedback_id for i in followup.open_items(store, "owner@example.org")] == ["f1", "f2"]
    followup.set_status(store, "owner@example.org", "blog", "f1", "handled", NOW)
    assert [i.feedback_id for i in followup.open_items(store, "owner@example.org")] == ["f2"]
    # Only open items are stored as open: the list never grows with history.
    assert len(store.records(followup.OPEN)) == 1
    assert followup.status_of(store, "owner@example.org", "blog", "f1") == "handled"
    assert followup.dealt_with(store, "owner@example.org", "blog") == {"f1"}
    # A dealt-with comment is not reopened by a later digest that shows it again.
    assert followup.note_shown(store, "owner@example.org", [item("f1")], NOW) == 0


def test_reopen_and_spam() -> None:
    store = MemoryRecords()
    followup.note_shown(store, "o@example.org", [item("f1")], NOW)
    followup.set_status(store, "o@example.org", "blog", "f1", "spam", NOW)
    assert followup.status_of(store, "o@example.org", "blog", "f1") == "spam"
    reopened = followup.set_status(store, "o@example.org", "blog", "f1", "open", NOW)
    assert reopened.title == "A post"
    assert followup.status_of(store, "o@example.org", "blog", "f1") == "open"
    with pytest.raises(NotFound):
        followup.set_status(store, "o@example.org", "blog", "nope", "handled", NOW)
    with pytest.raises(NotFound):  # another owner's comment is not theirs to touch
        followup.set_status(store, "intruder@example.org", "blog", "f1", "handled", NOW)
    with pytest.raises(ValueError):
        followup.set_status(store, "o@example.org", "blog", "f1", "deleted", NOW)


def test_a_held_back_comment_reopens_as_shown() -> None:
    store = MemoryRecords()
    followup.note_shown(store, "o@example.org", [OpenItem("blog", "/a", "f1", "2026-11-19", held="link")], NOW)
    assert followup.open_items(store, "o@example.org")[0].held == "link"
    followup.set_status(store, "o@example.org", "blog", "f1", "open", NOW)
    assert followup.open_items(store, "o@example.org")[0].held == ""


def test_snooze_lasts_a_week() -> None:
    store = MemoryRecords()
    until = followup.snooze(store, "blog", "/a", date(2026, 11, 20))
    assert until == date(2026, 11, 26)
    assert followup.snoozed(store, "blog", date(2026, 11, 26)) == {"/a": until}
    assert followup.snoozed(store, "blog", date(2026, 11, 27)) == {}
    assert followup.snoozed(store, "other", date(2026, 11, 21)) == {}
    followup.unsnooze(store, "blog", "/a")
    assert followup.snoozed(store, "blog", date(2026, 11, 21)) == {}


def test_link_versions_start_at_zero_and_bump() -> None:
    store = MemoryRecords()
    assert followup.link_version(store, "O@example.org") == 0
    assert followup.bump_link_version(store, "o@example.org") == 1
    assert followup.bump_link_version(store, "O@EXAMPLE.ORG") == 2
    assert followup.link_version(store, "o@example.org") == 2
