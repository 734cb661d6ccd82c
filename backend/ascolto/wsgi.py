"""The WSGI entry for Lambda (Zappa's `app_function: ascolto.wsgi.app`) and other WSGI servers.

Importing this module builds the app from the environment and nothing more: the store and
the mailer create their boto3 clients on first use, so a cold start pays only for imports.
`bootstrap` refuses to start on Lambda without an owner-set ASCOLTO_SECRET.
"""

from __future__ import annotations

from flask import Flask

from ascolto.app import create_app

app: Flask = create_app()
