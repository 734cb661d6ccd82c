"""Settings from the environment (ASCOLTO_*), each with a default and help text."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ascolto.errors import ConfigError


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "ascolto")


@dataclass(frozen=True)
class Setting:
    """One documented setting: its variable, default and help text."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "ASCOLTO_DATA_DIR", "~/.local/share/ascolto",
            "Folder for the embedded SQLite database, the mail outbox and the generated secret."),
    Setting("store_url", "ASCOLTO_STORE", "sqlite:///<data_dir>/ascolto.db",
            "Where ratings live: `sqlite:///path.db` or `dynamodb://TABLE?region=eu-west-1[&endpoint=URL]`."),
    Setting("mailer_url", "ASCOLTO_MAILER", "outbox:///<data_dir>/outbox",
            "How digests are sent: `outbox:///folder`, `smtp://user:pass@host:587?starttls=1` or `ses://eu-west-1`."),
    Setting("secret", "ASCOLTO_SECRET", "generated into <data_dir>/secret",
            "Signs owner links and derives the daily salt of the coarse visitor keys (the salt is never stored). "
            "Required on AWS."),
    Setting("public_url", "ASCOLTO_PUBLIC_URL", "http://127.0.0.1:8000",
            "Base URL of this backend, used in snippets and emails."),
    Setting("mail_from", "ASCOLTO_MAIL_FROM", "ascolto@localhost",
            "Sender address of digest emails (a verified SES identity on AWS)."),
    Setting("max_body_bytes", "ASCOLTO_MAX_BODY_BYTES", "8192",
            "Largest request body accepted; larger bodies get 413 before parsing."),
    Setting("trusted_proxies", "ASCOLTO_TRUSTED_PROXIES", "",
            "Comma-separated proxy addresses whose X-Forwarded-For is honoured (local deployments only)."),
    Setting("feedback_retention_days", "ASCOLTO_FEEDBACK_RETENTION_DAYS", "365",
            "Days feedback text and contact emails are kept; "
            "`ascolto purge` (run by the hourly job) blanks older ones."),
    Setting("notify", "ASCOLTO_NOTIFY", "",
            "Chat and webhook channels for every owner's digest and alerts, comma- or space-separated: "
            "`slack+https://…`, `discord+https://…`, `telegram://BOT_TOKEN@CHAT_ID`, `ntfy+https://ntfy.sh/TOPIC`, "
            "`webhook+https://HOST/PATH?secret=whsec_…` (see docs/notifications.md)."),
    Setting("demo", "ASCOLTO_DEMO", "0",
            "Serve the demo article page at `/` (on by default under `ascolto serve`)."),
)


@dataclass(frozen=True)
class Settings:
    """Parsed configuration; build with `Settings.from_env()` or pass fields directly."""

    data_dir: Path = field(default_factory=lambda: Path(_default_data_dir()))
    store_url: str = ""
    mailer_url: str = ""
    secret: str = ""
    public_url: str = "http://127.0.0.1:8000"
    mail_from: str = "ascolto@localhost"
    max_body_bytes: int = 8192
    trusted_proxies: tuple[str, ...] = ()
    feedback_retention_days: int = 365
    notify: str = ""
    demo: bool = False

    def __post_init__(self) -> None:
        data_dir = Path(self.data_dir).expanduser()
        object.__setattr__(self, "data_dir", data_dir)
        if not self.store_url:
            object.__setattr__(self, "store_url", f"sqlite:///{data_dir / 'ascolto.db'}")
        if not self.mailer_url:
            object.__setattr__(self, "mailer_url", f"outbox:///{data_dir / 'outbox'}")
        object.__setattr__(self, "public_url", self.public_url.rstrip("/"))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read every ASCOLTO_* variable, then apply keyword overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = env.get(setting.env)
            if raw is None or raw == "":
                continue
            values[setting.name] = _parse(setting.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_secret(self) -> Settings:
        """Return settings whose secret is set, creating one in the data dir if needed."""
        if self.secret:
            return self
        path = self.data_dir / "secret"
        if path.exists():
            return replace(self, secret=path.read_text().strip())
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        value = secrets.token_urlsafe(32)
        path.write_text(value + "\n")
        path.chmod(0o600)
        return replace(self, secret=value)


def _parse(name: str, raw: str) -> Any:
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = kinds[name]
    if name == "data_dir":
        return Path(raw)
    if kind == "int":
        setting = next(s for s in SETTINGS if s.name == name)
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value < 0:
            raise ConfigError(setting.env, f"use a whole number such as {setting.default}, not {raw!r}")
        return value
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if name == "trusted_proxies":
        return tuple(p.strip() for p in raw.split(",") if p.strip())
    return raw
