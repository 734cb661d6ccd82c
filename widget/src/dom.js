// Helpers shared by the card and its chunks (each bundle inlines its own copy).

export const warn = (...why) => console.warn("[ascolto]", ...why);

// The page's markup may clobber document properties (<img name="title"> makes
// document.title an element), so read them through Document.prototype.
const proto = Document.prototype;
export const doc = (name) => Object.getOwnPropertyDescriptor(proto, name).get.call(document);
export const $ = (selector) => proto.querySelector.call(document, selector);
export const $$ = (selector) => [...proto.querySelectorAll.call(document, selector)];

// Build an element with attributes; children are nodes or plain text, never markup.
export const h = (tag, attrs, ...kids) => {
  const e = proto.createElement.call(document, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.append(...kids);
  return e;
};

// Add CSS to a shadow root: a constructable stylesheet, which a strict CSP
// (style-src 'self') allows, else a <style> element where they are missing.
// With reset, the root's earlier sheets go (a card rendered again in the same host).
export const style = (root, css, reset) => {
  if ("adoptedStyleSheets" in proto) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = reset ? [sheet] : [...root.adoptedStyleSheets, sheet];
  } else root.prepend(h("style", {}, css));
};

// Read a localStorage item (the card only reads), and write or, with "", remove one; storage may be missing
// or throw.
export const stored = (key) => {
  try {
    return localStorage[key];
  } catch {}
};
export const store = (key, value) => {
  try {
    value === "" ? localStorage.removeItem(key) : (localStorage[key] = value);
  } catch {}
};
