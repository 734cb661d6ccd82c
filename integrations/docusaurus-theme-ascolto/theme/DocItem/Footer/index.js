// ascolto: wraps the doc footer (swizzle --wrap DocItem/Footer). Written by `ascolto integrate docusaurus`.
import React from "react";
import Footer from "@theme-original/DocItem/Footer";
import { useDoc } from "@docusaurus/plugin-content-docs/client";
import Ascolto from "@theme/Ascolto";

export default function FooterWrapper(props) {
  const { metadata, frontMatter } = useDoc();
  return (
    <>
      <Footer {...props} />
      {frontMatter.ascolto !== false && <Ascolto title={metadata.title} id={frontMatter.ascolto_id} />}
    </>
  );
}
