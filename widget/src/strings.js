// UI strings. Keys are the data-text-<key> names an owner can override.
export const KEYS = "question none vote votes thanks improve email send sent star stars error".split(" ");

// One "|"-joined list per language, in KEYS order (compact and gzip-friendly).
export const EN =
  "How useful was this post?|No votes yet|vote|votes|Thanks for your vote!|How could we improve this post?|Your email, if you'd like a reply (optional)|Send|Thanks for your feedback!|star|stars|Could not send. We'll retry.";
export const IT =
  "Quanto ti \u00e8 stato utile questo articolo?|Ancora nessun voto|voto|voti|Grazie per il tuo voto!|Come potremmo migliorare questo articolo?|La tua email, se vuoi una risposta (facoltativa)|Invia|Grazie per il tuo commento!|stella|stelle|Invio non riuscito. Riproveremo.";
