// ascolto for Eleventy: star ratings with the numbers baked in at build time.
// eleventyConfig.addPlugin(require("./ascolto.eleventy.js"), { site: "my-blog", api: "https://ratings.example.org" });
// then in a layout: {% ascolto title, ascolto_schema, ascolto_id %} (all optional).
// The numbers are fetched once per build; a backend that is down never fails it: the last numbers
// fetched (.cache/ascolto.json, with their date) are used, or none.
const fs = require("node:fs");
const path = require("node:path");

const ELIGIBLE = ["Book", "Course", "Event", "Game", "LocalBusiness", "Movie", "Product", "Recipe", "SoftwareApplication"];
const RATE = { en: "Rate this page", it: "Valuta questa pagina" };
const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

module.exports = function ascolto(eleventyConfig, options = {}) {
  const api = String(options.api || "").replace(/\/$/, "");
  const site = options.site;
  const minCount = options.minCount ?? 5;
  const cache = path.resolve(options.cacheFile || ".cache/ascolto.json");
  let data = null;

  eleventyConfig.on("eleventy.before", async () => {
    try {
      const r = await fetch(`${api}/v1/sites/${site}/summaries.json`, { signal: AbortSignal.timeout(10000) });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      data = await r.json();
      fs.mkdirSync(path.dirname(cache), { recursive: true });
      fs.writeFileSync(cache, JSON.stringify(data));
    } catch (e) {
      console.warn(`[ascolto] numbers not baked (${e.message})`);
      try {
        data = JSON.parse(fs.readFileSync(cache, "utf8"));
      } catch {
        data = null;
      }
    }
  });

  eleventyConfig.addShortcode("ascolto", function (title = "", schema = "", id = "") {
    const page = this.page || {};
    let article = id || page.url || "/";
    if (article.length > 1) article = article.replace(/\/$/, "");
    const lang = /^it/i.test(page.lang || options.lang || "") ? "it" : "en";
    const url = new URL(page.url || "/", options.baseUrl || "http://localhost/").href;
    const a = (data && data.articles && data.articles[article]) || null;
    const link =
      `${api}/rate/${site}?url=${encodeURIComponent(url)}&article=${encodeURIComponent(article)}` +
      `&lang=${lang}&title=${encodeURIComponent(title)}`;
    let numbers = "";
    let attrs = "";
    if (data) {
      attrs = ` data-built="${esc(data.generated_at)}" data-count="${a ? a.count : 0}"` + (a ? ` data-average="${a.average}"` : "");
      numbers = `<span title="${esc(data.generated_at)}">${esc(a ? a.label[lang] : data.empty_label[lang])}</span> `;
    }
    let html =
      `<div data-ascolto style="min-height:calc(6em + 2px)" data-article="${esc(article)}"${attrs}>${numbers}` +
      `<a href="${esc(link)}" rel="nofollow">${RATE[lang]}</a></div>\n` +
      `<script src="${esc(api)}/widget.js" data-site="${esc(site)}" data-article="${esc(article)}" data-lang="${lang}" async></script>`;
    if (schema && ELIGIBLE.includes(schema) && a && a.count >= minCount) {
      const ld = {
        "@context": "https://schema.org",
        "@type": schema,
        name: title,
        aggregateRating: { "@type": "AggregateRating", ratingValue: a.rating_value, ratingCount: a.count, bestRating: 5, worstRating: 1 },
      };
      html += `\n<script type="application/ld+json">${JSON.stringify(ld).replace(/</g, "\\u003c")}</script>`;
    }
    return html;
  });
};
