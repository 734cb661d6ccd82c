// Build the widget (deterministic: same input, same bytes) into the card and its chunks:
//   widget.js    the card, one minified IIFE that every page loads;
//   vote.js      voting, an ES module the card imports when a reader reaches for the stars;
//   feedback.js  the feedback form, an ES module vote.js imports when a reader
//                asks for it after a low rating;
//   it.js        the Italian strings, an ES module the card imports on an Italian page;
//   diagnose.js  why a request failed, an ES module imported when the API answers with an error.
// A file refers to another as "static/<name>"; the backend serves each file at a
// content-versioned URL and rewrites those references (backend/ascolto/assets.py).
// Usage: node build.mjs [outdir]   (default: the directory the Python package ships)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { minify } from "terser";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2] || join(here, "..", "backend", "ascolto", "static");

const css = async (name) => {
  const out = await transform(readFileSync(join(here, "src", name), "utf8"), {
    loader: "css",
    minify: true,
    target: "chrome90",
  });
  // esbuild keeps custom property values verbatim; squeeze their spaces too.
  return JSON.stringify(out.code.trim().replace(/([:,]) /g, "$1"));
};

// esbuild bundles and minifies; terser then squeezes a few percent more (it
// reuses short names across scopes, which gzip likes).
const bundle = async (entry, out, format, cssName) => {
  const built = await build({
    entryPoints: [join(here, "src", entry)],
    write: false,
    bundle: true,
    minify: true,
    format,
    target: "es2020",
    legalComments: "none",
    define: cssName ? { __CSS__: await css(cssName) } : {},
    logLevel: "warning",
  });
  const { code } = await minify(built.outputFiles[0].text, {
    ecma: 2020,
    module: format == "esm",
    compress: { passes: 2 },
    format: { ascii_only: true },
  });
  writeFileSync(join(outdir, out), code);
};

mkdirSync(outdir, { recursive: true });
await bundle("ascolto.js", "widget.js", "iife", "widget.css");
await bundle("vote.js", "vote.js", "esm", "vote.css");
await bundle("feedback.js", "feedback.js", "esm", "feedback.css");
await bundle("it.js", "it.js", "esm");
await bundle("diagnose.js", "diagnose.js", "esm");
