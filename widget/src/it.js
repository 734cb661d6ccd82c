// The Italian strings, a chunk the card imports before it renders on an Italian
// page (data-lang="it", else <html lang="it…">), so that an English page never
// pays for them. Each list has the keys and order of its English one in strings.js.
export default {
  card: "Quanto ti \u00e8 stato utile questo articolo?|Ancora nessun voto|voto|voti|stella|stelle|Invio non riuscito.",
  vote:
    "Grazie per il tuo voto!|Dicci di pi\u00f9|Il tuo voto \u00e8 stato annullato.|" +
    "Invio non riuscito. Riproveremo.|Annulla il voto",
  form:
    "Come potremmo migliorare questo articolo?|La tua email, se vuoi una risposta (facoltativa)|Invia|" +
    "Grazie per il tuo commento!|Scrivi che cosa potremmo migliorare.",
};
