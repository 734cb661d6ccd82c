"""CSV that a spreadsheet opens as text: reader-written cells never start a formula.

OWASP's advice on CSV injection: a cell that begins with `=`, `+`, `-` or `@`, or with a tab
or carriage return, may run as a formula (`=HYPERLINK(...)`, DDE) when the owner opens the
file in Excel, LibreOffice or Google Sheets. Such a cell is written with a leading `'`, which
spreadsheets take as "this is text" and do not show.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Return a text cell prefixed with `'` if a spreadsheet would read it as a formula; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(stream: TextIO, fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write a header and rows as CSV, every text cell neutralised."""
    writer = csv.DictWriter(stream, fieldnames=fieldnames)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: neutralise(value) for name, value in row.items()})
