"""Generate infra/ascolto.template.json from what DynamoDBStore declares (one source of truth).

The table's keys and TTL attribute come from `ascolto.stores.dynamodb_layout`, and the policy
grants exactly the DynamoDB actions the store calls (`IAM_ACTIONS`). A test fails when the
committed template differs from this output: run `python infra/build.py` after changing either.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ascolto.stores import dynamodb_layout as di

TEMPLATE = Path(__file__).with_name("ascolto.template.json")


def table_resource() -> dict[str, Any]:
    """Return the table, with keys exactly as the store's CreateTable definition."""
    definition = di.table_definition("placeholder")
    return {
        "Type": "AWS::DynamoDB::Table",
        # The table holds the owners' data: keep it when the stack is deleted or replaced.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "TableName": {"Ref": "TableName"},
            "BillingMode": definition["BillingMode"],
            "AttributeDefinitions": definition["AttributeDefinitions"],
            "KeySchema": definition["KeySchema"],
            "TimeToLiveSpecification": {"AttributeName": di.TTL_ATTRIBUTE, "Enabled": True},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        },
    }


def policy_resource() -> dict[str, Any]:
    """Return the least-privilege managed policy of the Lambda role."""
    return {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "Description": "ascolto's Lambda: its own table (no Scan), mail from the sender, its own logs.",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "Table", "Effect": "Allow", "Action": [f"dynamodb:{a}" for a in di.IAM_ACTIONS],
                     "Resource": {"Fn::GetAtt": ["Table", "Arn"]}},
                    {"Sid": "Mail", "Effect": "Allow", "Action": ["ses:SendEmail"],
                     "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
                                             ":identity/${Sender}"}},
                    {"Sid": "Logs", "Effect": "Allow",
                     "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                     "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
                                             ":log-group:/aws/lambda/${FunctionName}:*"}},
                ],
            },
        },
    }


def template() -> dict[str, Any]:
    """Return the whole CloudFormation template."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "ascolto on AWS: the DynamoDB table, the SES sender and the Lambda role Zappa uses.",
        "Parameters": {
            "TableName": {"Type": "String", "Default": "ascolto-dev", "MinLength": 3, "MaxLength": 255,
                          "AllowedPattern": di.TABLE_NAME.pattern,
                          "Description": "The table named in ASCOLTO_STORE (dynamodb://TABLE?region=…)."},
            "Sender": {"Type": "String", "MinLength": 3,
                       "Description": "The address or domain digests are sent from (ASCOLTO_MAIL_FROM)."},
            "FunctionName": {"Type": "String", "Default": "ascolto-dev",
                             "Description": "Zappa's function name: project_name-stage."},
        },
        "Resources": {
            "Table": table_resource(),
            "SenderIdentity": {"Type": "AWS::SES::EmailIdentity", "Properties": {"EmailIdentity": {"Ref": "Sender"}}},
            "Policy": policy_resource(),
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Fn::Sub": "${FunctionName}-lambda"},
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                       "Action": "sts:AssumeRole"}],
                    },
                    "ManagedPolicyArns": [{"Ref": "Policy"}],
                },
            },
        },
        "Outputs": {
            "StoreUrl": {"Description": "ASCOLTO_STORE for zappa_settings.json and `ascolto site add`.",
                         "Value": {"Fn::Sub": "dynamodb://${Table}?region=${AWS::Region}"}},
            "RoleName": {"Description": "role_name for zappa_settings.json (with manage_roles: false).",
                         "Value": {"Ref": "Role"}},
            "PolicyArn": {"Value": {"Ref": "Policy"}},
        },
    }


def render() -> str:
    """Return the template as the committed file's text."""
    return json.dumps(template(), indent=2) + "\n"


def main() -> None:
    """Write the template, or with --check fail when the committed one is stale."""
    if "--check" in sys.argv[1:]:
        raise SystemExit(0 if TEMPLATE.read_text() == render() else "infra/ascolto.template.json is stale")
    TEMPLATE.write_text(render())
    print(TEMPLATE)


if __name__ == "__main__":
    main()
