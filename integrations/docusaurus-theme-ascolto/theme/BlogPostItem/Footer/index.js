// ascolto: wraps the blog post footer (swizzle --wrap BlogPostItem/Footer). Written by `ascolto integrate docusaurus`.
import React from "react";
import Footer from "@theme-original/BlogPostItem/Footer";
import { useBlogPost } from "@docusaurus/plugin-content-blog/client";
import Ascolto from "@theme/Ascolto";

export default function FooterWrapper(props) {
  const { metadata, frontMatter, isBlogPostPage } = useBlogPost();
  return (
    <>
      <Footer {...props} />
      {isBlogPostPage && frontMatter.ascolto !== false && <Ascolto title={metadata.title} id={frontMatter.ascolto_id} />}
    </>
  );
}
