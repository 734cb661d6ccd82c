// Build the widget into one minified IIFE (deterministic: same input, same bytes).
// Usage: node build.mjs [outfile]   (default: the asset the Python package ships)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = process.argv[2] || join(here, "..", "backend", "ascolto", "static", "widget.js");
const css = await transform(readFileSync(join(here, "src", "widget.css"), "utf8"), {
  loader: "css",
  minify: true,
  target: "chrome90",
});

await build({
  entryPoints: [join(here, "src", "ascolto.js")],
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  // esbuild keeps custom property values verbatim; squeeze their spaces too.
  define: { __CSS__: JSON.stringify(css.code.trim().replace(/([:,]) /g, "$1")) },
  logLevel: "warning",
});
