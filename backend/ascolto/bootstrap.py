"""bootstrap(settings): the one place where the parts are built, for every entry point.

The WSGI app (`create_app`), the Lambda scheduled event (`scheduled.hourly`) and every CLI
command build their store, mailer, clock and secret here, so each gets the same checks:
the secret guard on Lambda, settings read once, no boto3 client made at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ascolto.errors import ConfigError
from ascolto.settings import Settings

if TYPE_CHECKING:
    from ascolto.mail.base import Mailer
    from ascolto.stores.base import Store

PLACEHOLDER = "CHANGE-ME"


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the clock every entry point injects)."""
    return datetime.now(UTC)


@dataclass
class Services:
    """The parts an entry point uses, built once."""

    settings: Settings
    store: Store
    clock: Callable[[], datetime] = utcnow
    _mailer: Mailer | None = field(default=None, repr=False)

    @property
    def mailer(self) -> Mailer:
        """Return the mailer, built from settings.mailer_url on first use."""
        if self._mailer is None:
            from ascolto.mail import open_mailer

            self._mailer = open_mailer(self.settings.mailer_url)
        return self._mailer

    def close(self) -> None:
        """Release the store's connections."""
        self.store.close()


def load_settings(data_dir: str | None = None, environ: Mapping[str, str] | None = None,
                  **overrides: Any) -> Settings:
    """Return settings from the environment, with a command's flags on top."""
    env = dict(os.environ if environ is None else environ)
    return Settings.from_env(env, data_dir=Path(data_dir) if data_dir else None, **overrides)


def check_secret(settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    """Refuse to run on Lambda without an owner-set ASCOLTO_SECRET.

    On Lambda a generated secret would live in one container's /tmp only, so each container
    would key visitors differently and sign links the others refuse.
    """
    env = os.environ if environ is None else environ
    if env.get("AWS_LAMBDA_FUNCTION_NAME") and (not settings.secret or settings.secret.startswith(PLACEHOLDER)):
        raise ConfigError("ASCOLTO_SECRET", "set it in zappa_settings.json's aws_environment_variables "
                          "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")


def bootstrap(settings: Settings | None = None, *, store: Store | None = None, mailer: Mailer | None = None,
              clock: Callable[[], datetime] | None = None, environ: Mapping[str, str] | None = None) -> Services:
    """Build the parts from settings (default: the environment), with any part the caller passes."""
    settings = settings if settings is not None else load_settings(environ=environ)
    check_secret(settings, environ)
    settings = settings.with_secret()
    if store is None:
        from ascolto.stores import open_store

        store = open_store(settings.store_url)
    return Services(settings=settings, store=store, clock=clock or utcnow, _mailer=mailer)
