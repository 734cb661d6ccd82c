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

const rid = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b | 256).toString(16).slice(1)).join("");

// Build an element: on* functions become handlers that log instead of
// throwing, the rest attributes; children are nodes or plain text.
const h = (tag, attrs, ...kids) => {
  const e = D.createElement(tag);
  for (const k in attrs)
    /^on/.test(k)
      ? (e[k] = (x) => {
          try {
            attrs[k](x);
          } catch (err) {
            warn(err);
          }
        })
      : e.setAttribute(k, attrs[k]);
  e.append(...kids);
  return e;
};

try {
  const script = D.currentScript || D.querySelector('script[data-site][src*="widget"]');
  const data = (k) => script.getAttribute("data-" + k);
  const site = data("site");
  const base = new URL(script.src).origin + "/v1/sites/" + encodeURIComponent(site);
  const url = (D.querySelector("link[rel=canonical]") || location).href.split("#")[0];
  const article = data("article") || new URL(url).pathname.replace(/(.)\/$/, "$1");
  const title = (data("title") || D.title).trim().slice(0, 300);
  const it = /^it/i.test(data("lang") || D.documentElement.lang);
  // UI string i (in KEYS order), or the owner's data-text-<key> override.
  const t = (i) => data("text-" + KEYS[i]) || (it ? IT : EN).split("|")[i];

  const mine = "ascolto:v:" + site + ":" + article;
  const voter = ls("ascolto:voter") || rid();
  let queue;
  try {
    queue = JSON.parse(ls(PENDING)) || [];
  } catch {
    queue = [];
  }
  // Kept small, so that a page on a refused origin cannot grow it forever.
  const save = () => ls(PENDING, JSON.stringify((queue = queue.slice(-20))));
  const drop = (v) => save((queue = queue.filter((x) => x != v)));
  let fresh;
  let form;

  const api = (path, body) =>
    fetch(base + path, {
      mode: "cors",
      credentials: "omit",
      ...(body && { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    }).then((r) => (r.ok ? r : Promise.reject(r.status)));

  // The host: the owner's placeholder, else a new div right after the script.
  let host = D.querySelector("[data-ascolto]");
  if (!host || host.shadowRoot) script.after((host = h("div")));
  // Reserve the card's height so that the page does not shift when it fills in.
  host.style.minHeight ||= "96px";

  const count = h("small", { "aria-live": "polite" });
  const msg = h("p", { "aria-live": "polite" });
  const hp = h("input", { class: "h", name: "website", tabindex: -1, autocomplete: "off", "aria-hidden": true });
  const stars = [1, 2, 3, 4, 5].map((n) =>
    h("i", { role: "radio", "aria-label": n + " " + t(n > 1 ? 10 : 9), onclick: () => vote(n) }),
  );
  const card = h(
    "div",
    {},
    h("b", {}, t(0)),
    h(
      "span",
      {
        role: "radiogroup",
        "aria-label": t(0),
        // Arrows move the focus (the stars preview it); Space or Enter votes.
        onkeydown: (e) => {
          const i = stars.indexOf(e.target);
          const k = e.key;
          const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: 4, ArrowUp: 4 }[k];
          if (step) stars.forEach((s, j) => (s.tabIndex = j == (i + step) % 5 ? (s.focus(), 0) : -1));
          else if (k == " " || k == "Enter") vote(i + 1);
          else return;
          e.preventDefault();
        },
      },
      ...stars,
    ),
    count,
    msg,
    hp,
  );
  host.attachShadow({ mode: "open" }).append(h("style", {}, __CSS__), card);
  const t0 = Date.now();

  // Show rating n as chosen (0: none); the tab stop is the chosen or the first star.
  const show = (n) =>
    stars.forEach((s, i) => {
      s.setAttribute("aria-checked", i + 1 == n);
      s.className = i < n ? "on" : "";
      s.tabIndex = (n ? i + 1 == n : !i) - 1;
    });
  const render = (d) => {
    const avg = d.average?.toFixed(1);
    count.textContent =
      d.count && avg ? (it ? avg.replace(".", ",") : avg) + " \u00b7 " + d.count + " " + t(d.count > 1 ? 3 : 2) : t(1);
  };

  const send = (v) => {
    const { site: _, ...body } = v;
    return api("/votes", { ...body, voter, hp: hp.value, dwell_ms: Date.now() - t0 })
      .then((r) => (drop(v), r.json()))
      .catch((s) => {
        // A refusal that a retry cannot fix leaves the queue; a failure stays.
        if (s < 500 && s != 429) drop(v);
        throw s;
      });
  };

  const vote = (n) => {
    show(n);
    ls(mine, n);
    ls("ascolto:voter", voter);
    const v = { site, article, url, title, rating: n, request_id: rid() };
    // Queue first, so that the vote survives a failed request or a closed tab.
    queue = queue.filter((x) => x.site != site || x.article != article);
    save(queue.push(v));
    send(v).then(
      (d) => {
        render(d, (msg.textContent = t(4)));
        if (d.ask_feedback) form ||= card.insertBefore(feedback(), hp);
        else form = form?.remove();
      },
      (e) => warn(e, (msg.textContent = t(11))),
    );
    fresh = 1;
  };

  const feedback = () => {
    const text = h("textarea", { maxlength: 2000, required: "", rows: 3 });
    const email = h("input", { type: "email", maxlength: 254, autocomplete: "email" });
    const button = h("button", {}, t(7));
    const f = h(
      "form",
      {
        onsubmit: (e) => {
          e.preventDefault();
          const body = { article, voter, text: text.value.trim() };
          if (email.value) body.contact_email = email.value.trim();
          if (body.text) {
            button.disabled = true;
            api("/feedback", body).then(
              () => f.remove(msg.textContent = t(8)),
              (e) => warn(e, (button.disabled = false), (msg.textContent = t(11))),
            );
          }
        },
      },
      h("label", {}, t(5), text),
      h("label", {}, t(6), email),
      button,
    );
    return f;
  };

  const stored = ls(mine);
  show(stored > 0 && stored < 6 ? stored : 0);

  // Resend this site's queued votes, once per page view. A resent vote for
  // this article brings fresh numbers, and then the summary is not needed.
  const ready = Promise.all(
    queue
      .filter((v) => v.site == site)
      .map((v) => send(v).then((d) => v.article == article && render(d, (fresh = 1)), warn)),
  );
  const load = () =>
    ready
      .then(
        () =>
          fresh ||
          api("/summary?article=" + encodeURIComponent(article))
            .then((r) => r.json())
            .then((d) => fresh || render(d)),
      )
      .catch(warn);

  if (self.IntersectionObserver) {
    const io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && (io.disconnect(), load()), {
      rootMargin: "200px",
    });
    io.observe(host);
  } else load();
} catch (e) {
  warn(e);
}
