// One card: the question, five stars, the article's numbers and a status line.
// What every card on a page shares lives at module level: one reader is one
// voter, and the site's queue of votes not sent yet is merged, never overwritten.
import { doc, h, style, warn } from "./dom.js";
import { EN, IT, KEYS } from "./strings.js";

const VOTER = "ascolto:voter";

// Read (one argument), write or, with "", remove a localStorage item; storage may be missing or throw.
const ls = (key, value) => {
  try {
    if (value == null) return localStorage[key];
    value === "" ? localStorage.removeItem(key) : (localStorage[key] = value);
  } catch {}
};

// 128 random bits, as the decimal digits of four 32-bit numbers (an opaque token to the API).
const rid = () => crypto.getRandomValues(new Uint32Array(4)).join("");

let voter;
const voterId = () => {
  voter ||= ls(VOTER) || rid();
  ls(VOTER, voter);
  return voter;
};

// A site's queued votes, each the body of its POST, read afresh: another card may have changed them.
const queued = (site) => {
  try {
    return JSON.parse(ls("ascolto:pending:" + site)) || [];
  } catch {
    return [];
  }
};
// Kept small, so that a page that can never send cannot grow it forever.
const requeue = (site, keep, add = []) =>
  ls("ascolto:pending:" + site, JSON.stringify(queued(site).filter(keep).concat(add).slice(-20)));

const resent = {}; // site -> its queued votes, resent once per page view
const refused = {}; // site -> this page's origin is not on its allowlist

export const card = (host, script, data, article, url, key) => {
  const site = data.site;
  const it = /^it/i.test(data.lang || doc("documentElement").lang);
  // UI strings in KEYS order: the owner's data-text-<key>, else the default.
  const T = (it ? IT : EN).split("|").map((s, i) => data["text" + KEYS[i]] || s);
  const mine = "ascolto:v:" + site + ":" + article;
  const t0 = Date.now();

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
      // Its queued votes can never be sent from here.
      if (r.status == 403 && (await r.json()).code == "origin_not_allowed") {
        requeue(site, () => 0);
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
  const more = h("button", { type: "button", hidden: "" }, T[9]);
  // The honeypot: a field no reader sees, reaches or hears of, which naive bots fill in.
  const hp = h("input", { name: "website", hidden: "" });
  const stars = [1, 2, 3, 4, 5].map((n) => h("i", { role: "radio", "aria-label": n + " " + T[n > 1 ? 6 : 5] }));
  const group = h("span", { role: "radiogroup", "aria-labelledby": "q" }, ...stars);
  const box = h("div", { lang: it ? "it" : "en" }, question, h("p", {}, group, count), h("p", {}, undo, more, status), hp);
  const root = host.shadowRoot || host.attachShadow({ mode: "open" });
  root.replaceChildren(box);
  style(root, __CSS__, 1);

  // Show rating n as chosen (none if falsy); the tab stop is the chosen or the first star.
  const show = (n) => {
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
  // After a failure: a refused origin will never succeed, anything else is retried on the next view.
  const failed = (e) => {
    warn(e);
    // A failed POST tells nothing (a refused origin fails its preflight): ask the summary, a simple GET, why.
    return summary()
      .then(render, () => {})
      .then(() => (status.textContent = refused[site] ? T[10] : T[7]));
  };

  // Send queued vote v; forget it once sent, or once refused for good.
  const send = (v) => {
    const sent = api("/votes", v);
    const forget = () => requeue(site, (x) => x.request_id != v.request_id);
    sent.then(forget, (s) => s < 500 && s != 429 && forget());
    return sent;
  };

  const vote = (n) => {
    show(n);
    ls(mine, n);
    const title = data.title || doc("title");
    const v = {
      article,
      url,
      title: String(title).slice(0, 300),
      rating: n,
      request_id: rid(),
      // Time on the page before the vote; kept in the queue, so a resent vote keeps it.
      dwell_ms: Date.now() - t0,
      voter: voterId(),
      hp: hp.value,
    };
    // Queue first, so that the vote survives a failed request or a closed tab.
    requeue(site, (x) => x.article != article, [v]);
    send(v).then((d) => {
      render(d);
      status.textContent = T[4];
      // After a low rating, offer the feedback form (loaded when the reader asks for it).
      more.hidden = !d.ask_feedback;
      more.onclick = () =>
        import(at("static/feedback.js"))
          .then((m) => m.default(box, status, more, T, data, it, api, v))
          .catch(warn);
    }, failed);
  };

  // Take the reader's vote back; the stars keep the tab stop.
  undo.onclick = () => {
    requeue(site, (x) => x.article != article);
    api("/votes/withdraw", { article, voter: voterId(), request_id: rid() }).then((d) => {
      render(d);
      ls(mine, "");
      show(0);
      more.hidden = true;
      status.textContent = T[11];
      stars[0].focus();
      // A withdrawal is not queued: say it failed, and promise nothing.
    }, (e) => warn(e, (status.textContent = T[10])));
  };

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
        j ? stars.map((s, n) => (s.tabIndex = n == (i + j) % 5 ? (s.focus(), 0) : -1)) : vote(i + 1);
      }
    } catch (x) {
      warn(x);
    }
  };

  show(ls(mine));

  // Resend the site's queued votes once per page view, before the summary is
  // asked for, so that it counts them.
  const load = () =>
    (resent[site] ||= Promise.all(queued(site).map((v) => send(v).catch(warn))))
      .then(() => status.textContent || summary().then((d) => status.textContent || render(d)))
      .catch(warn);

  self.IntersectionObserver
    ? new IntersectionObserver((es, io) => es.pop().isIntersecting && load(io.disconnect()), {
        rootMargin: "200px",
      }).observe(host)
    : load();
  return { key };
};
