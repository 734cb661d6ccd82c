"""zappa_settings.json: stages that point at importable code, a valid store and the stack's role."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ascolto.stores.dynamodb import DynamoDBStore
from infra import build

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = json.loads((ROOT / "zappa_settings.json").read_text())


def stage(name: str) -> dict[str, Any]:
    """Return a stage with `extends` applied, as Zappa reads it."""
    config = dict(SETTINGS[name])
    parent = config.pop("extends", None)
    return {**stage(parent), **config} if parent else config


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_stage_is_deployable(name: str) -> None:
    config = stage(name)
    assert config["app_function"] == "ascolto.wsgi.app"
    assert config["runtime"] == f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert config["architecture"] == "x86_64" and config["slim_handler"] is False
    assert config["keep_warm"] is False and config["debug"] is False
    # Zappa's access log line carries the client address; WARNING keeps raw IPs out of the logs.
    assert config["log_level"] == "WARNING"
    store = DynamoDBStore.from_url(config["environment_variables"]["ASCOLTO_STORE"])
    assert store.table == f"ascolto-{name}" and store.region == config["aws_region"]
    assert config["environment_variables"]["ASCOLTO_MAILER"] == f"ses://{config['aws_region']}"
    assert "ASCOLTO_SECRET" not in config["environment_variables"]  # never baked into the zip
    assert config["aws_environment_variables"]["ASCOLTO_SECRET"].startswith("CHANGE-ME")
    # the role the CloudFormation stack creates for FunctionName = project_name-stage
    assert config["manage_roles"] is False
    role = build.template()["Resources"]["Role"]["Properties"]["RoleName"]["Fn::Sub"]
    assert config["role_name"] == role.replace("${FunctionName}", f"{config['project_name']}-{name}")
    for provided in ("boto3", "botocore", "s3transfer"):
        assert provided in config["exclude"]


def test_hourly_event_calls_the_digest_entry_point() -> None:
    events = stage("dev")["events"]
    assert events == [{"function": "ascolto.scheduled.hourly", "expression": "rate(1 hour)"}]
    module, function = events[0]["function"].rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), function))


def test_lambda_refuses_to_start_without_an_owner_secret(tmp_path: Path) -> None:
    from ascolto.bootstrap import check_secret, load_settings
    from ascolto.errors import ConfigError

    env = {"AWS_LAMBDA_FUNCTION_NAME": "ascolto-dev", "ASCOLTO_STORE": "dynamodb://ascolto-dev?region=eu-west-1",
           "ASCOLTO_DATA_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="ASCOLTO_SECRET"):
        check_secret(load_settings(environ=env), env)
    placeholder = {**env, "ASCOLTO_SECRET": stage("dev")["aws_environment_variables"]["ASCOLTO_SECRET"]}
    with pytest.raises(ConfigError):
        check_secret(load_settings(environ=placeholder), placeholder)
    real = {**env, "ASCOLTO_SECRET": "a-real-secret"}
    check_secret(load_settings(environ=real), real)


@pytest.mark.parametrize("entry", ["ascolto.wsgi", "ascolto.scheduled"])
def test_every_lambda_entry_point_applies_the_secret_guard(entry: str, tmp_path: Path) -> None:
    # The scheduled event once built its own parts and skipped the guard the WSGI app applied.
    call = "import ascolto.wsgi" if entry == "ascolto.wsgi" else "import ascolto.scheduled as s; s.hourly({}, None)"
    env = {"PATH": os.environ["PATH"], "AWS_LAMBDA_FUNCTION_NAME": "ascolto-dev", "ASCOLTO_DATA_DIR": str(tmp_path),
           "ASCOLTO_SECRET": stage("dev")["aws_environment_variables"]["ASCOLTO_SECRET"]}
    run = subprocess.run([sys.executable, "-c", call], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "ASCOLTO_SECRET" in run.stderr
    assert not (tmp_path / "ascolto.db").exists()  # refused before opening anything
