"""The daily digest: collect (Store queries) → build_report (pure) → render (Jinja2) → send (Mailer)."""
