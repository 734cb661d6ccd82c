"""Run inside a bare interpreter (python -I -S): import the unpacked artifact's handler like Lambda does.

argv: the unpacked zip, then the folder standing in for the Lambda runtime's own packages
(boto3 and friends). stdin: a JSON list of events. stdout (last line): a JSON list of results.
"""

import json
import sys

package, runtime = sys.argv[1], sys.argv[2]
sys.path[:0] = [package]
sys.path.append(runtime)


class Context:
    """The parts of a Lambda context object that Zappa's handler reads."""

    function_name = "ascolto-dev"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:ascolto-dev"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    log_group_name = "/aws/lambda/ascolto-dev"
    log_stream_name = "stream"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


import handler  # noqa: E402  (the artifact's own handler.py, at the zip root)

assert handler.__file__.startswith(package), handler.__file__
results = []
for event in json.load(sys.stdin):
    try:
        results.append({"ok": handler.lambda_handler(event, Context())})
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.append({"error": f"{type(exc).__name__}: {exc}"})
modules = sorted({m.split(".")[0] for m in sys.modules})
wsgi = sys.modules.get("ascolto.wsgi")
services = wsgi.app.extensions["ascolto"] if wsgi else None
clients = {name: getattr(getattr(services, name, None), "_client", None) is not None for name in ("store", "mailer")}
print(json.dumps({"results": results, "modules": modules, "clients": clients}))
