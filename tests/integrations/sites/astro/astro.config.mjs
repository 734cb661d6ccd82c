// The test serves the build from its own port: the site's URL comes from the environment.
import { defineConfig } from "astro/config";

export default defineConfig({ site: process.env.ASCOLTO_TEST_BASE_URL, trailingSlash: "ignore" });
