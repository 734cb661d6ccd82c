"""The app as bench/vote_path.py serves it, with each request's time inside the worker written down.

gunicorn loads `timed_app:make()`; every request's seconds from the WSGI call to its last body
byte, and the CPU seconds the worker's thread spent on it, are kept per process and written to
$BENCH_TIMES_DIR/<pid> when the worker exits, with the request's Origin, so the bench can tell
the time spent in ascolto from the time spent queued, and ascolto's CPU from its waits.
"""

from __future__ import annotations

import atexit
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ascolto.app import create_app


def make() -> Callable[[dict[str, Any], Any], Iterable[bytes]]:
    """Return the app wrapped with a timer."""
    app = create_app()
    times: list[tuple[float, float, str]] = []

    def timed(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start, cpu = time.perf_counter(), time.thread_time()
        body = list(app(environ, start_response))
        times.append((time.perf_counter() - start, time.thread_time() - cpu, environ.get("HTTP_ORIGIN", "")))
        return body

    def write() -> None:
        with (Path(os.environ["BENCH_TIMES_DIR"]) / str(os.getpid())).open("w") as out:
            out.writelines(f"{seconds} {cpu} {origin}\n" for seconds, cpu, origin in times)

    atexit.register(write)
    return timed
