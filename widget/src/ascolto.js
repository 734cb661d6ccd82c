// ascolto widget, the entry point: finds every placeholder and snippet on the
// page and renders one card (card.js) per article. Polite by design: it never
// throws into the host page, never uses innerHTML, sets no cookies, and asks
// the API nothing until a card comes near the viewport.
//
// A page may paste the snippet several times and swap its content without a
// reload (single-page apps): the first copy to run publishes
// window.ascolto.mount(), later copies only call it, and it also runs by itself
// when the page's content changes.
import { card } from "./card.js";
import { $, $$, doc, h, warn } from "./dom.js";

// Run a function, logging instead of throwing into the page.
const safely = (f) => {
  try {
    f();
  } catch (e) {
    warn(e);
  }
};

safely(() => {
  // A page's element with id="ascolto" also shows up as window.ascolto: only a real mount() counts.
  if (self.ascolto?.mount instanceof Function) return self.ascolto.mount();
  const first = doc("currentScript");
  const cards = new Map(); // host element -> the key ("site article") of the card it shows
  const hosts = new WeakMap(); // snippet -> its placeholder (or the div made after it)

  // The article a snippet's (or placeholder's) settings name, and the page's URL.
  const articleOf = (data) => {
    const url = ($("link[rel=canonical]") || location).href.split("#")[0];
    return [data.site + " " + (data.article || new URL(url).pathname.replace(/(.)\/$/, "$1")), url];
  };
  // Whether a card on the page shows this (site, article) already.
  const shown = (key, except) => [...cards].some(([other, k]) => other != except && k == key);

  // Show the card of (site, article) in host, unless another card shows it.
  const render = (host, script) => {
    // The placeholder's data-* attributes override its snippet's.
    const data = { ...script.dataset, ...host.dataset };
    const [key, url] = articleOf(data);
    if (cards.get(host) == key || shown(key, host)) return;
    card(host, script, data, key.slice(data.site.length + 1), url);
    cards.set(host, key);
  };

  const mount = () =>
    safely(() => {
      // Forget the cards a navigation removed.
      for (const gone of cards.keys()) gone.isConnected || cards.delete(gone);
      const scripts = $$("script[data-site][src*=widget]");
      // A single-page app may have swapped our script out: the first one's settings still hold.
      if (!scripts.length) scripts.push(first);
      // Placeholders that name their article (an index page), with the snippet that names it too.
      for (const host of $$("[data-ascolto][data-article]")) {
        render(host, scripts.find((s) => s.dataset.article == host.dataset.article) || scripts[0]);
      }
      // Each snippet's own placeholder: the nearest one before it not taken yet, else a div after it.
      let free = $$("[data-ascolto]:not([data-article])").filter((p) => !cards.has(p));
      for (const script of scripts) {
        let host = hosts.get(script);
        if (!host?.isConnected) {
          // Its article has a card already: a placeholder names it, or the snippet is pasted twice.
          if (shown(articleOf(script.dataset)[0])) continue;
          host = free.filter((p) => p.compareDocumentPosition(script) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
          if (!host) script.after((host = h("div")));
          hosts.set(script, host);
        }
        free = free.filter((p) => p != host);
        render(host, script);
      }
    });

  self.ascolto = { mount };
  mount();
  // Client-side navigation (Astro, Material for MkDocs, Docusaurus…) swaps content without
  // running this script again: mount again once the page settles after a change.
  let timer;
  new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(mount, 50);
  }).observe(doc("documentElement"), { childList: true, subtree: true });
});
