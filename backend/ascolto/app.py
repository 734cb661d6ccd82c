"""create_app(settings): the WSGI app, built on the parts `bootstrap` makes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, Response, render_template

from ascolto import __version__
from ascolto.api.body_limit import BodyLimit
from ascolto.api.errors import register_error_handlers
from ascolto.assets import bp as assets_bp
from ascolto.bootstrap import Services, bootstrap
from ascolto.mail.base import Mailer
from ascolto.ratings import DEMO_SITE
from ascolto.settings import Settings
from ascolto.snippet import snippet
from ascolto.stores.base import Store


def create_app(settings: Settings | None = None, *, services: Services | None = None, store: Store | None = None,
               clock: Callable[[], datetime] | None = None, mailer: Mailer | None = None) -> Flask:
    """Build the WSGI app from parts already built, or bootstrap them from settings and what the caller passes."""
    parts = services or bootstrap(settings, store=store, mailer=mailer, clock=clock)
    settings = parts.settings
    app = Flask(__name__, static_folder=None)  # assets.py serves static/ at versioned URLs
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.wsgi_app = BodyLimit(app.wsgi_app, settings.max_body_bytes)  # type: ignore[method-assign]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["ascolto"] = parts
    from ascolto.api.openapi import bp as openapi_bp
    from ascolto.api.v1 import bp as v1_bp

    app.register_blueprint(v1_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(assets_bp)
    from ascolto.nojs import bp as nojs_bp
    from ascolto.owner import bp as owner_bp

    app.register_blueprint(owner_bp)
    app.register_blueprint(nojs_bp)
    register_error_handlers(app)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        """Report that the app answers and which version it runs."""
        return {"status": "ok", "version": __version__}

    if settings.demo:
        @app.get("/")
        def demo() -> Response:
            """Serve a demo article that embeds the snippet as an owner would."""
            site = app.extensions["ascolto"].store.get_site(DEMO_SITE)
            html = render_template("demo.html", snippet=snippet(site, settings.public_url) if site else "")
            return Response(html, mimetype="text/html")

    logging.getLogger("ascolto").setLevel(logging.INFO)
    return app
