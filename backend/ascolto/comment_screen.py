"""Screen a reader's comment before it reaches the owner's inbox: links and spam are held back.

`hold_reason(text, contact_email)` is pure: it returns '' for a comment that may be shown, or
the reason it is held back. Held-back comments are counted and listed by reason in the digest
(their text is not put in the email, so a reader's spam cannot make the owner's own report look
like spam) and can be reviewed on the owner's page, where the owner publishes or hides them.

Reasons:
- "link": the text carries a web address or a domain name (readers rarely need one; spammers do).
- "spam": the text looks like spam (money, pills, casinos, "dear friend", shouting, runs of symbols).
"""

from __future__ import annotations

import re
import unicodedata

REASONS = {"link": "contains a link", "spam": "looks like spam"}

LINK = re.compile(
    r"(?:https?://|www\.|\b[a-z0-9-]{2,63}\.(?:com|net|org|info|biz|ru|cn|xyz|top|io|co|me|shop|online|site|club|"
    r"live|click|link|pw|tk|ml|ga|cf|gq|it|de|uk|fr|es|nl|pl|su|ua|in|us)\b(?:/|\s|$))",
    re.IGNORECASE,
)
# Words a reader of a blog post almost never writes; each is matched whole, case and accents folded,
# with digit-for-letter swaps undone (V1AGRA, CA5INO).
SPAM_WORDS = (
    "viagra", "cialis", "casino", "crypto", "bitcoin", "forex", "loan", "loans", "lottery", "jackpot",
    "dear friend", "beneficiary", "inheritance", "wire transfer", "western union", "make money",
    "earn money", "work from home", "click here", "buy now", "limited offer", "100% free", "free money",
    "seo services", "backlinks", "guest post", "porn", "xxx", "escort", "pills", "pharmacy", "replica",
    "guadagna", "guadagnare soldi", "prestito", "scommesse",
)
DIGITS_AS_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
MONEY = re.compile(r"[$€£]{2,}|\b\d[\d.,]*\s?(?:usd|eur|dollars?)\b|\$\s?\d", re.IGNORECASE)
SYMBOL_RUN = re.compile(r"([!?$*#%])\1{3,}")


def _fold(text: str) -> str:
    """Return text lowercased, without accents, and with digits read as the letters they stand for."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(plain.translate(DIGITS_AS_LETTERS).split())


def _shouting(text: str) -> bool:
    """Tell whether most letters of a longer text are capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.7


def hold_reason(text: str, contact_email: str = "") -> str:
    """Return why a comment is held back ('link' or 'spam'), or '' when it may be shown."""
    if LINK.search(text):
        return "link"
    folded = f" {_fold(text)} "
    hits = sum(1 for word in SPAM_WORDS if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded))
    signals = hits + bool(MONEY.search(text)) + bool(SYMBOL_RUN.search(text)) + _shouting(text)
    email = contact_email.strip().lower()
    if email and any(word.replace(" ", "") in _fold(email) for word in ("viagra", "casino", "loan", "seo")):
        signals += 1
    # One spammy word can be innocent ("a loan of flour"); two signals rarely are.
    return "spam" if signals >= 2 or (hits and len(text) < 40 and text.isupper()) else ""
