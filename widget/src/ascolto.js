// ascolto widget: five stars and a count; after a low rating it loads the
// feedback form (feedback.js). Polite by design: it never throws into the host
// page, never uses innerHTML, sets no cookies, and makes one request per page
// view (the summary), lazily. What a page loads must stay under 2,000 bytes
// gzip, hence the terse style.
import { h, warn } from "./dom.js";
import { EN, IT, KEYS } from "./strings.js";

const D = document;
const VOTER = "ascolto:voter";

// Read (one argument) or write localStorage, which may be missing or throw.
const ls = (k, v) => {
  try {
    return v ? (localStorage[k] = v) : localStorage[k];
  } catch {}
};

// 128 random bits, as the decimal digits of four 32-bit numbers (an opaque token to the API).
const rid = () => crypto.getRandomValues(new Uint32Array(4)).join("");

try {
  const script = D.currentScript || D.querySelector("script[data-site][src*=widget]");
  const data = script.dataset;
  const site = data.site;
  const url = (D.querySelector("link[rel=canonical]") || location).href.split("#")[0];
  const article = data.article || new URL(url).pathname.replace(/(.)\/$/, "$1");
  const it = /^it/i.test(data.lang || D.documentElement.lang);
  // UI strings in KEYS order: the owner's data-text-<key>, else the default.
  const T = (it ? IT : EN).split("|").map((s, i) => data["text" + KEYS[i]] || s);
  const mine = "ascolto:v:" + site + ":" + article;
  // This site's votes not sent yet, each the body of its POST.
  const pending = "ascolto:pending:" + site;
  const voter = ls(VOTER) || rid();
  let queue = [];
  let voted;
  try {
    queue = JSON.parse(ls(pending)) || [];
  } catch {}
  // Kept small, so that a page on a refused origin cannot grow it forever.
  const save = (q) => ls(pending, JSON.stringify((queue = q.slice(-20))));

  // URLs relative to the script's own (…/widget.js), so that a path prefix
  // such as API Gateway's stage (/dev/widget.js) carries over.
  const at = (path) => new URL(path, script.src);
  const api = (path, body) =>
    // A site id is URL-safe by its own rules.
    fetch(at("v1/sites/" + site + path), {
      // Revalidate: a summary cached before this reader's own vote would hide it.
      cache: "no-cache",
      ...(body && { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));

  // The host: the owner's placeholder, else a new div right after the script.
  let host = D.querySelector("[data-ascolto]");
  if (!host || host.shadowRoot) script.after((host = h("div")));

  // The question; it turns into "thanks" (or the retry line) after a vote.
  const head = h("b", { role: "status" }, T[0]);
  // The numbers: an output element is a polite live region (role status) by itself.
  const count = h("output");
  // The honeypot: a field no reader sees, reaches or hears of, which naive bots fill in.
  const hp = h("input", { name: "website", hidden: "" });
  const stars = [1, 2, 3, 4, 5].map((n) => h("i", { role: "radio", "aria-label": n + " " + T[n > 1 ? 6 : 5] }, "\u2605"));
  const card = h("div", {}, head, h("span", { role: "radiogroup", "aria-label": T[0] }, ...stars), count, hp);
  host.attachShadow({ mode: "open" }).append(h("style", {}, __CSS__), card);
  const t0 = Date.now();

  // Show rating n as chosen (none if falsy); the tab stop is the chosen or the first star.
  const show = (n) =>
    stars.map((s, i) => {
      s.setAttribute("aria-checked", i + 1 == n);
      s.className = i < n ? "on" : "";
      s.tabIndex = (n ? i + 1 == n : !i) - 1;
    });
  // The API gives an average whenever the count is not 0.
  const render = (d) =>
    (count.textContent = d.count
      ? d.average.toFixed(1).replace(".", it ? "," : ".") + " \u00b7 " + d.count + " " + T[d.count > 1 ? 3 : 2]
      : T[1]);

  // Send queued vote v; forget it once sent, or once refused for good.
  // The caller handles the outcome, after the queue is up to date.
  const send = (v) => {
    const forget = () => save(queue.filter((x) => x != v));
    const sent = api("/votes", v);
    sent.then(forget, (s) => s < 500 && s != 429 && forget());
    return sent;
  };

  const vote = (n) => {
    show(n);
    ls(mine, n);
    ls(VOTER, voter);
    voted = 1;
    const v = {
      article,
      url,
      title: (data.title || D.title).slice(0, 300),
      rating: n,
      request_id: rid(),
      // Time on the page before the vote; kept in the queue, so a resent vote keeps it.
      dwell_ms: Date.now() - t0,
      voter,
      hp: hp.value,
    };
    // Queue first, so that the vote survives a failed request or a closed tab.
    save(queue.filter((x) => x.article != article).concat(v));
    send(v)
      .then((d) => {
        render(d);
        head.textContent = T[4];
        // After a low rating, load the feedback form (it shows once per page view).
        d.ask_feedback &&
          import(at("static/feedback.js"))
            .then((m) => m.default(card, T, data, it, api, v))
            .catch(warn);
      })
      .catch((e) => warn(e, (head.textContent = T[7])));
  };

  // One guarded handler for clicks and keys on the stars.
  card.onclick = card.onkeydown = (e) => {
    try {
      const i = stars.indexOf(e.target);
      const k = e.key;
      const j = /Arrow[RD]/.test(k) ? 1 : /Arrow[LU]/.test(k) ? 4 : 0;
      // Arrows move the focus (and the roving tab stop); a click, Space or Enter votes.
      if (i >= 0 && (j || !k || k == " " || k == "Enter")) {
        e.preventDefault();
        j ? stars.map((s, n) => (s.tabIndex = n == (i + j) % 5 ? (s.focus(), 0) : -1)) : vote(i + 1);
      }
    } catch (x) {
      warn(x);
    }
  };

  show(ls(mine));

  // Resend this site's queued votes, once per page view, before the summary
  // is asked for, so that it counts them.
  const ready = Promise.all(queue.map((v) => send(v).catch(warn)));
  const load = () =>
    ready
      .then(() => voted || api("/summary?article=" + encodeURIComponent(article)))
      .then((d) => voted || render(d))
      .catch(warn);

  self.IntersectionObserver
    ? new IntersectionObserver((es, io) => es.pop().isIntersecting && load(io.disconnect()), {
        rootMargin: "200px",
      }).observe(host)
    : load();
} catch (e) {
  warn(e);
}
