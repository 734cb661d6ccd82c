"""The WSGI entry for Lambda (Zappa's `app_function: ascolto.wsgi.app`) and other WSGI servers.

Importing this module builds the app from the environment and nothing more: the store and
the mailer create their boto3 clients on first use, so a cold start pays only for imports.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask

from ascolto.app import create_app
from ascolto.settings import Settings

PLACEHOLDER = "CHANGE-ME"


def lambda_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings, refusing to run on Lambda without an owner-set ASCOLTO_SECRET."""
    env = os.environ if environ is None else environ
    settings = Settings.from_env(dict(env))
    if env.get("AWS_LAMBDA_FUNCTION_NAME") and (not settings.secret or settings.secret.startswith(PLACEHOLDER)):
        # On Lambda a generated secret would live in one container's /tmp only, so each
        # container would salt visitors differently and sign links the others refuse.
        raise RuntimeError("Set ASCOLTO_SECRET in zappa_settings.json's aws_environment_variables "
                           "(python -c 'import secrets; print(secrets.token_urlsafe(32))').")
    return settings


app: Flask = create_app(lambda_settings())
