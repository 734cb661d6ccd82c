"""Fixtures for the artifact tests: the real `zappa package` zip, unpacked, and moto over loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from infra.package import package, runtime_provided
from moto.server import ThreadedMotoServer

from ascolto.stores.dynamodb import DynamoDBStore

STAGE = "dev"
TABLE = "ascolto-dev"  # the table zappa_settings.json's dev stage names
DRIVER = Path(__file__).with_name("lambda_driver.py")
SECRET = "e2e-secret-that-the-owner-would-set"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the Lambda zip exactly as a deploy would: `zappa package dev`."""
    return package(STAGE, tmp_path_factory.mktemp("artifact") / "ascolto-dev.zip")


@pytest.fixture(scope="session")
def unpacked(artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(artifact) as zf:
        zf.extractall(target)
    return target


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stand in for the Lambda runtime's own packages (boto3 and friends), nothing else."""
    return runtime_provided(tmp_path_factory.mktemp("runtime"))


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_url: str) -> Iterator[dict[str, Any]]:
    """Reset moto, create the table from DynamoDBStore's definition, verify the SES sender."""
    import requests

    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    kwargs = {"region_name": "eu-west-1", "endpoint_url": moto_url, "aws_access_key_id": "testing",
              "aws_secret_access_key": "testing"}
    dynamodb = boto3.client("dynamodb", **kwargs)
    dynamodb.create_table(**DynamoDBStore.table_definition(TABLE))
    boto3.client("sesv2", **kwargs).create_email_identity(EmailIdentity="ascolto@example.org")
    boto3.client("ses", **kwargs).verify_email_identity(EmailAddress="ascolto@example.org")
    yield {"dynamodb": dynamodb, "kwargs": kwargs}


def invoke(unpacked: Path, runtime: Path, moto_url: str, events: list[dict[str, Any]],
           **env: str) -> dict[str, Any]:
    """Call the artifact's lambda_handler with each event in a bare interpreter; return results."""
    environ = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(unpacked.parent), "LANG": "C.UTF-8",
        **CREDENTIALS, "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_LAMBDA_FUNCTION_NAME": "ascolto-dev",
        # The zip's settings name the real table and region; only the endpoints point at moto.
        "AWS_ENDPOINT_URL_DYNAMODB": moto_url, "AWS_ENDPOINT_URL_SESV2": moto_url,
        "AWS_ENDPOINT_URL_SES": moto_url,
        "ASCOLTO_SECRET": SECRET,
        **env,
    }
    done = subprocess.run([sys.executable, "-I", "-S", str(DRIVER), str(unpacked), str(runtime)],
                          input=json.dumps(events), capture_output=True, text=True, env=environ,
                          cwd=unpacked, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["log"] = done.stderr
    return out
