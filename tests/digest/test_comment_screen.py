"""hold_reason: links and spam are held back; ordinary comments, praise and criticism are not."""

from __future__ import annotations

import pytest

from ascolto.comment_screen import hold_reason

FINE = [
    "The table says 54 °C for medium but the photo is clearly well done. Which one is right?",
    "Thanks!",
    "Steps 3 and 4 contradict each other about searing before or after the bath.",
    "Worked for me on day 6. Maybe mention that a cold kitchen slows everything down.",
    "Grazie, finalmente una spiegazione chiara. Ho solo un dubbio sul punto 3.",
    "I borrowed a loan of flour from my neighbour, ha.",
    "WOW",
]
HELD = [
    ("Dear friend, I have an offer for you. Cheap V1AGRA and CIAL1S, $$$ guaranteed!!!!", "spam"),
    ("Great post! Check my site https://best-deals.example/shop for more", "link"),
    ("visit www.casino-wins.example now", "link"),
    ("Earn money from home, click here", "spam"),
    ("MAKE MONEY FAST WITH BITCOIN AND FOREX TODAY", "spam"),
    ("great recipes at cheapmeds.ru/pills", "link"),
]


@pytest.mark.parametrize("text", FINE)
def test_ordinary_comments_pass(text: str) -> None:
    assert hold_reason(text, "reader@example.com") == ""


@pytest.mark.parametrize(("text", "reason"), HELD)
def test_links_and_spam_are_held(text: str, reason: str) -> None:
    assert hold_reason(text, "") == reason
