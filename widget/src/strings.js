// UI strings. An owner overrides one with data-text-<key>; the keys here are
// capitalised as the script's dataset names them (data-text-none: textNone).
// Each list is "|"-joined, in its keys' order (compact and gzip-friendly).

// The card, loaded with every page.
export const KEYS = /* @__PURE__ */ "Question None Vote Votes Star Stars Error Refused Undo".split(" ");
export const EN =
  "How useful was this post?|No votes yet|vote|votes|star|stars|Could not send. We'll retry.|Could not send.|Undo my vote";
export const IT =
  "Quanto ti \u00e8 stato utile questo articolo?|Ancora nessun voto|voto|voti|stella|stelle|Invio non riuscito. Riproveremo.|Invio non riuscito.|Annulla il voto";

// Voting, loaded when a reader reaches for the stars.
export const VOTE_KEYS = /* @__PURE__ */ "Thanks More Withdrawn".split(" ");
export const VOTE_EN = "Thanks for your vote!|Tell us more|Your vote was withdrawn.";
export const VOTE_IT = "Grazie per il tuo voto!|Dicci di pi\u00f9|Il tuo voto \u00e8 stato annullato.";

// The feedback form, loaded when the reader asks for it after a low rating.
export const FORM_KEYS = /* @__PURE__ */ "Improve Email Send Sent Empty".split(" ");
export const FORM_EN =
  "How could we improve this post?|Your email, if you'd like a reply (optional)|Send|Thanks for your feedback!|Please write what we could improve.";
export const FORM_IT =
  "Come potremmo migliorare questo articolo?|La tua email, se vuoi una risposta (facoltativa)|Invia|Grazie per il tuo commento!|Scrivi che cosa potremmo migliorare.";
