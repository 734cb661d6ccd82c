// ascolto widget: five stars, a count, and (after a low rating) a feedback form.
// Polite by design: it never throws into the host page, never uses innerHTML,
// sets no cookies, and makes one request per page view (the summary), lazily.
// The whole asset must stay under 2,000 bytes gzip, hence the terse style.
import { EN, IT, KEYS } from "./strings.js";

const D = document;
const PENDING = "ascolto:pending";

const warn = (e) => console.warn("[ascolto]", e);

// Read (one argument) or write localStorage, which may be missing or throw.
const ls = (k, v) => {
  try {
    return v ? localStorage.setItem(k, v) : localStorage.getItem(k);
  } catch {}
};

// 128 random bits as 32 hex digits.
const rid = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b | 256).toString(16).slice(1)).join("");

// Build an element with attributes; children are nodes or plain text.
const h = (tag, attrs, ...kids) => {
  const e = D.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.append(...kids);
  return e;
};

try {
  const script = D.currentScript || D.querySelector('script[data-site][src*="widget"]');
  const data = (k) => script.getAttribute("data-" + k);
  const site = data("site");
  const url = (D.querySelector("link[rel=canonical]") || location).href.split("#")[0];
  const article = data("article") || new URL(url).pathname.replace(/(.)\/$/, "$1");
  const it = /^it/i.test(data("lang") || D.documentElement.lang);
  // UI strings in KEYS order: the owner's data-text-<key>, else the default.
  const T = (it ? IT : EN).split("|").map((s, i) => data("text-" + KEYS[i]) || s);
  const mine = "ascolto:v:" + site + ":" + article;
  const voter = ls("ascolto:voter") || rid();
  let queue = [];
  let voted;
  let form;
  try {
    queue = JSON.parse(ls(PENDING)) || [];
  } catch {}
  // Kept small, so that a page on a refused origin cannot grow it forever.
  const save = (q) => ls(PENDING, JSON.stringify((queue = q.slice(-20))));

  const api = (path, body) =>
    fetch(new URL("/v1/sites/" + encodeURIComponent(site) + path, script.src), {
      mode: "cors",
      credentials: "omit",
      // Revalidate: a summary cached before this reader's own vote would hide it.
      cache: "no-cache",
      ...(body && { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));

  // The host: the owner's placeholder, else a new div right after the script.
  let host = D.querySelector("[data-ascolto]");
  if (!host || host.shadowRoot) script.after((host = h("div")));
  // Reserve the card's height so that the page does not shift when it fills in.
  host.style.minHeight = "90px";

  // The question; it turns into "thanks" (or the retry line) after a vote.
  const head = h("b", { "aria-live": "polite" }, T[0]);
  const count = h("small", { "aria-live": "polite" });
  const hp = h("input", { name: "website", tabindex: -1, "aria-hidden": true });
  const stars = [1, 2, 3, 4, 5].map((n) => h("i", { role: "radio", "aria-label": n + " " + T[n > 1 ? 10 : 9] }, "\u2605"));
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
  const render = (d) => {
    const avg = d.average?.toFixed(1);
    count.textContent =
      d.count && avg ? (it ? avg.replace(".", ",") : avg) + " \u00b7 " + d.count + " " + T[d.count > 1 ? 3 : 2] : T[1];
  };

  // Send queued vote v; forget it once sent, or once refused for good.
  const send = (v) => {
    const { site: _, ...body } = v;
    const forget = () => save(queue.filter((x) => x != v));
    return api("/votes", { ...body, voter, hp: hp.value }).then(
      (d) => (forget(), d),
      (s) => {
        if (s < 500 && s != 429) forget();
        throw s;
      },
    );
  };

  const vote = (n) => {
    show(n);
    ls(mine, n);
    ls("ascolto:voter", voter);
    voted = 1;
    const v = {
      site,
      article,
      url,
      title: (data("title") || D.title).trim().slice(0, 300),
      rating: n,
      request_id: rid(),
      // Time on the page before the vote; kept in the queue, so a resent vote keeps it.
      dwell_ms: Date.now() - t0,
    };
    // Queue first, so that the vote survives a failed request or a closed tab.
    save(queue.filter((x) => x.site != site || x.article != article).concat(v));
    send(v)
      .then((d) => {
        render(d, (head.textContent = T[4]));
        form ||=
          d.ask_feedback &&
          card.insertBefore(
            h(
              "form",
              {},
              h("label", {}, T[5], h("textarea", { maxlength: 2000 })),
              h("label", {}, T[6], h("input", { type: "email", maxlength: 254 })),
              h("button", {}, T[7]),
            ),
            hp,
          );
      })
      .catch((e) => warn(e, (head.textContent = T[11])));
  };

  // One guarded handler for clicks, keys and the feedback form's submit.
  card.onclick =
    card.onkeydown =
    card.onsubmit =
      (e) => {
        try {
          const i = stars.indexOf(e.target);
          const k = e.key;
          const j = /^Arrow[RD]/.test(k) ? i + 1 : /^Arrow[LU]/.test(k) ? i + 4 : -1;
          if (e.type == "submit") {
            const [text, email] = form.querySelectorAll("[maxlength]");
            // An email input's value comes trimmed already.
            const body = { article, voter, text: text.value.trim(), contact_email: email.value || null };
            // Sent once: a second click while it is on its way does nothing.
            body.text &&
              !form.busy &&
              api("/feedback", body, (form.busy = 1))
                .then(() => form.remove((head.textContent = T[8])))
                .catch((x) => warn(x, (head.textContent = T[11]), (form.busy = 0)));
          } else if (i < 0) return;
          // Arrows move the focus (and the roving tab stop); Space or Enter votes.
          else if (j >= 0) stars.map((s, n) => (s.tabIndex = n == j % 5 ? (s.focus(), 0) : -1));
          else if (!k || k == " " || k == "Enter") vote(i + 1);
          else return;
          e.preventDefault();
        } catch (x) {
          warn(x);
        }
      };

  show(ls(mine));

  // Resend this site's queued votes, once per page view. A resent vote for
  // this article brings fresh numbers, and then the summary is not needed.
  const ready = Promise.all(
    queue
      .filter((v) => v.site == site)
      .map((v) =>
        send(v)
          .then((d) => v.article == article && render(d, (voted = 1)))
          .catch(warn),
      ),
  );
  const load = () =>
    ready
      .then(() => voted || api("/summary?article=" + encodeURIComponent(article)).then((d) => voted || render(d)))
      .catch(warn);

  self.IntersectionObserver
    ? new IntersectionObserver((es, io) => es.some((e) => e.isIntersecting) && load(io.disconnect()), {
        rootMargin: "200px",
      }).observe(host)
    : load();
} catch (e) {
  warn(e);
}
