"""The demo day's digest (the demo week, whose last day has three reader spam comments) in the inbox.

Prints, for English and Italian: the subject, the first line, the HTML and whole-message sizes,
and Debian SpamAssassin's score of the raw message with the rules that fired (local rules only).

    .venv/bin/python bench/digest_inbox.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from ascolto.digest.collect import collect_site  # noqa: E402
from ascolto.digest.demo import seed_demo  # noqa: E402
from ascolto.digest.render import compose, lead, render  # noqa: E402
from ascolto.digest.report import build_report  # noqa: E402
from ascolto.mail.base import wire_bytes  # noqa: E402
from ascolto.ratings import Site  # noqa: E402
from ascolto.settings import Settings  # noqa: E402
from ascolto.stores.sqlite import SqliteStore  # noqa: E402

DAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def spamassassin(raw: bytes, home: Path) -> str:
    """Return 'score (rules)' from SpamAssassin, or why it could not run."""
    binary = shutil.which("spamassassin")
    if not binary:
        return "spamassassin not installed (make test-deps)"
    out = subprocess.run([binary, "-L", "-t"], input=raw, capture_output=True, check=True,
                         env={**os.environ, "HOME": str(home)}).stdout.decode("utf-8", "replace")
    found = re.search(r"X-Spam-Status: \w+, score=(-?[\d.]+) required=[\d.]+ tests=(.*?) autolearn",
                      out.replace("\n\t", " "), re.DOTALL)
    return f"{found.group(1)} ({found.group(2)})" if found else "no X-Spam-Status"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for language in ("en", "it"):
            store = SqliteStore(Path(folder) / f"{language}.db")
            site = Site(id="demo", name="Slow Kitchen", owner_email="owner@example.org",
                        origins=("https://slowkitchen.example",), timezone="Europe/Rome", language=language,
                        created_at="2026-01-01T00:00:00+00:00")
            store.put_site(site)
            seed_demo(store, site, DAY)
            settings = Settings(data_dir=Path(folder), secret="bench", public_url="https://ratings.example.org",
                                mail_from="digest@ratings.example.org")
            report = build_report([collect_site(store, site, DAY, NOW)], owner_email=site.owner_email,
                                  language=language, day=DAY, today=DAY.fromordinal(DAY.toordinal() + 1))
            rendered = render(report, settings)
            raw = wire_bytes(compose(report, rendered, settings, NOW))
            print(f"== {language}")
            print(f"subject: {rendered.subject}")
            print(f"first line: {lead(report)}")
            print(f"HTML: {len(rendered.html.encode()):,} bytes; text: {len(rendered.text.encode()):,} bytes; "
                  f"message: {len(raw):,} bytes")
            print(f"SpamAssassin (spamassassin -L -t): {spamassassin(raw, Path(folder))}")
            store.close()


if __name__ == "__main__":
    main()
