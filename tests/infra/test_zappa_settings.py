"""zappa_settings.json: stages that point at importable code, a valid store and the stack's role."""

from __future__ import annotations

import importlib
import json
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
    assert events == [{"function": "ascolto.events.hourly", "expression": "rate(1 hour)"}]
    if (ROOT / "backend" / "ascolto" / "events.py").exists():
        module, function = events[0]["function"].rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), function))


def test_lambda_refuses_to_start_without_an_owner_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))  # importing the entry builds an app
    monkeypatch.setenv("ASCOLTO_SECRET", "test-secret")
    from ascolto.wsgi import lambda_settings

    env = {"AWS_LAMBDA_FUNCTION_NAME": "ascolto-dev", "ASCOLTO_STORE": "dynamodb://ascolto-dev?region=eu-west-1"}
    with pytest.raises(RuntimeError, match="ASCOLTO_SECRET"):
        lambda_settings(env)
    with pytest.raises(RuntimeError):
        lambda_settings({**env, "ASCOLTO_SECRET": stage("dev")["aws_environment_variables"]["ASCOLTO_SECRET"]})
    assert lambda_settings({**env, "ASCOLTO_SECRET": "a-real-secret"}).secret == "a-real-secret"
