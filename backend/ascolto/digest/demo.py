"""Seed a store with a plausible week of votes and feedback, for previews and screenshots."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ascolto.digest.collect import day_window
from ascolto.ratings import Feedback, Site, Vote, local_day
from ascolto.stores.base import Store
from ascolto.voting import add_feedback, record_vote

# (path, title, typical rating, votes a day, how yesterday went)
ARTICLES = (
    ("/posts/sourdough-starter", "A sourdough starter in seven days", 4.6, 14, "steady"),
    ("/posts/cast-iron-care", "Caring for cast iron without the myths", 4.3, 9, "steady"),
    ("/posts/weeknight-risotto", "Weeknight risotto, no stirring", 4.1, 11, "drop"),
    ("/posts/knife-sharpening", "Sharpening a kitchen knife on a whetstone", 3.9, 6, "steady"),
    ("/posts/fermented-hot-sauce", "Fermented hot sauce, step by step", 4.4, 5, "steady"),
    ("/posts/pasta-by-hand", "Fresh pasta by hand: the ratios that work", 4.7, 8, "steady"),
    ("/posts/sous-vide-steak", "Sous-vide steak: times and temperatures", 2.6, 7, "low"),
    ("/posts/meal-prep-sunday", "Meal prep on Sunday for a week of lunches", 3.6, 4, "steady"),
    ("/posts/bread-flour-guide", "Which flour for which bread", 4.2, 3, "new"),
)
FEEDBACK = {
    "/posts/sous-vide-steak": [
        (1, "The table says 54 °C for medium but the photo is clearly well done. Which one is right?",
         "marta.rossi@example.com"),
        (2, "Please add times for thicker cuts, mine was 5 cm and it came out raw in the middle.", ""),
        (2, "Steps 3 and 4 contradict each other about searing before or after the bath.",
         "j.okafor@example.net"),
    ],
    "/posts/weeknight-risotto": [
        (2, "Tried it twice, the rice stays chalky. Is the 18 minutes with the lid on?", "luca@example.org"),
    ],
    "/posts/bread-flour-guide": [
        (5, "Finally someone explains protein content clearly. Thank you!", ""),
    ],
    "/posts/sourdough-starter": [
        (4, "Worked for me on day 6. Maybe mention that a cold kitchen slows everything down.\n"
            "Mine is at 18 °C.", "sam@example.com"),
    ],
}


# Reader spam of the kind that took the old digest to 10.1 in SpamAssassin: held back, counted, not quoted.
SPAM = (
    ("/posts/sous-vide-steak", "Dear friend, I have a business proposal. Cheap V1AGRA and CIAL1S, $$$ fast!!!! "
     "Reply to claim your 1,000,000 USD inheritance.", "winner@lottery.example"),
    ("/posts/pasta-by-hand", "Great post! Visit www.best-casino-bonus.example for FREE SPINS and make money from home",
     ""),
    ("/posts/weeknight-risotto", "SEO services and backlinks for your blog, click here: https://seo.example/offer",
     "seo@spam.example"),
)


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def seed_demo(store: Store, site: Site, day: date, seed: int = 7) -> int:
    """Add 8 days of votes (the 7 days before `day`, then `day`) and the day's feedback; return votes."""
    rng = random.Random(seed)
    count = 0
    for offset in range(7, -1, -1):
        d = day - timedelta(days=offset)
        start, _ = day_window(site.zone, d)
        for index, (path, title, mean, per_day, mood) in enumerate(ARTICLES):
            if mood == "new" and offset:
                continue
            today = offset == 0
            if today and mood == "drop":
                mean -= 1.6
            n = max(1, round(rng.gauss(per_day, per_day / 4)))
            for i in range(n):
                at = start + timedelta(hours=rng.uniform(7, 23.5))
                voter = f"demo-{offset}-{index}-{i:03d}"
                _vote(store, site, path, title, voter, _rating(rng, mean), at)
                count += 1
        if offset == 0:
            burst_at = start + timedelta(hours=3, minutes=12)
            for i in range(14):  # a script at 03:12: quarantined, shown in the digest
                at = burst_at + timedelta(seconds=9 * i)
                _vote(store, site, "/posts/pasta-by-hand", "", f"burst-{i:03d}", 1, at,
                      quarantine_reason="over_cap" if i > 2 else "too_fast")
                count += 1
            for path, items in FEEDBACK.items():
                title = next(a[1] for a in ARTICLES if a[0] == path)
                for j, (rating, text, email) in enumerate(items):
                    at = start + timedelta(hours=9 + 3 * j + rng.uniform(0, 2))
                    voter = f"reader-{path[7:15]}-{j}"
                    _vote(store, site, path, title, voter, rating, at - timedelta(seconds=40))
                    add_feedback(store, Feedback(site=site.id, article=path, voter=voter, text=text, at=at,
                                        day=local_day(at, site), contact_email=email))
            for j, (path, text, email) in enumerate(SPAM):
                at = start + timedelta(hours=4, minutes=7 * j)
                voter = f"spammer-{j}"
                _vote(store, site, path, "", voter, 5, at - timedelta(seconds=30))
                add_feedback(store, Feedback(site=site.id, article=path, voter=voter, text=text, at=at,
                                            day=local_day(at, site), contact_email=email))
    return count


def _vote(store: Store, site: Site, path: str, title: str, voter: str, rating: int, at: datetime,
          quarantine_reason: str = "") -> None:
    origin = site.origins[0] if site.origins else "https://example.org"
    record_vote(store, Vote(site=site.id, article=path, voter=voter, rating=rating, at=at,
                            day=local_day(at, site), url=f"{origin}{path}", title=title,
                            request_id=f"{voter}-{at.timestamp()}", quarantined=bool(quarantine_reason),
                            quarantine_reason=quarantine_reason), site)
