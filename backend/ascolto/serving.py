"""Serving on one machine: request logs without client IPs or owner tokens, server errors as JSON.

Werkzeug's request handler (under `ascolto serve`) and gunicorn's logger both write the client
address and the full request line, owner tokens in `/owner/<token>` included. The classes here
log a request as `METHOD /path STATUS DURATIONms`, the path without its query and with any owner
token replaced by `<token>`. Werkzeug's server also answers some malformed requests itself
(414 URI too long, 431 headers too large, 400 bad request line) with an HTML page; here they get
the API's JSON error shape.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from werkzeug._internal import _log  # the function Werkzeug's own handler logs through
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.serving import WSGIRequestHandler

OWNER_TOKEN = re.compile(r"(/owner/)[^/?#\s\"']+")
CLIENT_IP = re.compile(r"\bip=\S+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The field each error of the server layer is about, for the `errors` object.
SERVER_ERROR_FIELDS = {400: "request", 408: "request", 414: "url", 431: "headers", 501: "method", 505: "version"}
SERVER_ERROR_MESSAGES = {
    400: "The request line or headers are malformed.",
    408: "The request did not arrive in time.",
    414: "The URL is longer than this server accepts.",
    431: "The request headers are larger than this server accepts.",
    501: "This method is not supported.",
    505: "This HTTP version is not supported.",
}


def redact(text: str) -> str:
    """Replace owner tokens and `ip=` values in a log message."""
    text = OWNER_TOKEN.sub(r"\1<token>", text)
    return CLIENT_IP.sub(lambda m: "ip=-:" if m.group().endswith(":") else "ip=-", text)


def request_summary(method: str, target: str, status: int | str, elapsed: timedelta | float) -> str:
    """Return `METHOD /path STATUS 12ms`: no query, no owner token, no control characters."""
    path = target.split("?", 1)[0].split("#", 1)[0] or "-"
    seconds = elapsed.total_seconds() if isinstance(elapsed, timedelta) else elapsed
    line = f"{method or '-'} {redact(path)} {status} {seconds * 1000:.0f}ms"
    return CONTROL.sub("?", line)


def error_body(status: int) -> bytes:
    """Return the JSON error shape for an error the server layer answers itself."""
    name = HTTP_STATUS_CODES.get(status, "Error")
    message = SERVER_ERROR_MESSAGES.get(status, name + ".")
    return json.dumps({"code": name.lower().replace(" ", "_"), "status": status, "message": message,
                       "errors": {SERVER_ERROR_FIELDS.get(status, "request"): [message]}}).encode()


class RequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, logging without the client address and answering its own errors in JSON."""

    _started = 0.0

    def handle_one_request(self) -> None:
        """Note when the request began, for its duration in the log."""
        self._started = time.monotonic()
        super().handle_one_request()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log `METHOD /path STATUS DURATIONms`."""
        elapsed = time.monotonic() - self._started if self._started else 0.0
        _log("info", request_summary(self.command or "", getattr(self, "path", ""), code, elapsed) + "\n")

    def log(self, type: str, message: str, *args: Any) -> None:
        """Log other messages (errors) without the client address and with owner tokens redacted."""
        _log(type, redact(CONTROL.sub("?", message % args if args else message)) + "\n")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer an error of the server layer with the JSON error shape and close the connection."""
        body = error_body(code)
        if self.request_version == "HTTP/0.9":  # a malformed request line: answer with a status line anyway
            self.request_version = "HTTP/1.0"
        # The standard phrase only: http.server would echo the malformed request line in the reason.
        self.send_response(code, HTTPStatus(code).phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)
        self.close_connection = True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is optional: only `--logger-class ascolto.serving.GunicornLogger` needs it
    _GunicornLogger = object  # type: ignore[assignment,misc]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type,unused-ignore]
    """gunicorn's logger with no client address, user agent, referrer or owner token in any line.

    Use with `gunicorn --logger-class ascolto.serving.GunicornLogger`. The access log (off unless
    `--access-logfile` is given) keeps gunicorn's default format, with `%(h)s`, `%(a)s`, `%(f)s`,
    `%(q)s` and every header atom blanked and the request line reduced to method, path and protocol.
    """

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> dict[str, Any]:  # type: ignore[override]
        """Return the atoms of an access-log line, keeping only what identifies no one."""
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact(str(environ.get("PATH_INFO", "")))
        method = CONTROL.sub("?", str(environ.get("REQUEST_METHOD", "-")))
        kept = {"l": "-", "u": "-", "t": atoms["t"], "s": atoms["s"], "m": method, "U": path, "q": "",
                "H": atoms["H"], "b": atoms["b"], "B": atoms["B"], "T": atoms["T"], "D": atoms["D"],
                "M": atoms["M"], "L": atoms["L"], "p": atoms["p"],
                "r": f"{method} {path} {environ.get('SERVER_PROTOCOL', '-')}"}
        return {key: kept.get(key, "-") for key in atoms}

    def log(self, lvl: Any, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log with owner tokens and `ip=` values redacted."""
        super().log(lvl, redact(str(msg % args if args else msg)), **kwargs)

    def critical(self, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log a critical message, redacted."""
        super().critical(redact(str(msg % args if args else msg)), **kwargs)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log an error, redacted."""
        super().error(redact(str(msg % args if args else msg)), **kwargs)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log a warning (gunicorn's `Invalid request from ip=…` among them), redacted."""
        super().warning(redact(str(msg % args if args else msg)), **kwargs)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log information, redacted."""
        super().info(redact(str(msg % args if args else msg)), **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log a debug message, redacted."""
        super().debug(redact(str(msg % args if args else msg)), **kwargs)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log an exception with its traceback, the message redacted."""
        super().exception(redact(str(msg % args if args else msg)), **kwargs)
