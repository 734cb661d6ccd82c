// ascolto for Docusaurus: the widget's placeholder with the baked numbers, the no-JS link and the script.
// Written by `ascolto integrate docusaurus`. The theme wrappers place it under docs and blog posts.
import React, { useEffect, useRef } from "react";
import { useLocation } from "@docusaurus/router";
import { usePluginData } from "@docusaurus/useGlobalData";
import useDocusaurusContext from "@docusaurus/useDocusaurusContext";

const RATE = { en: "Rate this page", it: "Valuta questa pagina" };

export default function Ascolto({ title = "", id = "" }) {
  const { data, site, api } = usePluginData("docusaurus-plugin-ascolto");
  const { siteConfig, i18n } = useDocusaurusContext();
  const { pathname } = useLocation();
  const host = useRef(null);
  let article = id || pathname;
  if (article.length > 1) article = article.replace(/\/$/, "");
  const lang = /^it/i.test(i18n.currentLocale) ? "it" : "en";
  const a = data?.articles?.[article];
  const url = siteConfig.url + pathname;
  // Docusaurus swaps pages without a reload: load the widget once; it mounts again by itself
  // when a new placeholder appears (it watches the page's content).
  useEffect(() => {
    if (document.querySelector(`script[data-site][src="${api}/widget.js"]`)) return;
    const s = document.createElement("script");
    Object.assign(s.dataset, { site, lang });
    s.src = `${api}/widget.js`;
    s.async = true;
    host.current.after(s);
  }, []);
  const link = `${api}/rate/${site}?url=${encodeURIComponent(url)}&article=${encodeURIComponent(article)}&lang=${lang}&title=${encodeURIComponent(title)}`;
  return (
    <div data-ascolto="" style={{ minHeight: "calc(6em + 2px)" }} data-article={article} data-built={data?.generated_at} data-count={data ? a?.count ?? 0 : undefined} data-average={a?.average} ref={host}>
      {data && <span title={data.generated_at}>{a ? a.label[lang] : data.empty_label[lang]}</span>} <a href={link} rel="nofollow">{RATE[lang]}</a>
    </div>
  );
}
