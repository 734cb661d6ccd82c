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
        "subject": "{sites}, {day}: {work}",
        "work_attention_one": "{n} article needs you", "work_attention_many": "{n} articles need you",
        "work_comments_one": "{n} comment to read", "work_comments_many": "{n} comments to read",
        "work_open_one": "{n} still open", "work_open_many": "{n} still open",
        "work_held_one": "{n} held back to review", "work_held_many": "{n} held back to review",
        "work_none": "nothing to do, {votes}",
        "lead_attention_one": "{n} article needs you today: {list}.",
        "lead_attention_many": "{n} articles need you today: {list}.",
        "lead_none": "Nothing new needs you today.",
        "lead_open": "Still open from earlier days: {n}.",
        "lead_held": "Held back for you to review: {n}.",
        "title_yesterday": "Your readers yesterday",
        "title_today": "Your readers today, so far",
        "title_day": "Your readers on {day}",
        "preview_note": "Preview of a day that has not ended yet: it cannot be sent.",
        "votes_label": "Votes",
        "average_label": "Average",
        "feedback_label": "Comments",
        "vote_one": "{n} vote", "vote_many": "{n} votes",
        "comment_one": "{n} comment", "comment_many": "{n} comments",
        "article_one": "{n} article", "article_many": "{n} articles",
        "reader_one": "{n} reader", "reader_many": "{n} readers",
        "day_one": "{n} day", "day_many": "{n} days",
        "vs_week": "vs the 7-day average ({value})",
        "vs_week_avg": "vs the week before ({value})",
        "no_week": "no votes in the 7 days before",
        "attention": "Needs attention",
        "attention_intro": "Ranked by impact: how many readers were let down, and by how much.",
        "attention_none": "Nothing needs attention: no drops, no low ratings, no problems reported.",
        "why_fell": "fell {value} over {readers}",
        "why_trails": "{value} below your site's average, {readers}",
        "why_low": "rated {value}/5 by {readers}",
        "why_problem_one": "{n} reader reports a problem", "why_problem_many": "{n} readers report a problem",
        "avg_short": "avg {value}/5",
        "change_short": "{value} vs last week",
        "new_short": "new",
        "out_of_5": "{n}/5",
        "more_comments": "{n} more on your open list.",
        "others": "Other comments",
        "reply": "Reply",
        "reply_to": "Reply to {email}",
        "no_reply": "no address left",
        "reply_subject": "Re: your comment on \"{title}\"",
        "reply_body": "Hello,\n\nthank you for your comment on \"{title}\"{link}:\n\n{quote}\n\n",
        "mark_handled": "Mark handled",
        "spam": "Spam",
        "snooze": "Snooze a week",
        "review": "Review",
        "open_list": "Everything open",
        "best": "Best rated",
        "first": "Rated for the first time",
        "still_open": "Still open",
        "still_open_row": "{comments}, open for {days}",
        "still_open_held": "{n} held back",
        "still_open_more": "{shown} of {total} shown.",
        "held": "Held back",
        "held_votes": "{votes} on \"{title}\" held back, {start}–{end}",
        "held_votes_help": "Held-back votes are not in the averages until you release them.",
        "held_comments": "{comments} held back",
        "held_comments_help": "Their text is not in this email. Read them on your page, then show or hide each.",
        "c_link": "with a link", "c_spam": "suspected spam", "c_flagged": "flagged by the checks",
        "bursts": "Bursts",
        "burst": "{n} votes on \"{title}\" within {minutes} minutes from {time}",
        "burst_help": "These votes are counted: they may come from a link shared somewhere busy, or from a script.",
        "snoozed_note": "Snoozed and left out: {n}.",
        "more_articles": "{shown} of {total} articles shown: the rest are on your open list.",
        "more_feedback": "{shown} of {total} comments shown: the rest are on your open list.",
        "totals": "Since the start: {votes} on {articles}, average {average}.",
        "totals_imported": "Of these, {votes} were imported from {source} on {day}.",
        "channels_failed": "Notifications that stopped",
        "channel_failed": "{channel} failed all day; nothing more goes to it until it answers. "
                          "Check it with: ascolto notify test",
        "manage": "Digest settings",
        "unsubscribe": "Unsubscribe",
        "why": "You get this email because you own {sites} on ascolto.",
        "empty": "No votes and no comments.",
        "stars": "{n}★",
        "held_short": "{n} held back",
        "withdrawn": "{n} taken back",
        "q_honeypot": "honeypot filled in", "q_too_fast": "too fast", "q_no_dwell": "not from the widget",
        "q_over_cap": "over the daily cap", "q_other": "other",
        # Owner pages.
        "settings_title": "Digest settings",
        "settings_intro": "Digest for {email}",
        "hour_label": "Send at (local time, {zone})",
        "send_empty_label": "Send even when there are no votes",
        "enabled_label": "Send the daily digest",
        "save": "Save",
        "saved": "Saved.",
        "unsubscribe_title": "Unsubscribe from the digest",
        "unsubscribe_confirm": "Stop the daily digest for {email}?",
        "unsubscribed": "Done: {email} will get no more digests. You can turn it back on below.",
        "bad_link": "This link is not valid any more. Use the link of a recent digest.",
        "refused": "This form was sent from another site, so nothing was changed.",
        "todo_title": "Open for you",
        "todo_intro": "Everything open across {sites}.",
        "todo_empty": "Nothing is open. Well done.",
        "todo_comments": "Comments",
        "todo_held_comments": "Held-back comments",
        "todo_held_votes": "Held-back votes",
        "todo_snoozed": "Snoozed articles",
        "written_on": "written on {day}",
        "show_it": "Not spam: show it",
        "release": "Count them",
        "discard": "Discard them",
        "unsnooze": "End the snooze",
        "reopen": "Reopen",
        "act_title": "Confirm",
        "act_handled": "Mark this comment as handled?",
        "act_spam": "Hide this comment as spam?",
        "act_snooze": "Leave \"{title}\" out of \"Needs attention\" for a week?",
        "done_handled": "Marked as handled.",
        "done_spam": "Hidden as spam.",
        "done_open": "Reopened.",
        "done_snooze": "Snoozed until {day}.",
        "done_unsnooze": "The snooze has ended.",
        "done_release": "{votes} counted.",
        "done_discard": "{votes} discarded.",
        "gone": "This item is not open any more.",
        "text_gone": "(the text has been deleted)",
    },
    "it": {
        "subject": "{sites}, {day}: {work}",
        "work_attention_one": "{n} articolo da rivedere", "work_attention_many": "{n} articoli da rivedere",
        "work_comments_one": "{n} commento da leggere", "work_comments_many": "{n} commenti da leggere",
        "work_open_one": "{n} ancora in sospeso", "work_open_many": "{n} ancora in sospeso",
        "work_held_one": "{n} trattenuto da controllare", "work_held_many": "{n} trattenuti da controllare",
        "work_none": "niente da fare, {votes}",
        "lead_attention_one": "Oggi c'è un articolo da rivedere: {list}.",
        "lead_attention_many": "Oggi ci sono {n} articoli da rivedere: {list}.",
        "lead_none": "Oggi non c'è niente di nuovo da fare.",
        "lead_open": "Ancora in sospeso dai giorni scorsi: {n}.",
        "lead_held": "Trattenuti, da controllare: {n}.",
        "title_yesterday": "I tuoi lettori ieri",
        "title_today": "I tuoi lettori oggi, finora",
        "title_day": "I tuoi lettori il {day}",
        "preview_note": "Anteprima di una giornata non ancora finita: non si può inviare.",
        "votes_label": "Voti",
        "average_label": "Media",
        "feedback_label": "Commenti",
        "vote_one": "{n} voto", "vote_many": "{n} voti",
        "comment_one": "{n} commento", "comment_many": "{n} commenti",
        "article_one": "{n} articolo", "article_many": "{n} articoli",
        "reader_one": "{n} lettore", "reader_many": "{n} lettori",
        "day_one": "{n} giorno", "day_many": "{n} giorni",
        "vs_week": "rispetto alla media dei 7 giorni ({value})",
        "vs_week_avg": "rispetto alla settimana scorsa ({value})",
        "no_week": "nessun voto nei 7 giorni precedenti",
        "attention": "Da rivedere",
        "attention_intro": "In ordine di impatto: quanti lettori sono rimasti delusi, e quanto.",
        "attention_none": "Niente da rivedere: nessun calo, nessun voto basso, nessun problema segnalato.",
        "why_fell": "in calo di {value} punti tra {readers}",
        "why_trails": "{value} punti sotto la media del sito, tra {readers}",
        "why_low": "voto medio {value}/5 da {readers}",
        "why_problem_one": "{n} lettore segnala un problema", "why_problem_many": "{n} lettori segnalano un problema",
        "avg_short": "media {value}/5",
        "change_short": "{value} rispetto alla settimana scorsa",
        "new_short": "nuovo",
        "out_of_5": "{n}/5",
        "more_comments": "Altri {n} nel tuo elenco delle cose in sospeso.",
        "others": "Altri commenti",
        "reply": "Rispondi",
        "reply_to": "Rispondi a {email}",
        "no_reply": "nessun indirizzo lasciato",
        "reply_subject": "Re: il suo commento su \"{title}\"",
        "reply_body": "Buongiorno,\n\ngrazie per il commento su \"{title}\"{link}:\n\n{quote}\n\n",
        "mark_handled": "Segna come risolto",
        "spam": "È spam",
        "snooze": "Rimanda di una settimana",
        "review": "Controlla",
        "open_list": "Tutto quello che è in sospeso",
        "best": "I più apprezzati",
        "first": "Votati per la prima volta",
        "still_open": "Ancora in sospeso",
        "still_open_row": "{comments}, in sospeso da {days}",
        "still_open_held": "{n} trattenuti",
        "still_open_more": "Mostrati {shown} su {total}.",
        "held": "Trattenuti",
        "held_votes": "{votes} su \"{title}\" trattenuti, dalle {start} alle {end}",
        "held_votes_help": "I voti trattenuti non entrano nelle medie finché non li conteggi.",
        "held_comments": "{comments} trattenuti",
        "held_comments_help": "Il testo non è in questa email: leggili dalla tua pagina e decidi se mostrarli "
                              "o nasconderli.",
        "c_link": "con un link", "c_spam": "sospetto spam", "c_flagged": "segnalati dai controlli",
        "bursts": "Picchi",
        "burst": "{n} voti su \"{title}\" in {minutes} minuti a partire dalle {time}",
        "burst_help": "Questi voti sono conteggiati: possono arrivare da un link condiviso su un sito molto "
                      "frequentato, oppure da uno script.",
        "snoozed_note": "Rimandati e non elencati: {n}.",
        "more_articles": "Mostrati {shown} articoli su {total}: gli altri sono nel tuo elenco.",
        "more_feedback": "Mostrati {shown} commenti su {total}: gli altri sono nel tuo elenco.",
        "totals": "Dall'inizio: {votes} su {articles}, media {average}.",
        "totals_imported": "Di questi, {votes} importati da {source} il {day}.",
        "channels_failed": "Notifiche interrotte",
        "channel_failed": "{channel} non ha risposto per un giorno intero: non gli inviamo altro finché non "
                          "risponde. Per controllarlo: ascolto notify test",
        "manage": "Impostazioni del riepilogo",
        "unsubscribe": "Disattiva il riepilogo",
        "why": "Ricevi questa email perché gestisci {sites} su ascolto.",
        "empty": "Nessun voto e nessun commento.",
        "stars": "{n}★",
        "held_short": "{n} trattenuti",
        "withdrawn": "{n} ritirati",
        "q_honeypot": "campo trappola compilato", "q_too_fast": "troppo veloci", "q_no_dwell": "non dal widget",
        "q_over_cap": "oltre il limite giornaliero", "q_other": "altro",
        "settings_title": "Impostazioni del riepilogo",
        "settings_intro": "Riepilogo per {email}",
        "hour_label": "Ora di invio (fuso orario {zone})",
        "send_empty_label": "Invia anche nei giorni senza voti",
        "enabled_label": "Invia il riepilogo quotidiano",
        "save": "Salva",
        "saved": "Salvato.",
        "unsubscribe_title": "Disattiva il riepilogo",
        "unsubscribe_confirm": "Vuoi smettere di ricevere il riepilogo quotidiano su {email}?",
        "unsubscribed": "Fatto: {email} non riceverà più riepiloghi. Puoi riattivarlo qui sotto.",
        "bad_link": "Questo link non è più valido. Usa il link di un riepilogo recente.",
        "refused": "Il modulo è stato inviato da un altro sito: non è cambiato niente.",
        "todo_title": "In sospeso",
        "todo_intro": "Tutto quello che è in sospeso su {sites}.",
        "todo_empty": "Non c'è niente in sospeso. Ottimo lavoro.",
        "todo_comments": "Commenti",
        "todo_held_comments": "Commenti trattenuti",
        "todo_held_votes": "Voti trattenuti",
        "todo_snoozed": "Articoli rimandati",
        "written_on": "scritto il {day}",
        "show_it": "Non è spam: mostralo",
        "release": "Conteggiali",
        "discard": "Eliminali",
        "unsnooze": "Annulla il rinvio",
        "reopen": "Riapri",
        "act_title": "Conferma",
        "act_handled": "Segnare questo commento come risolto?",
        "act_spam": "Nascondere questo commento come spam?",
        "act_snooze": "Togliere \"{title}\" da \"Da rivedere\" per una settimana?",
        "done_handled": "Segnato come risolto.",
        "done_spam": "Nascosto come spam.",
        "done_open": "Riaperto.",
        "done_snooze": "Rimandato fino al {day}.",
        "done_unsnooze": "Il rinvio è stato annullato.",
        "done_release": "{votes} conteggiati.",
        "done_discard": "{votes} eliminati.",
        "gone": "Questo elemento non è più in sospeso.",
        "text_gone": "(il testo è stato cancellato)",
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
        rounded = round(x, places)
        sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
        return sign + self.decimal(abs(rounded), places)

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
