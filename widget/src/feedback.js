// The feedback form, offered after a low rating. The card (card.js) loads this
// module only when the reader presses "Tell us more", so that a page pays for
// it only then, and the form appears in answer to the reader (no late layout
// shift). Like the card, it never throws into the host page.
import { h, style, warn } from "./dom.js";
import { FORM_EN, FORM_KEYS, strings } from "./strings.js";

// Open the form in the card box, once. status is the card's live status line,
// more the button that asked for the form, T the card's strings (T[6]: the
// failure line), data the snippet's settings, italian the form's Italian
// strings (it.js) or undefined for English, api posts to the site's API, and
// vote is the body of the vote that asked for feedback.
export default (box, status, more, T, data, italian, api, { article, voter }) => {
  more.hidden = true;
  if (box.querySelector("form")) return;
  const F = strings(data, FORM_KEYS, FORM_EN, italian);
  const text = h("textarea", { maxlength: 2000 });
  const email = h("input", { type: "email", maxlength: 254, autocomplete: "email" });
  const form = h("form", {}, h("label", {}, F[0], text), h("label", {}, F[1], email), h("button", {}, F[2]));
  style(box.getRootNode(), __CSS__);
  let busy;
  form.onsubmit = (e) => {
    e.preventDefault();
    try {
      // An email input's value comes trimmed already.
      const body = { article, voter, text: text.value.trim(), contact_email: email.value || null };
      if (!body.text) {
        // Say what is missing, where the reader is.
        text.setAttribute("aria-invalid", true);
        status.textContent = F[4];
        text.focus();
      } else if (!busy) {
        // Sent once: a second click while it is on its way does nothing.
        busy = 1;
        api("/feedback", body).then(
          () => {
            form.remove();
            status.textContent = F[3];
            // The form held the focus: give it to the thanks, not to the page's <body>.
            status.tabIndex = -1;
            status.focus();
          },
          (x) => warn(x, (status.textContent = T[6]), (busy = 0)),
        );
      }
    } catch (x) {
      warn(x);
    }
  };
  box.append(form);
  text.focus();
};
