"""SesMailer: Amazon SES v2 `SendEmail` with raw content; the client is made on first send."""

from __future__ import annotations

import threading
from email.message import EmailMessage
from typing import Any

from ascolto.errors import MailError
from ascolto.mail.base import recipients, wire_bytes

THROTTLED = frozenset({"TooManyRequestsException", "LimitExceededException", "ThrottlingException"})


class SesMailer:
    """Send through SES v2; never imports boto3 before the first message (Lambda cold start)."""

    def __init__(self, region: str | None = None, *, endpoint: str | None = None, client: Any = None,
                 configuration_set: str | None = None) -> None:
        self.region = region
        self.endpoint = endpoint
        self.configuration_set = configuration_set
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """Return the sesv2 client, creating it on first use."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3

                    self._client = boto3.client("sesv2", region_name=self.region, endpoint_url=self.endpoint)
        return self._client

    def send(self, message: EmailMessage) -> str:
        """Send the message as raw MIME; return SES's MessageId."""
        from botocore.exceptions import BotoCoreError, ClientError

        params: dict[str, Any] = {
            "FromEmailAddress": message["From"].addresses[0].addr_spec,
            "Destination": {"ToAddresses": recipients(message)},
            "Content": {"Raw": {"Data": wire_bytes(message)}},
        }
        if self.configuration_set:
            params["ConfigurationSetName"] = self.configuration_set
        try:
            response = self.client.send_email(**params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = error.get("Code", "")
            kind = "throttled" if code in THROTTLED else "refused"
            raise MailError(f"SES {kind} the message: {code}: {error.get('Message', '')}".rstrip()) from exc
        except BotoCoreError as exc:
            raise MailError(f"SES cannot be reached: {exc}") from exc
        return str(response.get("MessageId", ""))
