"""The digest's words in English and Italian, and numbers and dates formatted per language."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "{sites}: {votes} on {day}",
        "subject_empty": "{sites}: no votes on {day}",
        "preheader": "{votes} · average {average} · {attention} to look at",
        "title": "Your readers yesterday",
        "votes_label": "Votes",
        "average_label": "Average",
        "feedback_label": "Feedback",
        "vote_one": "{n} vote", "vote_many": "{n} votes",
        "text_one": "{n} text", "text_many": "{n} texts",
        "article_one": "{n} article", "article_many": "{n} articles",
        "vs_week": "vs 7-day mean {value}",
        "vs_week_avg": "vs {value} over 7 days",
        "no_week": "no votes in the 7 days before",
        "attention": "Needs attention",
        "attention_intro": "Ranked by a weighted average, so a single low vote does not outrank many.",
        "attention_none": "Nothing needs attention: no low ratings, drops or feedback.",
        "reason_low": "low rating", "reason_drop": "dropped", "reason_feedback": "feedback",
        "avg_short": "avg {value}",
        "change_short": "{value} vs last week",
        "new_short": "new",
        "feedback": "What readers wrote",
        "rated": "rated {n}/5",
        "reply": "Reply",
        "reply_subject": "Re: your feedback on \"{title}\"",
        "reply_body": "Hello,\n\nthank you for your feedback on \"{title}\":\n\n{quote}\n\n",
        "best": "Best rated yesterday",
        "first": "Rated for the first time",
        "suspicious": "Suspicious activity",
        "quarantined": "{n} held back by the anti-stuffing checks (not counted in averages)",
        "quarantine_help": "Review them with: ascolto quarantine list --site {site}",
        "burst": "{n} votes on \"{title}\" within {minutes} minutes from {time}",
        "burst_help": "Bursts are counted: they may be a script, or a link shared somewhere popular.",
        "more_articles": "{shown} of {total} articles shown.",
        "more_feedback": "{shown} of {total} feedback texts shown.",
        "full_list": "Full list: ascolto export --site {site} --format csv",
        "totals": "Since the start: {votes} on {articles}, average {average}.",
        "manage": "Digest settings",
        "unsubscribe": "Unsubscribe",
        "why": "You get this email because you own {sites} on ascolto.",
        "empty": "No votes and no feedback yesterday.",
        "stars": "{n}★",
        "held_short": "⚑ {n} held back",
        "q_honeypot": "honeypot filled in", "q_too_fast": "too fast", "q_no_dwell": "not from the widget",
        "q_over_cap": "over the daily cap", "q_other": "other",
        # Owner pages.
        "settings_title": "Digest settings",
        "settings_intro": "Digest for {email}",
        "hour_label": "Send at (local hour)",
        "send_empty_label": "Send even when there are no votes",
        "enabled_label": "Send the daily digest",
        "save": "Save",
        "saved": "Saved.",
        "unsubscribe_title": "Unsubscribe from the digest",
        "unsubscribe_confirm": "Stop the daily digest for {email}?",
        "unsubscribed": "Done: {email} will get no more digests. You can turn it back on below.",
        "bad_link": "This link is not valid. Use the link of a recent digest.",
    },
    "it": {
        "subject": "{sites}: {votes}, {day}",
        "subject_empty": "{sites}: nessun voto, {day}",
        "preheader": "{votes} · media {average} · {attention} da guardare",
        "title": "I tuoi lettori ieri",
        "votes_label": "Voti",
        "average_label": "Media",
        "feedback_label": "Commenti",
        "vote_one": "{n} voto", "vote_many": "{n} voti",
        "text_one": "{n} commento", "text_many": "{n} commenti",
        "article_one": "{n} articolo", "article_many": "{n} articoli",
        "vs_week": "media 7 giorni {value}",
        "vs_week_avg": "contro {value} in 7 giorni",
        "no_week": "nessun voto nei 7 giorni prima",
        "attention": "Da guardare",
        "attention_intro": "In ordine di media ponderata: un solo voto basso non supera molti voti.",
        "attention_none": "Niente da guardare: nessun voto basso, calo o commento.",
        "reason_low": "voto basso", "reason_drop": "in calo", "reason_feedback": "commenti",
        "avg_short": "media {value}",
        "change_short": "{value} sulla settimana",
        "new_short": "nuovo",
        "feedback": "Cosa hanno scritto i lettori",
        "rated": "voto {n}/5",
        "reply": "Rispondi",
        "reply_subject": "Re: il tuo commento su \"{title}\"",
        "reply_body": "Buongiorno,\n\ngrazie del commento su \"{title}\":\n\n{quote}\n\n",
        "best": "I più apprezzati di ieri",
        "first": "Votati per la prima volta",
        "suspicious": "Attività sospetta",
        "quarantined": "{n} trattenuti dai controlli anti-abuso (esclusi dalle medie)",
        "quarantine_help": "Esaminali con: ascolto quarantine list --site {site}",
        "burst": "{n} voti su \"{title}\" in {minutes} minuti dalle {time}",
        "burst_help": "Le raffiche sono contate: possono essere uno script, o un link condiviso in un posto "
                      "molto visto.",
        "more_articles": "Mostrati {shown} articoli su {total}.",
        "more_feedback": "Mostrati {shown} commenti su {total}.",
        "full_list": "Elenco completo: ascolto export --site {site} --format csv",
        "totals": "Dall'inizio: {votes} su {articles}, media {average}.",
        "manage": "Impostazioni del riepilogo",
        "unsubscribe": "Annulla l'iscrizione",
        "why": "Ricevi questa email perché gestisci {sites} su ascolto.",
        "empty": "Nessun voto e nessun commento ieri.",
        "stars": "{n}★",
        "held_short": "⚑ {n} trattenuti",
        "q_honeypot": "campo trappola compilato", "q_too_fast": "troppo veloci", "q_no_dwell": "non dal widget",
        "q_over_cap": "oltre il limite giornaliero", "q_other": "altro",
        "settings_title": "Impostazioni del riepilogo",
        "settings_intro": "Riepilogo per {email}",
        "hour_label": "Invia alle (ora locale)",
        "send_empty_label": "Invia anche senza voti",
        "enabled_label": "Invia il riepilogo quotidiano",
        "save": "Salva",
        "saved": "Salvato.",
        "unsubscribe_title": "Annulla il riepilogo",
        "unsubscribe_confirm": "Interrompere il riepilogo quotidiano per {email}?",
        "unsubscribed": "Fatto: {email} non riceverà più riepiloghi. Puoi riattivarlo qui sotto.",
        "bad_link": "Questo link non è valido. Usa il link di un riepilogo recente.",
    },
}


class Words:
    """Strings and number formats of one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in STRINGS else "en"
        self.strings = STRINGS[self.language]

    def __call__(self, key: str, **values: object) -> str:
        """Return a string with values filled in."""
        return self.strings[key].format(**values)

    def count(self, key: str, n: int) -> str:
        """Return '{n} vote(s)' with the right plural and a formatted number."""
        return self(f"{key}_one" if n == 1 else f"{key}_many", n=self.integer(n))

    def integer(self, n: int) -> str:
        """Return an integer with the language's thousands separator."""
        text = f"{n:,}"
        return text.replace(",", ".") if self.language == "it" else text

    def decimal(self, x: float | None, places: int = 1) -> str:
        """Return a number with the language's decimal mark ('–' for none)."""
        if x is None:
            return "–"
        text = f"{x:,.{places}f}"
        if self.language == "it":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text

    def signed(self, x: float | None, places: int = 1) -> str:
        """Return a signed change like +0.3 or −1.2 (true minus sign)."""
        if x is None:
            return "–"
        sign = "+" if x > 0 else ("−" if x < 0 else "±")
        return sign + self.decimal(abs(x), places)

    def percent(self, x: float | None) -> str:
        """Return a signed percentage change."""
        return "–" if x is None else self.signed(x * 100, 0) + "%"

    def day(self, d: date) -> str:
        """Return a long date: 'Thursday 19 November 2026' / 'giovedì 19 novembre 2026'."""
        return f"{WEEKDAYS[self.language][d.weekday()]} {d.day} {MONTHS[self.language][d.month - 1]} {d.year}"

    def short_day(self, d: date) -> str:
        """Return a short date: '19 November' / '19 novembre'."""
        return f"{d.day} {MONTHS[self.language][d.month - 1]}"

    def time(self, at: datetime) -> str:
        """Return a local time as 24-hour HH:MM."""
        return at.strftime("%H:%M")
