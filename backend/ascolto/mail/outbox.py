"""OutboxMailer: the embedded default, one .eml file per message in a folder."""

from __future__ import annotations

import os
import tempfile
import uuid
from email.message import EmailMessage
from pathlib import Path

from ascolto.errors import MailError
from ascolto.mail.base import wire_bytes


class OutboxMailer:
    """Write each message atomically as `<folder>/<Message-ID's local part>.eml`, never over another."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> str:
        """Write the message to the outbox and return its path."""
        msgid = (message["Message-ID"] or "").strip("<>").split("@", 1)[0]
        name = "".join(c for c in msgid if c.isalnum() or c in "-._").lstrip(".") or f"message-{uuid.uuid4().hex}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # digests quote readers
            data = wire_bytes(message)
            # Write to a temporary name, then rename: a reader never sees half a message.
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            path = self.folder / f"{name}.eml"
            if path.exists():  # two messages with one Message-ID: keep both
                path = self.folder / f"{name}-{uuid.uuid4().hex[:8]}.eml"
            os.replace(tmp, path)
        except OSError as exc:
            raise MailError(f"Cannot write to the outbox {self.folder}: {exc}") from exc
        return str(path)
