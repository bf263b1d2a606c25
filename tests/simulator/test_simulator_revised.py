"""The revised points of Harbor's behaviour (docs/harbor-behaviour.md), one test each, over
raw HTTP; each was checked against Harbor v2.15.2's source before it was simulated."""

from __future__ import annotations

from typing import Any

import httpx

from harbor_replication.simulator import HarborSimulator
from tests.simulator.simulator_helpers import ADMIN, new_policy

INTERNAL = (500, "UNKNOWN", "internal server error")


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()["errors"][0]
    return response.status_code, body["code"], body["message"]


def names(api: httpx.Client, **params: Any) -> list[str]:
    return [p["name"] for p in api.get("/replication/policies", params=params).json()]


def test_semantics_12_single_active_with_event_based_is_a_plain_500(api: httpx.Client) -> None:
    body = {
        "name": "single-on-push",
        "dest_registry": {"id": 2},
        "trigger": {"type": "event_based"},
        "single_active_replication": True,
    }
    assert error(api.post("/replication/policies", json=body)) == INTERNAL
    assert error(api.put("/replication/policies/1", json=body)) == INTERNAL


def test_semantics_12_unknown_adapter_type_is_a_plain_500(api: httpx.Client) -> None:
    body = {"name": "odd", "type": "no-such-adapter", "url": "https://odd.example.com"}
    assert error(api.post("/registries", json=body)) == INTERNAL
    assert error(api.post("/registries/ping", json=body)) == INTERNAL


def test_semantics_12_put_validates_the_body_before_the_404(api: httpx.Client) -> None:
    nameless = api.put("/replication/policies/999", json={"src_registry": {"id": 1}})
    assert error(nameless) == (400, "BAD_REQUEST", "empty name")
    valid = api.put("/replication/policies/999", json={"name": "x", "src_registry": {"id": 1}})
    assert error(valid)[:2] == (404, "NOT_FOUND")


def test_semantics_12_put_clears_the_creator(api: httpx.Client) -> None:
    # the API shows no creator; its q column tells
    policy_id = new_policy(api)
    assert names(api, q="creator=admin", sort="id") == [
        "pull-nginx",
        "push-prod-to-dr",
        "test-policy",
    ]
    body = api.get(f"/replication/policies/{policy_id}").json()
    assert api.put(f"/replication/policies/{policy_id}", json=body).status_code == 200
    assert names(api, q="creator=admin", sort="id") == ["pull-nginx", "push-prod-to-dr"]


def test_semantics_12_credential_without_access_key_is_empty(api: httpx.Client) -> None:
    assert api.get("/registries/1").json()["credential"] == {}  # docker-hub, anonymous
    assert api.get("/registries/2").json()["credential"] == {
        "type": "basic",
        "access_key": "robot$dr+replicator",
        "access_secret": "*****",
    }


def test_semantics_26_trigger_column_holds_json(api: httpx.Client) -> None:
    assert names(api, q="trigger=manual") == []
    assert names(api, q="trigger=~manual") == ["pull-nginx"]
    assert names(api, q='trigger=~"trigger_settings":{"cron"') == ["push-prod-to-dr"]


def test_semantics_26_orm_operator_suffixes_filter(api: httpx.Client) -> None:
    assert names(api, q="name__icontains=NGINX") == ["pull-nginx"]
    assert names(api, q="id__gte=2") == ["push-prod-to-dr"]
    assert names(api, q="id__lt=2") == ["pull-nginx"]
    assert names(api, q="replicate_deletion__exact=true") == ["push-prod-to-dr"]
    # an operator the ORM does not take is skipped, like an unknown key
    assert names(api, q="name__startswith=zzz") == ["push-prod-to-dr", "pull-nginx"]


def test_semantics_24_empty_union_matches_nothing(api: httpx.Client) -> None:
    assert names(api, q="id={}") == []
    assert names(api, q="id={1}") == ["pull-nginx"]


def test_semantics_24_times_take_fractional_seconds(api: httpx.Client) -> None:
    assert names(api, q="creation_time=[2000-01-01T00:00:00.5~]") == [
        "push-prod-to-dr",
        "pull-nginx",
    ]
    assert names(api, q="creation_time=[~2000-01-01T00:00:00.123456789]") == []


def test_semantics_26_deprecated_name_is_anded_with_q(api: httpx.Client) -> None:
    assert names(api, name="pull") == ["pull-nginx"]
    assert names(api, name="pull", q="name=~push") == []
    assert names(api, name="-", q="name=~push") == ["push-prod-to-dr"]


def test_semantics_29_registry_0_is_this_harbor(api: httpx.Client) -> None:
    local = api.get("/registries/0").json()
    assert (local["id"], local["name"], local["type"]) == (0, "Local", "harbor")
    assert api.post("/registries/ping", json={"id": 0}).status_code == 200
    assert error(api.get("/registries/999"))[:2] == (404, "NOT_FOUND")


def test_semantics_03_csrf_messages(simulator: HarborSimulator) -> None:
    with httpx.Client(base_url=simulator.api_url, auth=ADMIN) as browser:
        browser.get("/replication/policies")  # the sid cookie comes back
        missing = browser.post("/replication/executions", json={"policy_id": 1})
        assert error(missing) == (403, "FORBIDDEN", "CSRF token not found in request")
        wrong = browser.post(
            "/replication/executions",
            json={"policy_id": 1},
            headers={"X-Harbor-CSRF-Token": "not-the-token"},
        )
        assert error(wrong) == (403, "FORBIDDEN", "CSRF token invalid")


def test_semantics_12_filter_rules_in_harbors_words(api: httpx.Client) -> None:
    def refused(*filters: dict[str, Any]) -> tuple[int, str, str]:
        body = {"name": "filtered", "src_registry": {"id": 1}, "filters": list(filters)}
        return error(api.post("/replication/policies", json=body))

    assert refused({"type": "resource", "value": "chart"}) == (
        400,
        "BAD_REQUEST",
        "invalid resource filter: chart",
    )
    for kind, value in (("name", "library/**"), ("resource", "image")):
        assert refused({"type": kind, "value": value, "decoration": "excludes"})[2] == (
            "only tag and label filter support decoration"
        )
    assert refused({"type": "label", "value": "stable"})[2] == (
        "the type of label filter value isn't string slice"
    )
    assert refused({"type": "tag", "value": "1.*", "decoration": "ignores"})[2] == (
        "invalid filter decoration, :ignores"
    )
    body = {
        "name": "tag-excludes",
        "src_registry": {"id": 1},
        "filters": [{"type": "tag", "value": "latest", "decoration": "excludes"}],
    }
    assert api.post("/replication/policies", json=body).status_code == 201
