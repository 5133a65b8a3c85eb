"""Security of the local API: each guard has a test that fails if it breaks."""

from __future__ import annotations

import pytest

from moodline.daemon.scoring.scorer import MessageScorer
from tests.conftest import EXTENSION_ORIGIN, Client, DaemonUnderTest, auth
from tests.support.stub_scorer import stub_scorer


@pytest.fixture
def scorer() -> MessageScorer:
    """The guards are tested without the model: a stub encoder behind the shipped head."""
    return stub_scorer()


MESSAGE = {"conversation_id": "c1", "messages": [{"id": "m1", "role": "customer", "text": "hi"}]}


async def test_every_response_carries_api_version(api: Client) -> None:
    for path in ("/v1/health", "/v1/conversations", "/nope"):
        response = await api.get(path)
        assert response.headers["X-Moodline-API"] == "1", path


async def test_health_needs_no_token_and_reveals_nothing_private(api: Client) -> None:
    response = await api.get("/v1/health")
    body = await response.json()
    assert response.status == 200 and body["ready"] is True
    assert "token" not in str(body).lower() and "conversation" not in str(body)


async def test_dns_rebinding_host_is_rejected(api: Client, daemon_state: DaemonUnderTest) -> None:
    port = daemon_state.settings.port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1", f"127.0.0.2:{port}"):
        response = await api.get("/v1/health", headers={"Host": host})
        assert response.status == 403, host
        assert (await response.json())["error"] == "bad_host"
    ok = await api.get("/v1/health", headers={"Host": f"localhost:{port}"})
    assert ok.status == 200


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",
        "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "http://127.0.0.1",
    ],
)
async def test_foreign_origin_is_rejected_before_any_handler(
    api: Client, daemon_state: DaemonUnderTest, origin: str
) -> None:
    response = await api.post(
        "/v1/messages", json=MESSAGE, headers={**auth(daemon_state), "Origin": origin}
    )
    assert response.status == 403
    assert (await response.json())["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers
    listing = await api.get("/v1/conversations", headers=auth(daemon_state))
    assert (await listing.json())["conversations"] == []


async def test_pinned_extension_origin_is_accepted_without_cors_headers(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    response = await api.post(
        "/v1/messages", json=MESSAGE, headers={**auth(daemon_state), "Origin": EXTENSION_ORIGIN}
    )
    assert response.status == 200
    assert not any(h.lower().startswith("access-control") for h in response.headers)


async def test_preflight_gets_no_permissive_cors(api: Client) -> None:
    response = await api.options(
        "/v1/messages",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Bearer ", "Basic dXNlcjpwYXNz", "bearer"]
)
async def test_missing_or_wrong_token_is_401(
    api: Client, daemon_state: DaemonUnderTest, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = await api.post("/v1/messages", json=MESSAGE, headers=headers)
    assert response.status == 401
    for path in ("/v1/conversations", "/v1/settings", "/v1/export"):
        assert (await api.get(path, headers=headers)).status == 401


def test_token_comparison_is_constant_time() -> None:
    import inspect

    from moodline.daemon.http import security

    source = inspect.getsource(security.token_matches)
    assert "hmac.compare_digest" in source
    assert security.token_matches("abc", "abc") and not security.token_matches("abc", "abd")


async def test_text_plain_post_from_a_web_page_changes_nothing(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    import json

    body = json.dumps(MESSAGE)
    from_page = await api.post(
        "/v1/messages",
        data=body,
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert from_page.status == 403
    no_origin = await api.post(
        "/v1/messages", data=body, headers={**auth(daemon_state), "Content-Type": "text/plain"}
    )
    assert no_origin.status == 415
    assert (await no_origin.json())["field"] == "Content-Type"
    listing = await api.get("/v1/conversations", headers=auth(daemon_state))
    assert (await listing.json())["conversations"] == []


async def test_body_size_limit_is_a_clear_413(api: Client, daemon_state: DaemonUnderTest) -> None:
    limit = daemon_state.settings.max_body_bytes
    text = "a" * (limit + 10)
    response = await api.post(
        "/v1/messages",
        data=f'{{"conversation_id": "c", "messages": [{{"id": "1", "role": "customer", '
        f'"text": "{text}"}}]}}',
        headers={**auth(daemon_state), "Content-Type": "application/json"},
    )
    assert response.status == 413
    body = await response.json()
    assert body["error"] == "body_too_large" and body["field"] == "body"


async def test_oversized_text_names_the_field(api: Client, daemon_state: DaemonUnderTest) -> None:
    limit = daemon_state.settings.max_text_chars
    payload = {
        "conversation_id": "c",
        "messages": [
            {"id": "1", "role": "customer", "text": "fine"},
            {"id": "2", "role": "customer", "text": "x" * (limit + 1)},
        ],
    }
    response = await api.post("/v1/messages", json=payload, headers=auth(daemon_state))
    assert response.status == 413
    body = await response.json()
    assert body["field"] == "messages.1.text" and body["limit"] == limit
    listing = await api.get("/v1/conversations", headers=auth(daemon_state))
    assert (await listing.json())["conversations"] == [], "nothing half-written"


async def test_invalid_field_is_a_clear_422(api: Client, daemon_state: DaemonUnderTest) -> None:
    payload = {"conversation_id": "c", "messages": [{"id": "1", "role": "boss", "text": "x"}]}
    response = await api.post("/v1/messages", json=payload, headers=auth(daemon_state))
    assert response.status == 422
    body = await response.json()
    assert body["field"] == "messages.0.role"


def test_daemon_binds_loopback_only() -> None:
    from moodline.commands import run_daemon

    assert run_daemon.HOST == "127.0.0.1"


async def test_text_is_never_logged_at_info(
    api: Client, daemon_state: DaemonUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    secret = "my card number is 4111 1111 1111 1111 zebra-canary"
    caplog.set_level(logging.DEBUG)
    payload = {
        "conversation_id": "c",
        "messages": [{"id": "1", "role": "customer", "text": secret}],
    }
    assert (await api.post("/v1/messages", json=payload, headers=auth(daemon_state))).status == 200
    assert "zebra-canary" not in caplog.text
