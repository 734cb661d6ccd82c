"""create_app(settings): the one place where parts are wired together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, Response, render_template

from ascolto import __version__
from ascolto.api.errors import register_error_handlers
from ascolto.assets import bp as assets_bp
from ascolto.mail.base import Mailer, open_mailer
from ascolto.ratings import utcnow
from ascolto.settings import Settings
from ascolto.snippet import snippet
from ascolto.stores.base import Store, open_store

DEMO_SITE = "demo"


@dataclass
class Services:
    """The parts a request may use, built once per app."""

    settings: Settings
    store: Store
    clock: Callable[[], datetime]
    _mailer: Mailer | None = field(default=None, repr=False)

    @property
    def mailer(self) -> Mailer:
        """Return the mailer, built from settings.mailer_url on first use."""
        if self._mailer is None:
            self._mailer = open_mailer(self.settings.mailer_url)
        return self._mailer


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               clock: Callable[[], datetime] | None = None, mailer: Mailer | None = None) -> Flask:
    """Build the WSGI app from defaults, then the environment, then what the caller passes."""
    settings = (settings or Settings.from_env()).with_secret()
    app = Flask(__name__, static_folder=None)  # assets.py serves static/ at versioned URLs
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["ascolto"] = Services(
        settings=settings,
        store=store or open_store(settings.store_url),
        clock=clock or utcnow,
        _mailer=mailer,
    )
    from ascolto.api.openapi import bp as openapi_bp
    from ascolto.api.v1 import bp as v1_bp

    app.register_blueprint(v1_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(assets_bp)
    from ascolto.owner import bp as owner_bp

    app.register_blueprint(owner_bp)
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
