// Voting, a chunk the card (card.js) imports when a reader reaches for the
// stars: the vote and its queue, taking a vote back, and the offer of the
// feedback form. What every card on a page shares lives at module level: one
// reader is one voter, and a site's queue of votes not sent yet is merged,
// never overwritten. Like the card, it never throws into the host page.
import { doc, h, ls, warn } from "./dom.js";
import { VOTE_EN, VOTE_IT, VOTE_KEYS } from "./strings.js";

const VOTER = "ascolto:voter";

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

// Voting for one card; c is what the card shares (see card.js).
export default (c) => {
  const { site, article, T, api, status } = c;
  const V = (c.it ? VOTE_IT : VOTE_EN).split("|").map((s, i) => c.data["text" + VOTE_KEYS[i]] || s);
  const t0 = Date.now();
  const more = h("button", { type: "button", hidden: "" }, V[1]);
  c.line.insertBefore(more, status);

  // Send queued vote v; forget it once sent, or once refused for good.
  const send = (v) => {
    const sent = api("/votes", v);
    const forget = () => requeue(site, (x) => x.request_id != v.request_id);
    sent.then(forget, (s) => s < 500 && s != 429 && forget());
    return sent;
  };

  // After a failed vote: a refused origin will never succeed, anything else is retried on the next view.
  const failed = (e) => {
    warn(e);
    // A failed POST tells nothing (a refused origin fails its preflight): ask the summary, a simple GET, why.
    return c
      .summary()
      .then(c.render, () => {})
      .then(() => (status.textContent = c.refused[site] ? T[7] : T[6]));
  };

  return {
    vote(n) {
      c.show(n);
      const title = c.data.title || doc("title");
      const v = {
        article,
        url: c.url,
        title: String(title).slice(0, 300),
        rating: n,
        request_id: rid(),
        // Time on the page before the vote; kept in the queue, so a resent vote keeps it.
        dwell_ms: Date.now() - t0,
        voter: voterId(),
        hp: c.hp.value,
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
            .then((m) => m.default(status.parentNode.parentNode, status, more, T, c.data, c.it, api, v))
            .catch(warn);
      }, failed);
    },

    // Take the reader's vote back; the stars keep the tab stop.
    withdraw() {
      requeue(site, (x) => x.article != article);
      api("/votes/withdraw", { article, voter: voterId(), request_id: rid() }).then(
        (d) => {
          c.render(d);
          c.show(0);
          more.hidden = true;
          status.textContent = V[2];
          c.stars[0].focus();
        },
        // A withdrawal is not queued: say it failed, and promise nothing.
        (e) => warn(e, (status.textContent = T[7])),
      );
    },

    // Resend the site's queued votes, once per page view.
    resend: () => (resent[site] ||= Promise.all(queued(site).map((v) => send(v).catch(warn)))),
  };
};
