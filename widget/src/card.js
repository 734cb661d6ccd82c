// One card: the question, five stars, the article's numbers and a status line.
// It renders and fetches the numbers. The rest is in chunks, each imported only
// by the readers who need it:
// - vote.js, voting: the vote and its queue, the chosen stars, the keys, the
//   hover preview, "Undo my vote" and the offer of the form. Imported when a
//   reader reaches for the stars (hover, focus, touch), or when this reader has
//   voted here before or has votes queued from an earlier view;
// - it.js, the Italian strings, before the card renders on an Italian page;
// - diagnose.js, when the API answers with an error: it tells the owner why.
// A reader of an English page who only reads never loads any of them.
import { doc, h, stored, style, warn } from "./dom.js";
import { EN, KEYS, strings } from "./strings.js";

export const card = (host, script, data, article, url) => {
  const site = data.site;
  // URLs relative to the script's own (…/widget.js), so that a path prefix
  // such as API Gateway's stage (/dev/widget.js) carries over.
  const at = (path) => new URL(path, script.src);
  const mine = "ascolto:v:" + site + ":" + article; // where the reader's rating is kept

  // Render with the page's strings; italian is it.js's, or undefined for English.
  const build = (italian) => {
    const T = strings(data, KEYS, EN, italian?.card);

    // The question labels the stars, and is read once; the status line speaks for the card. The status
    // comes last on its line: the voting chunk puts its buttons (Undo, Tell us more) before it.
    const question = h("b", { id: "q" }, T[0]);
    // The numbers: an output element is a polite live region (role status) by itself.
    const count = h("output");
    const status = h("span", { role: "status" });
    // The honeypot: a field no reader sees, reaches or hears of, which naive bots fill in.
    const hp = h("input", { name: "website", hidden: "" });
    // None chosen yet (the voting chunk shows the reader's rating); the first star is the tab stop.
    const stars = [1, 2, 3, 4, 5].map((n) =>
      h("i", {
        role: "radio",
        "aria-checked": false,
        tabindex: n > 1 ? -1 : 0,
        "aria-label": n + " " + T[n > 1 ? 5 : 4],
      }),
    );
    const group = h("span", { role: "radiogroup", "aria-labelledby": "q" }, ...stars);
    const box = h("div", { lang: italian ? "it" : "en" }, question, h("p", {}, group, count), h("p", {}, status), hp);
    const root = host.shadowRoot || host.attachShadow({ mode: "open" });
    root.replaceChildren(box);
    style(root, __CSS__, 1);

    // Response r was not ok: let diagnose.js say why, then throw its status.
    const failed = (r) => import(at("static/diagnose.js")).then((m) => m.default(site, r));
    const summary = () =>
      // A site id is URL-safe by its own rules. Revalidate: a summary cached before this reader's own vote
      // would hide it.
      fetch(at("v1/sites/" + site + "/summary?article=" + encodeURIComponent(article)), { cache: "no-cache" }).then(
        (r) => (r.ok ? r.json() : failed(r)),
      );
    // The API gives an average whenever the count is not 0 (numbers baked into the page come as text).
    const render = (d) =>
      (count.textContent = d.count
        ? (+d.average).toFixed(1).replace(".", italian ? "," : ".") + " \u00b7 " + d.count + " " + T[d.count > 1 ? 3 : 2]
        : T[1]);
    // Numbers a site generator baked into the placeholder (data-count, data-average) are the first paint;
    // the summary replaces them when the card comes near.
    +data.count && render(data);

    // What the voting chunk needs of this card (it finds the elements in root); it gives back press(n, key)
    // and resend().
    const context = { article, url, data, italian, T, mine, at, failed, summary, render, root };
    let voting;
    const chunk = () =>
      (voting ||= import(at("static/vote.js")).then((m) => m.default(context))).catch((e) => {
        voting = 0;
        throw e;
      });
    const fetchChunk = () => chunk().catch(warn);
    for (const type of ["pointerover", "focusin", "touchstart"]) {
      group.addEventListener(type, fetchChunk, { passive: true });
    }

    // A click, Space, Enter or an arrow on a star: the chunk acts on it (it may still be loading, as the
    // reader's first key can come right after the focus that asked for it). Handled here and now, so that
    // Space and the arrows never scroll the page.
    group.onclick = group.onkeydown = (e) => {
      const n = stars.indexOf(e.target) + 1;
      const key = e.key || "click";
      if (n && /^(click|Enter| |Arrow)/.test(key)) {
        e.preventDefault();
        chunk()
          .then((v) => v.press(n, key))
          .catch((x) => warn(x, (status.textContent = T[6])));
      }
    };

    // As the card comes near: a reader who voted here before gets the voting chunk (from their cache: they
    // voted with it), which shows their rating and offers to undo it; votes queued on an earlier view are
    // resent first, so that the summary counts them.
    const load = () =>
      (stored(mine) || stored("ascolto:pending:" + site)?.length > 2
        ? chunk().then((v) => v.resend())
        : Promise.resolve()
      )
        .catch(warn)
        .then(() => status.textContent || summary().then((d) => status.textContent || render(d)))
        .catch(warn);

    self.IntersectionObserver
      ? new IntersectionObserver((es, io) => es.pop().isIntersecting && load(io.disconnect()), {
          rootMargin: "200px",
        }).observe(host)
      : load();
  };

  // Italian is a chunk of its own (English if it cannot load); the placeholder holds the card's place meanwhile.
  const it = /^it/i.test(data.lang || doc("documentElement").lang);
  (it ? import(at("static/it.js")).then((m) => m.default, warn) : Promise.resolve())
    .then(build)
    .catch(warn);
};
