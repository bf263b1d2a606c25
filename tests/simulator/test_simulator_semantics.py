"""One test per numbered point of SEMANTICS.md that concerns the server, over real HTTP."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from harbor_replication.simulator._retries import RetryBackoff
from tests.contract_checks import with_contract
from tests.simulator.simulator_helpers import (
    ADMIN,
    finished_execution,
    four_task_policy,
    new_policy,
    start,
)
from tests.support import FrozenClock

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ZERO_TIME = "0001-01-01T00:00:00.000Z"


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()["errors"][0]
    return response.status_code, body["code"], body["message"]


def test_semantics_01_everything_lives_under_api_v2(simulator: HarborSimulator) -> None:
    ping = httpx.get(simulator.api_url + "/ping")
    assert (ping.status_code, ping.text) == (200, "Pong")
    assert ping.headers["content-type"].startswith("text/plain")
    assert simulator.api_url == simulator.url + "/api/v2.0"
    assert httpx.get(simulator.url + "/replication/policies", auth=ADMIN).status_code == 404


def test_semantics_02_basic_auth_401_and_403_with_the_user_name(simulator: HarborSimulator) -> None:
    url = simulator.api_url + "/replication/policies"
    assert error(httpx.get(url))[:2] == (401, "UNAUTHORIZED")
    assert error(httpx.get(url, auth=("admin", "wrong")))[:2] == (401, "UNAUTHORIZED")
    assert error(httpx.get(url, auth=("developer", "Developer12345"))) == (
        403,
        "FORBIDDEN",
        "developer",
    )
    assert httpx.get(url, auth=("robot$replicator", "Replicator12345")).status_code == 200
    assert httpx.get(simulator.api_url + "/systeminfo").status_code == 200


def test_semantics_02_robot_names_and_passwords_with_any_character() -> None:
    robots = {"robot$proj+name": "p:ä ß$%&'\"x"}
    with HarborSimulator(with_contract(SimulatorConfig(robots=robots))) as simulator:
        name, password = next(iter(robots.items()))
        auth = httpx.BasicAuth(name.encode(), password.encode())
        assert httpx.get(simulator.api_url + "/registries", auth=auth).status_code == 200


def test_semantics_03_sid_cookie_then_write_needs_csrf(simulator: HarborSimulator) -> None:
    first = httpx.get(simulator.api_url + "/replication/policies", auth=ADMIN)
    sid = first.cookies["sid"]
    assert sid
    body = {"name": "r", "url": "https://r.example.com", "type": "docker-registry"}
    url = simulator.api_url + "/registries"
    refused = httpx.post(url, json=body, auth=ADMIN, cookies={"sid": sid})
    assert error(refused) == (403, "FORBIDDEN", "CSRF token not found in request")
    token = first.headers["X-Harbor-CSRF-Token"]
    accepted = httpx.post(
        url, json=body, auth=ADMIN, cookies={"sid": sid}, headers={"X-Harbor-CSRF-Token": token}
    )
    assert accepted.status_code == 201
    # a client that keeps cookies succeeds once, then fails
    with httpx.Client(base_url=simulator.api_url, auth=ADMIN) as naive:
        assert naive.post("/registries", json={**body, "name": "r2"}).status_code == 201
        assert error(naive.post("/registries", json={**body, "name": "r3"}))[0] == 403


def test_semantics_04_request_id_echoed_or_made_up(api: httpx.Client) -> None:
    echoed = api.get("/registries", headers={"X-Request-Id": "trace-me-42"})
    assert echoed.headers["X-Request-Id"] == "trace-me-42"
    failed = api.get("/registries/999", headers={"X-Request-Id": "trace-me-43"})
    assert failed.headers["X-Request-Id"] == "trace-me-43"
    assert len(api.get("/registries").headers["X-Request-Id"]) >= 16


def test_semantics_05_times_utc_millis_and_zero_time(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, four_task_policy(api))
    running = api.get(f"/replication/executions/{execution_id}").json()
    assert TIME.match(running["start_time"])
    assert running["end_time"] == ZERO_TIME
    policy = api.get("/replication/policies/1").json()
    assert TIME.match(policy["creation_time"])
    assert TIME.match(policy["update_time"])
    frozen_clock.advance(0.25)  # setup done: two tasks run, two wait
    tasks = api.get(f"/replication/executions/{execution_id}/tasks").json()
    assert len(tasks) == 4
    assert all(task["end_time"] == ZERO_TIME for task in tasks)
    waiting = [task for task in tasks if task["status"] == "Pending"]
    assert len(waiting) == 2
    assert all(task["start_time"] == ZERO_TIME for task in waiting)
    frozen_clock.advance(3)
    final = api.get(f"/replication/executions/{execution_id}").json()
    assert TIME.match(final["end_time"])
    assert final["end_time"] != ZERO_TIME


def test_semantics_06_error_body_code_and_content_type(
    simulator: HarborSimulator, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = api.get("/replication/policies/999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json; charset=utf-8"
    assert missing.content == (
        b'{"errors":[{"code":"NOT_FOUND","message":"policy 999 not found"}]}\n'
    )

    def broken(policy_id: int) -> dict[str, Any]:
        raise RuntimeError("database is gone")

    monkeypatch.setattr(simulator.state, "policy_json", broken)
    crashed = api.get("/replication/policies/1")
    assert error(crashed) == (500, "UNKNOWN", "internal server error")
    assert crashed.headers["X-Request-Id"]


def test_semantics_06_method_not_allowed_and_unprocessable(api: httpx.Client) -> None:
    assert error(api.patch("/replication/policies/1"))[:2] == (405, "METHOD_NOT_ALLOWED")
    assert error(api.get("/replication/policies/abc"))[:2] == (422, "UNPROCESSABLE_ENTITY")


def test_semantics_08_create_answers_201_with_location_path(api: httpx.Client) -> None:
    created = api.post(
        "/replication/policies", json={"name": "p8", "src_registry": {"id": 1}, "enabled": True}
    )
    assert created.status_code == 201
    assert created.content == b""
    location = created.headers["Location"]
    assert re.fullmatch(r"/api/v2\.0/replication/policies/\d+", location)
    started = api.post("/replication/executions", json={"policy_id": int(location.split("/")[-1])})
    assert re.fullmatch(r"/api/v2\.0/replication/executions/\d+", started.headers["Location"])


def test_semantics_09_put_and_delete_answer_200_empty(api: httpx.Client) -> None:
    policy_id = new_policy(api)
    body = api.get(f"/replication/policies/{policy_id}").json()
    updated = api.put(f"/replication/policies/{policy_id}", json=body)
    assert (updated.status_code, updated.content) == (200, b"")
    execution_id = start(api, policy_id)
    stopped = api.put(f"/replication/executions/{execution_id}")
    # docs/harbor-behaviour.md §9: the stop handler's nil payload, written as JSON
    assert (stopped.status_code, stopped.content) == (200, b"null\n")
    assert stopped.headers["content-type"] == "application/json"
    finished_execution(api, execution_id)
    deleted = api.delete(f"/replication/policies/{policy_id}")
    assert (deleted.status_code, deleted.content) == (200, b"")


def test_semantics_10_put_replaces_the_policy_whole(api: httpx.Client) -> None:
    policy_id = new_policy(
        api,
        description="keep me?",
        filters=[{"type": "name", "value": "library/**"}],
        override=True,
    )
    api.put(
        f"/replication/policies/{policy_id}", json={"name": "renamed", "src_registry": {"id": 1}}
    )
    policy = api.get(f"/replication/policies/{policy_id}").json()
    assert policy["name"] == "renamed"
    # zero values are left out of the body, as go-swagger's omitempty does
    assert not {"description", "enabled", "override", "filters", "trigger"} & policy.keys()


def test_semantics_11_deletion_is_read_replicate_deletion_ignored(api: httpx.Client) -> None:
    ignored = new_policy(api, name="only-new-field", replicate_deletion=True)
    policy = api.get(f"/replication/policies/{ignored}").json()
    assert not {"deletion", "replicate_deletion"} & policy.keys()  # false, so left out
    read = new_policy(api, name="old-field", deletion=True)
    policy = api.get(f"/replication/policies/{read}").json()
    assert (policy["deletion"], policy["replicate_deletion"]) == (True, True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "empty name"),
        ({"dest_registry": {"id": 2}}, "either src_registry or dest_registry"),
        ({"src_registry": None}, "either src_registry or dest_registry"),
        ({"trigger": {"type": "hourly"}}, "invalid trigger type"),
        (
            {"trigger": {"type": "scheduled", "trigger_settings": {"cron": "5 0 2 * * *"}}},
            "1st field",
        ),
        (
            {"trigger": {"type": "scheduled", "trigger_settings": {"cron": "0 * 2 * * *"}}},
            "Minutes field",
        ),
        ({"trigger": {"type": "scheduled", "trigger_settings": {"cron": "0 0 2 * *"}}}, "cron"),
        ({"filters": [{"type": "name", "value": ["x"]}]}, "filter value"),
    ],
)
def test_semantics_12_policy_rules(api: httpx.Client, fields: dict[str, Any], message: str) -> None:
    body = {"name": "p12", "src_registry": {"id": 1}, "enabled": True, **fields}
    status, code, text = error(api.post("/replication/policies", json=body))
    assert (status, code) == (400, "BAD_REQUEST")
    assert message in text


def test_semantics_12_defaults_conflicts_and_masked_secrets(api: httpx.Client) -> None:
    policy_id = new_policy(
        api,
        speed=-5,
        trigger={"type": "scheduled", "trigger_settings": {"cron": "0 30 2 * * *"}},
    )
    policy = api.get(f"/replication/policies/{policy_id}").json()
    assert policy["dest_namespace_replace_count"] == -1
    assert policy["speed"] == 0
    assert policy["dest_registry"]["id"] == 0
    duplicate = api.post(
        "/replication/policies", json={"name": "test-policy", "src_registry": {"id": 1}}
    )
    assert error(duplicate)[:2] == (409, "CONFLICT")
    dr = api.get("/replication/policies/2").json()["dest_registry"]
    assert dr["credential"]["access_secret"] == "*****"
    assert api.get("/registries/2").json()["credential"]["access_secret"] == "*****"


def test_semantics_13_delete_policy_with_running_execution_is_412(
    simulator: HarborSimulator, api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, 1)
    frozen_clock.advance(0.25)  # its tasks run
    assert error(api.delete("/replication/policies/1")) == (
        412,
        "PRECONDITION",
        "contains executions that aren't in final status, stop the execution first",
    )
    api.put(f"/replication/executions/{execution_id}")
    frozen_clock.advance(0.15)  # the stop lands
    finished_execution(api, execution_id)
    assert api.delete("/replication/policies/1").status_code == 200
    assert simulator.state.execution_count(policy_id=1) == 0
    assert api.get(f"/replication/executions/{execution_id}").status_code == 404


def test_semantics_14_start_unknown_disabled_and_single_active(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    assert error(api.post("/replication/executions", json={"policy_id": 999}))[0] == 404
    disabled = new_policy(api, name="off", enabled=False)
    assert error(api.post("/replication/executions", json={"policy_id": disabled})) == (
        412,
        "PRECONDITION",
        f"the policy {disabled} is disabled",
    )
    single = new_policy(api, name="single", single_active_replication=True)
    first = start(api, single)
    frozen_clock.advance(0.25)
    second = start(api, single)
    skipped = api.get(f"/replication/executions/{second}").json()
    assert skipped["status"] == "Failed"
    assert skipped["status_text"] == "Execution skipped: active replication still in progress."
    assert api.get(f"/replication/executions/{first}").json()["status"] == "InProgress"


def test_semantics_15_tasks_appear_in_the_background(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, four_task_policy(api))
    assert api.get(f"/replication/executions/{execution_id}").json()["total"] == 0
    assert api.get(f"/replication/executions/{execution_id}/tasks").json() == []
    frozen_clock.advance(0.25)  # setup done
    assert api.get(f"/replication/executions/{execution_id}").json()["total"] == 4
    assert len(api.get(f"/replication/executions/{execution_id}/tasks").json()) == 4


def test_semantics_16_execution_statuses_and_counters(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, four_task_policy(api))
    first = api.get(f"/replication/executions/{execution_id}").json()
    # created Running: InProgress from the first read, before any task exists
    assert (first["status"], first["total"], first["trigger"]) == ("InProgress", 0, "manual")
    frozen_clock.advance(0.25)  # setup done
    running = api.get(f"/replication/executions/{execution_id}").json()
    assert running["status"] == "InProgress"
    assert running["in_progress"] == running["total"] == 4
    api.put(f"/replication/executions/{execution_id}")
    frozen_clock.advance(0.15)  # the stop lands
    final = finished_execution(api, execution_id)
    counted = sum(final[key] for key in ("succeed", "failed", "in_progress", "stopped"))
    assert counted == final["total"]
    listed = api.get("/replication/executions", params={"status": final["status"]}).json()
    assert execution_id in [e["id"] for e in listed]


def test_semantics_16_failed_when_a_task_fails(api: httpx.Client) -> None:
    policy_id = new_policy(api, filters=[{"type": "name", "value": "team/**"}])
    final = finished_execution(api, start(api, policy_id))
    assert final["status"] == "Failed"
    assert (final["total"], final["succeed"], final["failed"]) == (2, 1, 1)


def test_semantics_17_task_vocabulary(api: httpx.Client) -> None:
    policy_id = new_policy(api, filters=[{"type": "name", "value": "{team,charts}/**"}])
    execution_id = start(api, policy_id)
    finished_execution(api, execution_id)
    tasks = api.get(f"/replication/executions/{execution_id}/tasks").json()
    by_source = {task["src_resource"]: task for task in tasks}
    assert by_source["team/fail-build [2 item(s) in total]"]["status"] == "Failed"
    assert by_source["team/app [2 item(s) in total]"]["status"] == "Succeed"
    assert by_source["charts/podinfo [1 item(s) in total]"]["resource_type"] == "chart"
    assert by_source["team/app [2 item(s) in total]"]["resource_type"] == "image"
    assert {task["operation"] for task in tasks} == {"copy"}
    assert all(task["job_id"] for task in tasks)


def test_semantics_18_stop_is_asynchronous(api: httpx.Client, frozen_clock: FrozenClock) -> None:
    execution_id = start(api, four_task_policy(api))
    frozen_clock.advance(0.25)  # two tasks run, two wait
    assert api.put(f"/replication/executions/{execution_id}").status_code == 200
    still = api.get(f"/replication/executions/{execution_id}").json()
    assert (still["status"], still["in_progress"]) == ("InProgress", 4)
    frozen_clock.advance(0.15)  # the stop lands
    final = finished_execution(api, execution_id)
    assert final["status"] == "Stopped"
    assert final["stopped"] == 4
    statuses = {
        t["status"] for t in api.get(f"/replication/executions/{execution_id}/tasks").json()
    }
    assert statuses == {"Stopped"}
    assert error(api.put("/replication/executions/999999"))[0] == 404


def test_semantics_18_stop_during_setup_ends_stopped_without_tasks(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, 1)
    assert api.put(f"/replication/executions/{execution_id}").status_code == 200
    frozen_clock.advance(0.15)  # the stop lands, still in setup
    final = finished_execution(api, execution_id)
    assert final["status"] == "Stopped"
    assert (final["total"], final["stopped"], final["succeed"]) == (0, 0, 0)
    frozen_clock.advance(3)  # past when its tasks would have been created and run
    assert api.get(f"/replication/executions/{execution_id}").json() == final
    assert api.get(f"/replication/executions/{execution_id}/tasks").json() == []
    stopped = api.get("/replication/executions", params={"status": "Stopped"}).json()
    assert execution_id in [e["id"] for e in stopped]


def test_semantics_19_task_log_text_and_wrong_execution(
    simulator: HarborSimulator, api: httpx.Client
) -> None:
    first = start(api, 1)
    second = start(api, 2)
    finished_execution(api, first)
    finished_execution(api, second)
    task = api.get(f"/replication/executions/{first}/tasks").json()[0]
    log = api.get(f"/replication/executions/{first}/tasks/{task['id']}/log")
    assert log.headers["content-type"].startswith("text/plain")
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[INFO\]", log.text)
    assert "completed" in log.text.splitlines()[-1]
    wrong = api.get(f"/replication/executions/{second}/tasks/{task['id']}/log")
    assert error(wrong) == (
        404,
        "NOT_FOUND",
        f"execution {second} contains no task with ID {task['id']}",
    )


def test_semantics_19_task_log_grows(api: httpx.Client, frozen_clock: FrozenClock) -> None:
    execution_id = start(api, 1)
    frozen_clock.advance(0.25)  # setup done, the first tasks just begun
    tasks = api.get(f"/replication/executions/{execution_id}/tasks").json()
    task_id = min(task["id"] for task in tasks)  # one of the first tasks to run
    url = f"/replication/executions/{execution_id}/tasks/{task_id}/log"
    early = api.get(url).text
    assert early
    frozen_clock.advance(0.5)
    later = api.get(url).text
    assert later.startswith(early)
    assert len(later.splitlines()) > len(early.splitlines())
    frozen_clock.advance(1)
    assert api.get(url).text.splitlines()[-1].endswith("completed")


def test_semantics_19_logs_of_a_stopped_execution_never_change(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, four_task_policy(api))
    frozen_clock.advance(0.25)  # two tasks run, two wait their turn
    api.put(f"/replication/executions/{execution_id}")
    frozen_clock.advance(0.15)  # the stop lands
    assert finished_execution(api, execution_id)["status"] == "Stopped"
    tasks = api.get(f"/replication/executions/{execution_id}/tasks").json()
    logs_url = f"/replication/executions/{execution_id}/tasks/{{}}/log"

    def logs() -> dict[int, str]:
        return {task["id"]: api.get(logs_url.format(task["id"])).text for task in tasks}

    final_logs = logs()
    ran, waited = min(final_logs), max(final_logs)
    assert final_logs[ran].splitlines()[-1].endswith("the job is stopped")
    # stopped before it started: it never ran, so it never wrote a line
    assert final_logs[waited] == ""
    frozen_clock.advance(10)  # long past when the waiting tasks would have started
    assert logs() == final_logs
    assert api.get(f"/replication/executions/{execution_id}/tasks").json() == tasks


def test_semantics_20_bounded_history_per_policy(
    simulator: HarborSimulator, api: httpx.Client
) -> None:
    config = simulator.state.config
    saved, config.executions_retained_per_policy = config.executions_retained_per_policy, 3
    try:
        ids = []
        for _ in range(5):
            ids.append(start(api, 1))
            finished_execution(api, ids[-1])
    finally:
        config.executions_retained_per_policy = saved
    assert simulator.state.execution_count(policy_id=1) == 3
    assert api.get(f"/replication/executions/{ids[0]}").status_code == 404
    listed = api.get("/replication/executions", params={"policy_id": 1}).json()
    assert [e["id"] for e in listed] == ids[:1:-1]


def test_semantics_21_paging_defaults_and_limits(
    simulator: HarborSimulator, api: httpx.Client
) -> None:
    simulator.state.add_finished_executions(1, 12)
    first = api.get("/replication/executions")
    assert len(first.json()) == 10
    assert first.headers["X-Total-Count"] == "12"
    assert len(api.get("/replication/executions", params={"page": 2}).json()) == 2
    assert len(api.get("/replication/executions", params={"page_size": 100}).json()) == 12
    too_big = api.get("/replication/executions", params={"page_size": 101})
    assert error(too_big) == (
        422,
        "UNPROCESSABLE_ENTITY",
        "validation failure list:\npage_size in query should be less than or equal to 100",
    )
    assert error(api.get("/registries", params={"page": "x"}))[0] == 422


def test_semantics_22_total_count_and_link_separator(
    simulator: HarborSimulator, api: httpx.Client
) -> None:
    simulator.state.add_finished_executions(1, 5)
    middle = api.get("/replication/executions", params={"page": 2, "page_size": 2})
    assert middle.headers["X-Total-Count"] == "5"
    assert middle.headers["Link"] == (
        '</api/v2.0/replication/executions?page=1&page_size=2>; rel="prev" , '
        '</api/v2.0/replication/executions?page=3&page_size=2>; rel="next"'
    )
    last = api.get("/replication/executions", params={"page": 3, "page_size": 2})
    assert last.headers["Link"].endswith('rel="prev"')
    assert "Link" not in api.get("/replication/executions", params={"page_size": 10}).headers


def test_semantics_23_link_query_is_percent_decoded(api: httpx.Client) -> None:
    for n in range(3):
        api.post(
            "/registries",
            json={"name": f"plus{n}", "url": f"https://p{n}.example.com", "type": "harbor",
                  "description": "a+b mirror"},
        )  # fmt: skip
    q = "description=~a%2Bb"  # a literal '+' pre-escaped inside q
    page = api.get("/registries", params={"q": q, "page_size": 1})
    assert page.headers["X-Total-Count"] == "3"
    next_link = re.search(r"<([^>]+)>; rel=\"next\"", page.headers["Link"])
    assert next_link is not None
    assert "q=description=~a%2Bb" in next_link.group(1)
    followed = httpx.get(api.base_url.join(next_link.group(1)).__str__(), auth=ADMIN)
    # followed verbatim, the '%2B' is decoded twice more into a space: nothing matches
    assert followed.headers["X-Total-Count"] == "0"


def test_semantics_24_q_grammar(api: httpx.Client) -> None:
    names = {r["id"]: r["name"] for r in api.get("/registries").json()}
    assert names == {1: "docker-hub", 2: "harbor-dr"}

    def matching(q: str) -> list[str]:
        response = api.get("/registries", params={"q": q})
        assert response.status_code == 200, response.text
        return [r["name"] for r in response.json()]

    assert matching("name=docker-hub") == ["docker-hub"]
    assert matching("name=~HUB") == ["docker-hub"]
    assert matching("id=[2~]") == ["harbor-dr"]
    assert matching("id=[~1]") == ["docker-hub"]
    assert matching("name={harbor-dr docker-hub}") == ["docker-hub", "harbor-dr"]
    assert matching("type=harbor,name=~dr") == ["harbor-dr"]
    assert matching("creation_time=[2000-01-01T00:00:00~]") == ["docker-hub", "harbor-dr"]
    api.post(
        "/registries", json={"name": "~odd", "url": "https://odd.example.com", "type": "harbor"}
    )
    assert matching(r"name=\~odd") == ["~odd"]
    for bad in ("=x", "name=", "name", "id=[1~2~3]"):
        assert error(api.get("/registries", params={"q": bad}))[:2] == (400, "BAD_REQUEST")


def test_semantics_25_q_is_decoded_a_second_time(api: httpx.Client) -> None:
    api.post(
        "/registries", json={"name": "c++", "url": "https://cpp.example.com", "type": "harbor"}
    )
    api.post("/registries", json={"name": "c  ", "url": "https://c.example.com", "type": "harbor"})

    def matching(q: str) -> list[str]:
        return [r["name"] for r in api.get("/registries", params={"q": q}).json()]

    assert matching("name=c%2B%2B") == ["c++"]
    assert matching("name=c++") == ["c  "]  # '+' is a space after the second decoding
    assert matching("name=~c++,unknown=100%") == ["c++"]  # bad escape: q kept as is


def test_semantics_26_unknown_keys_ignored_and_deprecated_name(api: httpx.Client) -> None:
    new_policy(api, name="alpha-one")
    everything = api.get("/replication/policies").headers["X-Total-Count"]
    assert (
        api.get("/replication/policies", params={"q": "nmae=alpha-one"}).headers["X-Total-Count"]
        == everything
    )
    assert (
        api.get("/replication/policies", params={"q": "name=(x y)"}).headers["X-Total-Count"]
        == everything
    )
    assert [
        p["name"] for p in api.get("/replication/policies", params={"name": "ALPHA"}).json()
    ] == ["alpha-one"]
    for q, expected in [
        ("enabled=true,src_registry_id=1", {"alpha-one", "pull-nginx"}),
        ("dest_registry_id=2", {"push-prod-to-dr"}),
        ("trigger=~scheduled", {"push-prod-to-dr"}),  # a JSON column (§26)
        ("creator=admin,description=~nginx", {"pull-nginx"}),
        ("override=true", {"pull-nginx"}),
        ("dest_namespace=mirror", {"pull-nginx"}),
    ]:
        assert {
            p["name"] for p in api.get("/replication/policies", params={"q": q}).json()
        } == expected


def test_semantics_27_sort_and_newest_first(api: httpx.Client) -> None:
    new_policy(api, name="aaa")
    default = [p["name"] for p in api.get("/replication/policies").json()]
    assert default == ["aaa", "push-prod-to-dr", "pull-nginx"]
    by_name = [p["name"] for p in api.get("/replication/policies", params={"sort": "name"}).json()]
    assert by_name == ["aaa", "pull-nginx", "push-prod-to-dr"]
    desc = [
        p["name"] for p in api.get("/replication/policies", params={"sort": "-name,bogus"}).json()
    ]
    assert desc == ["push-prod-to-dr", "pull-nginx", "aaa"]
    ascending = api.get("/replication/policies", params={"sort": "creation_time"}).json()
    assert [p["name"] for p in ascending] == ["pull-nginx", "push-prod-to-dr", "aaa"]


def test_semantics_28_execution_and_task_filters(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    one = start(api, 1)
    two = start(api, 2)  # in the same millisecond: the newer id comes first
    frozen_clock.advance(10)
    finished_execution(api, one)
    finished_execution(api, two)
    by_policy = api.get("/replication/executions", params={"policy_id": 2}).json()
    assert [e["id"] for e in by_policy] == [two]
    assert [e["id"] for e in api.get("/replication/executions").json()] == [two, one]
    failed = api.get("/replication/executions", params={"status": "Failed"}).json()
    assert [e["id"] for e in failed] == [two]
    assert api.get("/replication/executions", params={"trigger": "scheduled"}).json() == []
    ignored_q = api.get("/replication/executions", params={"q": "policy_id=1"}).json()
    assert len(ignored_q) == 2
    tasks = api.get(f"/replication/executions/{two}/tasks", params={"status": "Failed"}).json()
    assert [t["src_resource"] for t in tasks] == ["prod/fail-worker [1 item(s) in total]"]
    images = api.get(f"/replication/executions/{two}/tasks", params={"resource_type": "chart"})
    assert images.json() == []
    # The tasks of an execution that does not exist are a 404, not an empty list.
    assert error(api.get("/replication/executions/999999/tasks"))[:2] == (404, "NOT_FOUND")


def test_semantics_29_registries_crud_ping_info_adapters(api: httpx.Client) -> None:
    body = {
        "name": "quay",
        "type": "quay",
        "url": "https://quay.example.com/",
        "credential": {"type": "basic", "access_key": "me", "access_secret": "s3cret"},
    }
    created = api.post("/registries", json=body)
    assert created.status_code == 201
    registry_id = int(created.headers["Location"].rsplit("/", 1)[1])
    registry = api.get(f"/registries/{registry_id}").json()
    assert registry["url"] == "https://quay.example.com"
    assert registry["credential"] == {"type": "basic", "access_key": "me", "access_secret": "*****"}
    assert error(api.post("/registries", json=body))[:2] == (409, "CONFLICT")
    assert api.put(f"/registries/{registry_id}", json={"description": "Quay"}).status_code == 200
    assert api.get(f"/registries/{registry_id}").json()["description"] == "Quay"
    assert api.post("/registries/ping", json={"id": registry_id}).status_code == 200
    assert (
        api.post(
            "/registries/ping", json={"type": "harbor", "url": "https://x.invalid"}
        ).status_code
        == 400
    )
    info = api.get(f"/registries/{registry_id}/info").json()
    assert {"manual", "scheduled"} <= set(info["supported_triggers"])
    assert "event_based" in api.get("/registries/0/info").json()["supported_triggers"]
    assert api.delete(f"/registries/{registry_id}").status_code == 200
    assert error(api.get(f"/registries/{registry_id}"))[0] == 404
    assert error(api.delete("/registries/1")) == (
        412,
        "PRECONDITION",
        "the registry 1 is referenced by replication policies, cannot delete it",
    )
    adapters = api.get("/replication/adapters").json()
    assert {"harbor", "docker-hub", "aws-ecr"} <= set(adapters)
    infos = api.get("/replication/adapterinfos").json()
    assert (
        infos["docker-hub"]["endpoint_pattern"]["endpoints"][0]["value"] == "https://hub.docker.com"
    )


def test_semantics_16_push_starts_event_based_policies(
    simulator: HarborSimulator, api: httpx.Client
) -> None:
    policy_id = new_policy(
        api,
        name="on-push",
        src_registry=None,
        dest_registry={"id": 2},
        trigger={"type": "event_based"},
        filters=[{"type": "name", "value": "prod/**"}],
    )
    simulator.state.add_artifact(0, "dev/tool", "1.0")
    assert simulator.state.execution_count(policy_id) == 0
    simulator.state.add_artifact(0, "prod/api", "2.5.0")
    (execution,) = api.get("/replication/executions", params={"policy_id": policy_id}).json()
    assert execution["trigger"] == "event_based"
    finished_execution(api, execution["id"])
    tasks = api.get(f"/replication/executions/{execution['id']}/tasks").json()
    assert [t["src_resource"] for t in tasks] == ["prod/api [1 item(s) in total]"]
    assert simulator.state.artifacts(2) == ["prod/api:2.5.0"]
    scheduled = api.get("/replication/executions", params={"trigger": "event_based"}).json()
    assert [e["id"] for e in scheduled] == [execution["id"]]


def test_semantics_23_link_writes_decoded_control_characters_like_go(
    simulator: HarborSimulator, api: httpx.Client
) -> None:
    simulator.state.add_finished_executions(1, 3)
    page = api.get("/replication/executions", params={"sort": "\r-id\n", "page_size": 2})
    assert page.status_code == 200
    # Go's net/http writes CR and LF in a header value as spaces
    assert page.headers["Link"] == (
        '</api/v2.0/replication/executions?page=2&page_size=2&sort= -id >; rel="next"'
    )


def test_semantics_12_null_filter_is_refused(api: httpx.Client) -> None:
    body = {"name": "nulls", "src_registry": {"id": 1}, "filters": [None]}
    assert error(api.post("/replication/policies", json=body))[:2] == (400, "BAD_REQUEST")


def test_semantics_12_harbor_order_namespace_and_missing_registry(api: httpx.Client) -> None:
    missing = api.post("/replication/policies", json={"name": "lost", "src_registry": {"id": 4242}})
    assert error(missing) == (404, "NOT_FOUND", "registry 4242 not found")
    bad_namespace = api.post(
        "/replication/policies",
        json={"name": "ns", "src_registry": {"id": 1}, "dest_namespace": "Upper Case"},
    )
    assert error(bad_namespace) == (400, "BAD_REQUEST", "invalid destination namespace: Upper Case")
    # the empty name is found before the unknown registry, as in Harbor's own order
    assert error(api.post("/replication/policies", json={"src_registry": {"id": 4242}}))[2] == (
        "empty name"
    )


def test_semantics_29_ping_needs_a_type_and_a_url(api: httpx.Client) -> None:
    for body in ({"url": "https://r.example.com"}, {"type": "harbor"}):
        assert error(api.post("/registries/ping", json=body)) == (
            400,
            "BAD_REQUEST",
            "type or url cannot be empty",
        )
    assert api.post("/registries/ping", json={"id": 1}).status_code == 200
    info = api.get("/registries/1/info").json()
    assert "supported_copy_by_chunk" not in info  # only a Harbor adapter sets it, to true


def test_semantics_15_one_task_per_repository_whose_log_names_each_artifact(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    execution_id = start(api, 1)  # pull-nginx: library/nginx, four tags, into mirror/
    frozen_clock.advance(0.2 + 1.0)  # setup, then the one task
    [task] = api.get(f"/replication/executions/{execution_id}/tasks").json()
    assert (task["src_resource"], task["dst_resource"], task["status"]) == (
        "library/nginx [4 item(s) in total]",
        "mirror/nginx [4 item(s) in total]",
        "Succeed",
    )
    log = api.get(f"/replication/executions/{execution_id}/tasks/{task['id']}/log").text
    tags = ["1.25", "1.26", "1.27", "latest"]
    for tag in tags:
        assert (
            f"copy library/nginx:{tag}(source registry) to "
            f"mirror/nginx:{tag}(destination registry) completed\n"
        ) in log
    assert log.splitlines()[-1].endswith(
        "copy library/nginx:[1.25,1.26,1.27,latest](source registry) to "
        "mirror/nginx:[1.25,1.26,1.27,latest](destination registry) completed"
    )


def test_semantics_15_nothing_to_copy_ends_succeed_with_its_status_text(
    api: httpx.Client, frozen_clock: FrozenClock
) -> None:
    policy_id = new_policy(api, filters=[{"type": "name", "value": "no/such-repository"}])
    execution_id = start(api, policy_id)
    assert api.get(f"/replication/executions/{execution_id}").json()["status"] == "InProgress"
    frozen_clock.advance(0.25)  # setup done: no task to create
    final = api.get(f"/replication/executions/{execution_id}").json()
    assert (final["status"], final["status_text"], final["total"]) == (
        "Succeed",
        "no resources need to be replicated",
        0,
    )
    assert final["end_time"] != ZERO_TIME


def test_semantics_16_a_failed_task_beats_a_stopped_one(
    simulator: HarborSimulator,
    api: httpx.Client,
    frozen_clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # team/fail-build fails in the first round of tasks (two at a time) and waits for
    # Harbor's retry, which a stop does not cancel (§30); team/later, in the second round,
    # is stopped while it runs
    monkeypatch.setattr(simulator.state, "retry_backoff", RetryBackoff(1.0, seed=1))
    simulator.state.add_artifact(1, "team/later", "1.0")
    policy_id = new_policy(
        api, filters=[{"type": "name", "value": "{library/alpine,team/fail-build,team/later}"}]
    )
    execution_id = start(api, policy_id)
    frozen_clock.advance(0.2 + 1.5)
    api.put(f"/replication/executions/{execution_id}")
    frozen_clock.advance(3600)
    final = api.get(f"/replication/executions/{execution_id}").json()
    assert (final["succeed"], final["failed"], final["stopped"]) == (1, 1, 1)
    assert final["status"] == "Failed"
