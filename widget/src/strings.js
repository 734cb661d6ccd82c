// UI strings in English; Italian is a chunk of its own (it.js). An owner
// overrides one with data-text-<key>; the keys here are capitalised as the
// script's dataset names them (data-text-none: textNone). Each list is
// "|"-joined, in its keys' order (compact and gzip-friendly).

// The card, loaded with every page.
export const KEYS = /* @__PURE__ */ "Question None Vote Votes Star Stars Refused".split(" ");
export const EN = "How useful was this post?|No votes yet|vote|votes|star|stars|Could not send.";

// Voting, loaded when a reader reaches for the stars.
export const VOTE_KEYS = /* @__PURE__ */ "Thanks More Withdrawn Error Undo".split(" ");
export const VOTE_EN =
  "Thanks for your vote!|Tell us more|Your vote was withdrawn.|Could not send. We'll retry.|Undo my vote";

// The feedback form, loaded when the reader asks for it after a low rating.
export const FORM_KEYS = /* @__PURE__ */ "Improve Email Send Sent Empty".split(" ");
export const FORM_EN =
  "How could we improve this post?|Your email, if you'd like a reply (optional)|Send|" +
  "Thanks for your feedback!|Please write what we could improve.";

// The strings of one part (card, vote or form) in its keys' order: the owner's data-text-<key>, else the
// page's language's (italian: it.js's default export, or undefined for English).
export const strings = (data, keys, english, italian) =>
  (italian || english).split("|").map((s, i) => data["text" + keys[i]] || s);
