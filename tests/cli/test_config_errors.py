"""A configuration mistake is one line naming the variable and the expected form, and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ascolto.errors import ConfigError
from ascolto.settings import Settings

ASCOLTO = str(Path(sys.executable).parent / "ascolto")
NO_AWS = {"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
          "AWS_EC2_METADATA_DISABLED": "true"}


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ASCOLTO_"))}
    environ |= NO_AWS | {"ASCOLTO_DATA_DIR": str(tmp_path)} | env
    return subprocess.run(args, env=environ, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("ASCOLTO_STORE", "postgres://db/ascolto", "sqlite:///"),
    ("ASCOLTO_STORE", "dynamodb://ab?region=eu-west-1", "3-255 letters"),
    ("ASCOLTO_STORE", "dynamodb://ascolto-dev?region=eu-west-1", "AWS credentials"),
    ("ASCOLTO_STORE", "dynamodb://ascolto-dev", "region"),
    ("ASCOLTO_STORE", "sqlite:////proc/no/such/ascolto.db", "cannot open"),
    ("ASCOLTO_MAX_BODY_BYTES", "8kb", "whole number such as 8192"),
    ("ASCOLTO_FEEDBACK_RETENTION_DAYS", "-1", "whole number such as 365"),
])
def test_bad_setting_is_one_line_and_exit_2(tmp_path: Path, variable: str, value: str, expected: str) -> None:
    result = run([ASCOLTO, "site", "list"], tmp_path, **{variable: value})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {variable}: "), result.stderr
    assert expected in lines[0]


@pytest.mark.parametrize("value", ["carrier-pigeon://roof", "smtp://user:hunter2@mail.example.org:25x"])
def test_bad_mailer_is_one_line_without_the_password(tmp_path: Path, value: str) -> None:
    result = run([ASCOLTO, "digest"], tmp_path, ASCOLTO_MAILER=value)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ASCOLTO_MAILER: "), result.stderr
    assert "smtp://user:pass@host:587" in lines[0] and "hunter2" not in lines[0]


def test_wsgi_start_up_names_the_variable(tmp_path: Path) -> None:
    result = run([sys.executable, "-c", "import ascolto.wsgi"], tmp_path, ASCOLTO_MAX_BODY_BYTES="8kb")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "ascolto.errors.ConfigError: ASCOLTO_MAX_BODY_BYTES: use a whole number such as 8192, not '8kb'")


def test_settings_raise_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"ASCOLTO_MAX_BODY_BYTES": "8kb"})
    assert caught.value.setting == "ASCOLTO_MAX_BODY_BYTES"
