// UI strings. An owner overrides one with data-text-<key>; the keys here are
// capitalised as the script's dataset names them (data-text-none: textNone).
// Each list is "|"-joined, in its keys' order (compact and gzip-friendly).

// The card, loaded with every page.
export const KEYS = /* @__PURE__ */ "Question None Vote Votes Thanks Star Stars Error Undo More Refused Withdrawn".split(" ");
export const EN =
  "How useful was this post?|No votes yet|vote|votes|Thanks for your vote!|star|stars|Could not send. We'll retry.|Undo my vote|Tell us more|Could not send.|Your vote was withdrawn.";
export const IT =
  "Quanto ti \u00e8 stato utile questo articolo?|Ancora nessun voto|voto|voti|Grazie per il tuo voto!|stella|stelle|Invio non riuscito. Riproveremo.|Annulla il voto|Dicci di pi\u00f9|Invio non riuscito.|Il tuo voto \u00e8 stato annullato.";

// The feedback form, loaded when the reader asks for it after a low rating.
export const FORM_KEYS = /* @__PURE__ */ "Improve Email Send Sent Empty".split(" ");
export const FORM_EN =
  "How could we improve this post?|Your email, if you'd like a reply (optional)|Send|Thanks for your feedback!|Please write what we could improve.";
export const FORM_IT =
  "Come potremmo migliorare questo articolo?|La tua email, se vuoi una risposta (facoltativa)|Invia|Grazie per il tuo commento!|Scrivi che cosa potremmo migliorare.";
