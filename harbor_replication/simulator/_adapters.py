"""The registry adapters this Harbor knows, with the provider patterns Harbor publishes."""

from __future__ import annotations

from typing import Any

ADAPTERS: dict[str, dict[str, Any]] = {
    "harbor": {},
    "docker-hub": {
        "endpoint_pattern": {
            "endpoint_type": "EndpointPatternTypeFix",
            "endpoints": [{"key": "hub.docker.com", "value": "https://hub.docker.com"}],
        }
    },
    "docker-registry": {},
    "aws-ecr": {
        "endpoint_pattern": {
            "endpoint_type": "EndpointPatternTypeList",
            "endpoints": [
                {"key": "us-east-1", "value": "https://api.ecr.us-east-1.amazonaws.com"},
                {"key": "eu-west-1", "value": "https://api.ecr.eu-west-1.amazonaws.com"},
            ],
        },
        "credential_pattern": {
            "access_key_type": "AccessKeyTypeStandard",
            "access_secret_type": "AccessSecretTypeStandard",
        },
    },
    "azure-acr": {},
    "google-gcr": {
        "endpoint_pattern": {
            "endpoint_type": "EndpointPatternTypeList",
            "endpoints": [
                {"key": "gcr.io", "value": "https://gcr.io"},
                {"key": "us.gcr.io", "value": "https://us.gcr.io"},
            ],
        },
        "credential_pattern": {
            "access_key_type": "AccessKeyTypeFix",
            "access_key_data": "_json_key",
            "access_secret_type": "AccessSecretTypeFile",
        },
    },
    "github-ghcr": {
        "endpoint_pattern": {
            "endpoint_type": "EndpointPatternTypeFix",
            "endpoints": [{"key": "ghcr.io", "value": "https://ghcr.io"}],
        }
    },
    "gitlab": {},
    "quay": {},
    "jfrog-artifactory": {},
}
