"""Reader comments as the owner reads them: problem or praise, the most telling one, the Reply link.

- A comment *reports a problem* when its reader rated the article 3 or less, or when it asks
  a question or names a fault ("wrong", "doesn't work", "sbagliato", "non funziona" ...).
  Otherwise it is praise: shown, never counted as something to fix.
- The *most telling* comment of an article is a problem before praise, then the one from the
  lowest rating, then the longest (a specific report says more than "bad"), then the earliest.
- Reply links follow RFC 6068: CRLF line breaks (%0D%0A), UTF-8 percent-encoding, the quote
  cut at QUOTE_CHARS with "…", and the article's link in the body. An internationalised
  address keeps its UTF-8 local part (percent-encoded) and gets its domain in IDNA form.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from ascolto.digest.i18n import Words
from ascolto.ratings import Site, normalize_origin

QUOTE_CHARS = 300
URL_SAFE = "/%-._~!$&*+,;=:@"
PROBLEM = re.compile(
    r"\?|\b(?:wrong|error|errors|mistake|typo|broken|bug|fails?|failed|missing|outdated|incorrect|confus\w*|"
    r"unclear|doesn'?t|don'?t|didn'?t|can'?t|cannot|won'?t|isn'?t|not work\w*|contradict\w*|raw|burnt|"
    r"sbagliat\w*|errore|errori|refuso|manca|mancano|non funziona|non va|non capisco|confus\w*|non chiaro|"
    r"contraddi\w*|obsolet\w*)\b",
    re.IGNORECASE,
)


def is_problem(text: str, rating: int | None) -> bool:
    """Tell whether a comment reports a problem (see the module's definition)."""
    return (rating is not None and rating <= 3) or bool(PROBLEM.search(text))


def telling_order(text: str, rating: int | None, problem: bool) -> tuple[int, int, int]:
    """Return a sort key: most telling first."""
    return (0 if problem else 1, rating if rating is not None else 3, -len(text))


def safe_link(url: str, site: Site, article: str) -> str:
    """Return an http(s) link on one of the site's origins, or '' (reader-sent URLs are untrusted)."""
    for candidate in (url, site.article_url(article)):
        try:
            parts = urlsplit(candidate.strip())
            origin = normalize_origin(candidate)
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and origin in site.origins:
            # Re-encode the path and query, so the link holds no space, quote or angle bracket.
            path = quote(parts.path, safe=URL_SAFE) or "/"
            query = f"?{quote(parts.query, safe=URL_SAFE + '?')}" if parts.query else ""
            return f"{origin}{path}{query}"
    return ""


def clean_title(title: str, article: str) -> str:
    """Return a one-line title: control and line-separator characters become spaces."""
    text = "".join(" " if (ord(c) < 32 or c in "\u2028\u2029\x85\x7f") else c for c in (title or article))
    return " ".join(text.split())[:200] or article[:200]


def cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """Return text cut at a word boundary near limit, marked with '…' when anything was cut."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 0.6 else head).rstrip() + "…"


def mail_address(email: str) -> str:
    """Return a contact address fit for a mailto: link (IDNA domain), or '' if it is not an address."""
    email = email.strip()
    local, _, domain = email.rpartition("@")
    if not local or not domain or "." not in domain or len(email) > 254:
        return ""
    if any(ord(c) < 33 or ord(c) == 127 or c in '<>()[]\\,;:"@' for c in local + domain):
        return ""
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    return f"{local}@{ascii_domain}"


def reply_link(email: str, title: str, url: str, text: str, words: Words) -> str:
    """Return an RFC 6068 mailto: with subject, the article's link and a cut quote, or '' for no address."""
    address = mail_address(email)
    if not address:
        return ""
    quoted = "\n".join("> " + line for line in cut(text).splitlines())
    subject = words("reply_subject", title=title)
    body = words("reply_body", title=title, link=f" ({url})" if url else "", quote=quoted)
    crlf = "\r\n".join(body.splitlines()) + "\r\n"
    return (f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(crlf, safe='')}")
