// Voting, a chunk the card (card.js) imports when a reader reaches for the
// stars: the vote and its queue, the chosen stars, the keys, taking a vote
// back, and the offer of the feedback form. What every card on a page shares
// lives at module level: one reader is one voter, and a site's queue of votes
// not sent yet is merged, never overwritten. Like the card, it never throws
// into the host page.
import { doc, h, store, stored, style, warn } from "./dom.js";
import { VOTE_EN, VOTE_KEYS, strings } from "./strings.js";

const VOTER = "ascolto:voter";

// 128 random bits, as the decimal digits of four 32-bit numbers (an opaque token to the API).
const rid = () => crypto.getRandomValues(new Uint32Array(4)).join("");

let voter;
const voterId = () => {
  voter ||= stored(VOTER) || rid();
  store(VOTER, voter);
  return voter;
};

// A site's queued votes, each the body of its POST, read afresh: another card may have changed them.
const pending = (site) => "ascolto:pending:" + site;
const queued = (site) => {
  try {
    return JSON.parse(stored(pending(site))) || [];
  } catch {
    return [];
  }
};
// Kept small, so that a page that can never send cannot grow it forever.
const requeue = (site, keep, add = []) =>
  store(pending(site), JSON.stringify(queued(site).filter(keep).concat(add).slice(-20)));

const resent = {}; // site -> its queued votes, resent once per page view

// Voting for one card; c is what the card shares (see card.js).
export default (c) => {
  const { article, data, T } = c;
  const site = data.site;
  const V = strings(data, VOTE_KEYS, VOTE_EN, c.italian?.vote);
  const t0 = Date.now();
  // The card's elements: its stars, its status line and the honeypot.
  const stars = [...c.root.querySelectorAll("i")];
  const status = c.root.querySelector("[role=status]");
  const hp = c.root.querySelector("input");
  // What only matters once a reader reaches for the stars (vote.css).
  style(c.root, __CSS__);

  // Text buttons before the status: "Undo my vote" while the reader has a vote here, and "Tell us more".
  const undo = h("button", { type: "button" }, V[4]);
  const more = h("button", { type: "button", hidden: "" }, V[1]);
  status.before(undo, more);

  // Show rating n as chosen (none if falsy), and keep it; the tab stop is the chosen or the first star.
  const choose = (n) => {
    store(c.mine, n || "");
    stars.map((s, i) => {
      s.setAttribute("aria-checked", i + 1 == n);
      s.className = i < n ? "on" : "";
      s.tabIndex = (n ? i + 1 == n : !i) - 1;
    });
    undo.hidden = !n;
  };
  choose(stored(c.mine));

  // POST body to the site's API, as JSON; a response not ok throws its status (after diagnose.js).
  const api = (path, body) =>
    fetch(c.at("v1/sites/" + site + path), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => (r.ok ? r.json() : c.failed(r)));

  // Send queued vote v; forget it once sent, or once refused for good.
  const send = (v) => {
    const sent = api("/votes", v);
    const forget = () => requeue(site, (x) => x.request_id != v.request_id);
    sent.then(forget, (s) => s < 500 && s != 429 && forget());
    return sent;
  };

  // After a failed vote: a refused origin will never succeed, anything else is retried on the next view.
  // A failed POST tells nothing (a refused origin fails its preflight): ask the summary, a simple GET, why.
  const retry = (e) => {
    warn(e);
    return c
      .summary()
      .then(c.render)
      .then(
        () => (status.textContent = V[3]),
        (s) => (status.textContent = s == 403 ? T[6] : V[3]),
      );
  };

  const vote = (n) => {
    choose(n);
    const v = {
      article,
      url: c.url,
      title: String(data.title || doc("title")).slice(0, 300),
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
      c.render(d);
      status.textContent = V[0];
      // After a low rating, offer the feedback form (loaded when the reader asks for it).
      more.hidden = !d.ask_feedback;
      more.onclick = () =>
        import(c.at("static/feedback.js"))
          .then((m) => m.default(status.parentNode.parentNode, status, more, T, data, c.italian?.form, api, v))
          .catch(warn);
    }, retry);
  };

  // Take the reader's vote back; the stars keep the tab stop.
  undo.onclick = () => {
    requeue(site, (x) => x.article != article);
    api("/votes/withdraw", { article, voter: voterId(), request_id: rid() }).then(
      (d) => {
        c.render(d);
        choose(0);
        more.hidden = true;
        status.textContent = V[2];
        stars[0].focus();
      },
      // A withdrawal is not queued: say it failed, and promise nothing.
      (e) => warn(e, (status.textContent = T[6])),
    );
  };

  return {
    // Star n was clicked, or key pressed on it. A key acts on the focused star, the roving tab stop, read
    // now: keys pressed while this chunk loaded apply in order. The arrows move the focus and the tab stop,
    // and follow the page's direction (on a right-to-left page the first star is on the right); the rest vote.
    press(n, key) {
      const stop = stars.findIndex((s) => s.tabIndex == 0);
      const rtl = getComputedStyle(stars[0]).direction == "rtl";
      const step = { ArrowDown: 1, ArrowUp: 4, ArrowRight: rtl ? 4 : 1, ArrowLeft: rtl ? 1 : 4 }[key];
      if (!step) return vote(key == "click" ? n : stop + 1);
      const next = (stop + step) % 5;
      stars.map((s, i) => (s.tabIndex = i == next ? 0 : -1));
      stars[next].focus();
    },

    // Resend the site's queued votes, once per page view.
    resend: () => (resent[site] ||= Promise.all(queued(site).map((v) => send(v).catch(warn)))),
  };
};
