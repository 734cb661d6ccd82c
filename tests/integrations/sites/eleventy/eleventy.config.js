// The test writes ascolto.eleventy.js with `ascolto integrate eleventy`; ports come from the test.
module.exports = function (eleventyConfig) {
  eleventyConfig.addPlugin(require("./ascolto.eleventy.js"), {
    site: process.env.ASCOLTO_TEST_SITE,
    api: process.env.ASCOLTO_TEST_API,
    baseUrl: process.env.ASCOLTO_TEST_BASE_URL,
    minCount: 3,
  });
  eleventyConfig.ignores.add("node_modules/**");
};
