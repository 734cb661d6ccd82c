// The feedback form, shown after a low rating. The card (ascolto.js) loads this
// module only when a vote's response says ask_feedback, so that a page pays for
// it only then. Like the card, it never throws into the host page.
import { h, warn } from "./dom.js";
import { FORM_EN, FORM_IT, FORM_KEYS } from "./strings.js";

let shown;

// Add the form to the card, once per page view. T is the card's strings (T[7]:
// the retry line), data the script's dataset, it says Italian, api posts to the
// site's API, and vote is the body of the vote that asked for feedback.
export default (card, T, data, it, api, { article, voter }) => {
  // The card's first line: the question, now thanks.
  const head = card.firstChild;
  if (shown) return;
  shown = 1;
  const F = (it ? FORM_IT : FORM_EN).split("|").map((s, i) => data["text" + FORM_KEYS[i]] || s);
  const text = h("textarea", { maxlength: 2000 });
  const email = h("input", { type: "email", maxlength: 254 });
  const form = h(
    "form",
    {},
    // A style element anywhere in the shadow tree styles all of it.
    h("style", {}, __CSS__),
    h("label", {}, F[0], text),
    h("label", {}, F[1], email),
    h("button", {}, F[2]),
  );
  let busy;
  form.onsubmit = (e) => {
    e.preventDefault();
    try {
      // An email input's value comes trimmed already.
      const body = { article, voter, text: text.value.trim(), contact_email: email.value || null };
      // Sent once: a second click while it is on its way does nothing.
      if (body.text && !busy) {
        busy = 1;
        api("/feedback", body).then(
          () => form.remove((head.textContent = F[3])),
          (x) => warn(x, (head.textContent = T[7]), (busy = 0)),
        );
      }
    } catch (x) {
      warn(x);
    }
  };
  card.append(form);
};
