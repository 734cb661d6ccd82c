"""A small, safe reader of PHP `serialize()` output, for the post meta WordPress exports.

It reads scalars and arrays only. Objects (`O:`, `C:`), references (`r:`, `R:`), anything malformed and
arrays nested deeper than `MAX_DEPTH` raise ValueError: a meta value is data from someone else's database,
so nothing in it may name a class to build or point back into itself.
"""

from __future__ import annotations

import math
import re

MAX_DEPTH = 8

PhpScalar = None | bool | int | float | str
PhpValue = PhpScalar | dict[int | str, "PhpValue"]

_INT = re.compile(rb"[+-]?\d+")
_FLOAT = re.compile(rb"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> PhpValue:
    """Read one serialized PHP value; a PHP array becomes a dict that keeps its keys and their order."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    reader = _Reader(raw, max_depth)
    value = reader.value(0)
    if reader.pos != len(raw):
        raise ValueError(f"unexpected data after the value at byte {reader.pos}")
    return value


class _Reader:
    """Walk the bytes once; `pos` is the next byte to read."""

    def __init__(self, raw: bytes, max_depth: int) -> None:
        self.raw = raw
        self.pos = 0
        self.max_depth = max_depth

    def value(self, depth: int) -> PhpValue:
        kind = self.raw[self.pos : self.pos + 2]
        if kind == b"N;":
            self.pos += 2
            return None
        if kind == b"b:":
            self.pos += 2
            flag = self._until(b";")
            if flag not in (b"0", b"1"):
                raise ValueError(f"boolean {flag!r} at byte {self.pos} is neither 0 nor 1")
            return flag == b"1"
        if kind == b"i:":
            self.pos += 2
            return self._int(self._until(b";"))
        if kind == b"d:":
            self.pos += 2
            return self._float(self._until(b";"))
        if kind == b"s:":
            self.pos += 2
            return self._string()
        if kind == b"a:":
            if depth >= self.max_depth:
                raise ValueError(f"arrays nested deeper than {self.max_depth}")
            self.pos += 2
            return self._array(depth + 1)
        if kind[:1] in (b"O", b"C", b"r", b"R", b"E"):
            raise ValueError(f"refused {kind[:1].decode('ascii')!r} (objects and references) at byte {self.pos}")
        raise ValueError(f"unknown type {kind!r} at byte {self.pos}")

    def _until(self, end: bytes) -> bytes:
        stop = self.raw.find(end, self.pos)
        if stop < 0:
            raise ValueError(f"missing {end.decode('ascii')!r} after byte {self.pos}")
        token = self.raw[self.pos : stop]
        self.pos = stop + 1
        return token

    def _expect(self, literal: bytes) -> None:
        if self.raw[self.pos : self.pos + len(literal)] != literal:
            raise ValueError(f"expected {literal.decode('ascii')!r} at byte {self.pos}")
        self.pos += len(literal)

    def _int(self, token: bytes) -> int:
        if not _INT.fullmatch(token) or len(token) > 20:
            raise ValueError(f"integer {token[:30]!r} is malformed")
        return int(token)

    def _float(self, token: bytes) -> float:
        # PHP also writes INF, -INF and NAN; no rating or time is one, so they count as malformed
        if not _FLOAT.fullmatch(token) or len(token) > 40:
            raise ValueError(f"number {token[:30]!r} is malformed")
        number = float(token)
        if not math.isfinite(number):
            raise ValueError(f"number {token[:30]!r} is out of range")
        return number

    def _string(self) -> str:
        length = self._int(self._until(b":"))
        # the length counts bytes of the UTF-8 text, not characters
        if length < 0 or self.pos + 1 + length + 2 > len(self.raw):
            raise ValueError(f"string length {length} runs past the end")
        self._expect(b'"')
        chunk = self.raw[self.pos : self.pos + length]
        self.pos += length
        self._expect(b'";')
        try:
            return chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"string before byte {self.pos} is not UTF-8") from exc

    def _array(self, depth: int) -> dict[int | str, PhpValue]:
        size = self._int(self._until(b":"))
        # each entry takes at least 6 bytes (`i:0;N;`); a larger count is a lie, refuse it early
        if size < 0 or size * 6 > len(self.raw) - self.pos:
            raise ValueError(f"array size {size} does not fit the data")
        self._expect(b"{")
        items: dict[int | str, PhpValue] = {}
        for _ in range(size):
            prefix = self.raw[self.pos : self.pos + 2]
            if prefix not in (b"i:", b"s:"):
                raise ValueError(f"array key at byte {self.pos} is neither an integer nor a string")
            self.pos += 2
            key: int | str = self._int(self._until(b";")) if prefix == b"i:" else self._string()
            items[key] = self.value(depth)
        self._expect(b"}")
        return items
