"""The CloudFormation template: generated from the store, valid for cfn-lint, and creatable in moto."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import cfnlint.api
import pytest
from moto import mock_aws

from ascolto.stores import dynamodb_layout as di
from ascolto.stores.dynamodb import DynamoDBStore
from infra import build

ROOT = Path(__file__).resolve().parents[2]
STORE_SOURCES = [ROOT / "backend" / "ascolto" / "stores" / name for name in ("dynamodb.py",)]
TABLE = "ascolto-infra"


def test_committed_template_is_the_generated_one() -> None:
    assert build.TEMPLATE.read_text() == build.render(), "run: python infra/build.py"


def test_cfn_lint_finds_nothing() -> None:
    matches = cfnlint.api.lint(build.TEMPLATE.read_text(), regions=["eu-west-1", "us-east-1"])
    assert [f"{m.rule.id}: {m.message}" for m in matches] == []


def test_policy_grants_exactly_the_actions_the_store_calls() -> None:
    called = set()
    for source in STORE_SOURCES:
        called |= set(re.findall(r'_call\(\s*"(\w+)"', source.read_text()))
    # TransactWriteItems is authorised per item action, so it needs no action of its own.
    called.discard("transact_write_items")
    as_actions = {"".join(part.title() for part in op.split("_")) for op in called}
    assert as_actions == set(di.IAM_ACTIONS)
    statements = build.template()["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"]
    table = next(s for s in statements if s["Sid"] == "Table")
    assert "dynamodb:Scan" not in table["Action"] and "dynamodb:*" not in table["Action"]
    assert table["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}  # this table only, no index
    mail = next(s for s in statements if s["Sid"] == "Mail")
    assert mail["Action"] == ["ses:SendEmail"] and "identity/${Sender}" in mail["Resource"]["Fn::Sub"]
    for statement in statements:
        assert all("*" not in action for action in statement["Action"])


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name="eu-west-1")
        cloudformation.create_stack(
            StackName="ascolto", TemplateBody=build.TEMPLATE.read_text(), Capabilities=["CAPABILITY_NAMED_IAM"],
            Parameters=[{"ParameterKey": "TableName", "ParameterValue": TABLE},
                        {"ParameterKey": "Sender", "ParameterValue": "digest@example.org"}])
        described = cloudformation.describe_stacks(StackName="ascolto")["Stacks"][0]
        yield {"stack": described, "dynamodb": boto3.client("dynamodb", region_name="eu-west-1"),
               "iam": boto3.client("iam", region_name="eu-west-1")}


def test_created_table_is_what_the_store_declares(stack: dict[str, Any]) -> None:
    assert stack["stack"]["StackStatus"] == "CREATE_COMPLETE"
    table = stack["dynamodb"].describe_table(TableName=TABLE)["Table"]
    declared = DynamoDBStore.table_definition(TABLE)
    assert table["KeySchema"] == declared["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(declared["AttributeDefinitions"], key=str)
    assert table.get("GlobalSecondaryIndexes", []) == declared.get("GlobalSecondaryIndexes", [])
    assert table.get("LocalSecondaryIndexes", []) == []
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_table_asks_for_ttl_point_in_time_recovery_and_encryption() -> None:
    # moto's CloudFormation ignores these three properties, so check what the stack asks for.
    properties = build.template()["Resources"]["Table"]["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": di.TTL_ATTRIBUTE, "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert build.template()["Resources"]["Table"]["DeletionPolicy"] == "Retain"


def test_outputs_name_the_store_url_and_role(stack: dict[str, Any]) -> None:
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["stack"]["Outputs"]}
    assert outputs["StoreUrl"] == f"dynamodb://{TABLE}?region=eu-west-1"
    assert outputs["RoleName"] == "ascolto-dev-lambda"
    zappa = json.loads((ROOT / "zappa_settings.json").read_text())
    assert zappa["dev"]["role_name"] == outputs["RoleName"] and zappa["dev"]["manage_roles"] is False
    role = stack["iam"].get_role(RoleName="ascolto-dev-lambda")["Role"]
    trust = role["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": "lambda.amazonaws.com"}]
    policy = stack["iam"].get_policy(PolicyArn=outputs["PolicyArn"])["Policy"]
    assert policy["Arn"] == outputs["PolicyArn"]
