// One card: the question, five stars, the article's numbers and a status line.
// It renders and fetches the numbers; what voting needs (the vote, the queue,
// undo, the offer of the form) is a chunk, vote.js, that the card imports when
// a reader reaches for the stars (hover, focus, touch), or when this site has
// votes queued from an earlier view. A reader who only reads never loads it.
import { doc, h, ls, style, warn } from "./dom.js";
import { EN, IT, KEYS } from "./strings.js";

const refused = {}; // site -> this page's origin is not on its allowlist

export const card = (host, script, data, article, url, key) => {
  const site = data.site;
  const it = /^it/i.test(data.lang || doc("documentElement").lang);
  // UI strings in KEYS order: the owner's data-text-<key>, else the default.
  const T = (it ? IT : EN).split("|").map((s, i) => data["text" + KEYS[i]] || s);
  const pending = "ascolto:pending:" + site;

  // URLs relative to the script's own (…/widget.js), so that a path prefix
  // such as API Gateway's stage (/dev/widget.js) carries over.
  const at = (path) => new URL(path, script.src);
  const api = (path, body) =>
    // A site id is URL-safe by its own rules.
    fetch(at("v1/sites/" + site + path), {
      // Revalidate: a summary cached before this reader's own vote would hide it.
      cache: "no-cache",
      ...(body && { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    }).then(async (r) => {
      if (r.ok) return r.json();
      // The API lets any page read why its origin is refused: tell the owner how to fix it.
      // The queued votes can never be sent from here.
      if (r.status == 403 && (await r.json()).code == "origin_not_allowed") {
        ls(pending, "");
        refused[site] ||= warn(
          `origin ${location.origin} is not allowed for site "${site}": add it with ` +
            `--origin ${location.origin} to the site on your ascolto server`,
        ) || 1;
      }
      throw r.status;
    });
  const summary = () => api("/summary?article=" + encodeURIComponent(article));

  // The question labels the stars, and is read once; the status line speaks for the card. The status
  // comes last on its line: the Undo button shows at once on a vote, the answer may come late.
  const question = h("b", { id: "q" }, T[0]);
  // The numbers: an output element is a polite live region (role status) by itself.
  const count = h("output");
  const status = h("span", { role: "status", tabindex: -1 });
  const undo = h("button", { type: "button", hidden: "" }, T[8]);
  const line = h("p", {}, undo, status);
  // The honeypot: a field no reader sees, reaches or hears of, which naive bots fill in.
  const hp = h("input", { name: "website", hidden: "" });
  const stars = [1, 2, 3, 4, 5].map((n) => h("i", { role: "radio", "aria-label": n + " " + T[n > 1 ? 5 : 4] }));
  const group = h("span", { role: "radiogroup", "aria-labelledby": "q" }, ...stars);
  const box = h("div", { lang: it ? "it" : "en" }, question, h("p", {}, group, count), line, hp);
  const root = host.shadowRoot || host.attachShadow({ mode: "open" });
  root.replaceChildren(box);
  style(root, __CSS__, 1);

  // Show rating n as chosen (none if falsy); the tab stop is the chosen or the first star.
  const mine = "ascolto:v:" + site + ":" + article;
  const show = (n) => {
    ls(mine, n || "");
    stars.map((s, i) => {
      s.setAttribute("aria-checked", i + 1 == n);
      s.className = i < n ? "on" : "";
      s.tabIndex = (n ? i + 1 == n : !i) - 1;
    });
    undo.hidden = !n;
  };
  // The API gives an average whenever the count is not 0.
  const render = (d) =>
    (count.textContent = d.count
      ? d.average.toFixed(1).replace(".", it ? "," : ".") + " \u00b7 " + d.count + " " + T[d.count > 1 ? 3 : 2]
      : T[1]);

  // What the voting chunk needs of this card; it gives back vote(n), withdraw() and resend().
  const context = { site, article, url, data, it, T, at, api, summary, render, show, status, line, stars, hp, refused };
  let voting;
  const chunk = () =>
    (voting ||= import(at("static/vote.js")).then((m) => m.default(context))).catch((e) => {
      voting = 0;
      throw e;
    });
  const later = (action) => () =>
    chunk()
      .then(action)
      .catch((e) => warn(e, (status.textContent = T[7])));
  for (const type of ["pointerover", "focusin", "touchstart"]) group.addEventListener(type, chunk, { once: true, passive: true });
  undo.onclick = later((v) => v.withdraw());

  // One guarded handler for clicks and keys on the stars.
  group.onclick = group.onkeydown = (e) => {
    try {
      const i = stars.indexOf(e.target);
      const k = e.key;
      // The arrows follow the page's direction: on a right-to-left page the first star is on the right.
      const rtl = getComputedStyle(host).direction == "rtl" && /Arrow[LR]/.test(k);
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: 4, ArrowUp: 4 }[k];
      const j = step && (rtl ? 5 - step : step);
      // Arrows move the focus (and the roving tab stop); a click, Space or Enter votes.
      if (i >= 0 && (j || !k || k == " " || k == "Enter")) {
        e.preventDefault();
        if (j) stars.map((s, n) => (s.tabIndex = n == (i + j) % 5 ? (s.focus(), 0) : -1));
        else {
          show(i + 1);
          later((v) => v.vote(i + 1))();
        }
      }
    } catch (x) {
      warn(x);
    }
  };

  show(ls(mine));

  // Votes queued on an earlier view are resent first, so that the summary counts them.
  const load = () =>
    (ls(pending)?.length > 2 ? chunk().then((v) => v.resend()) : Promise.resolve())
      .catch(warn)
      .then(() => status.textContent || summary().then((d) => status.textContent || render(d)))
      .catch(warn);

  self.IntersectionObserver
    ? new IntersectionObserver((es, io) => es.pop().isIntersecting && load(io.disconnect()), {
        rootMargin: "200px",
      }).observe(host)
    : load();
  return { key };
};
