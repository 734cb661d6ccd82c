"""What a site's digest says about its imported numbers: one small record per site, written by each import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ascolto.stores.base import Store

KIND = "import-run"  # key: the site id


@dataclass(frozen=True)
class ImportNote:
    """The votes and articles a site's imports hold now, the last plugin they came from, and when."""

    plugin_name: str
    on: date
    votes: int
    articles: int


def import_note(store: Store, site_id: str) -> ImportNote | None:
    """Return a site's import note, or None when nothing was imported."""
    data = store.get_record(KIND, site_id)
    if not data or not data.get("votes"):
        return None
    return ImportNote(plugin_name=str(data["plugin_name"]), on=datetime.fromisoformat(str(data["at"])).date(),
                      votes=int(data["votes"]), articles=int(data["articles"]))


def write_note(store: Store, site_id: str, plugin_name: str, at: datetime, votes: int, articles: int) -> None:
    """Keep what a site's imports hold after an import or an undo."""
    if votes:
        store.put_record(KIND, site_id, {"plugin_name": plugin_name, "at": at.isoformat(), "votes": votes,
                                         "articles": articles})
    else:
        store.delete_record(KIND, site_id)
