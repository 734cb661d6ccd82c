// A Hugo module: [[module.imports]] path = "<this repository's module path>/integrations/hugo-ascolto",
// with [params.ascolto] site = "my-blog", api = "https://ratings.example.org" in the site's config.
module github.com/ascolto/ascolto/integrations/hugo-ascolto

go 1.20
