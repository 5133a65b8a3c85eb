"""Fuzzing the API with malformed bodies and headers: never a 500, never a crash, no half-writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moodline.daemon.scoring.scorer import MessageScorer
from tests.conftest import Client, DaemonUnderTest, auth
from tests.support.stub_scorer import stub_scorer


@pytest.fixture
def scorer() -> MessageScorer:
    """The guards are tested without the model: a stub encoder behind the shipped head."""
    return stub_scorer()


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
message = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=300), json_values),
        "role": st.one_of(st.sampled_from(["customer", "agent", "Customer", ""]), json_values),
        "text": st.one_of(st.text(max_size=200), json_values),
        "ts": st.one_of(st.floats(), st.integers(), json_values),
    },
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "conversation_id": st.one_of(st.text(max_size=300), json_values),
            "source": st.one_of(
                json_values,
                st.fixed_dictionaries(
                    {}, optional={"site": json_values, "url": st.text(), "title": st.text()}
                ),
            ),
            "messages": st.one_of(st.lists(message, max_size=5), json_values),
        },
    ),
)
raw_bytes = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[]",
            b"null",
            b'{"a": NaN}',
            b"[" * 5000,
            b"\xff\xfe{}",
            b'{"conversation_id": "\\ud800", "messages": [{"id": "\\udfff", '
            b'"role": "customer", "text": "\\ud83d"}]}',
        ]
    ),
)
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
FUZZ = settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))


async def _conversations(api: Client, state: DaemonUnderTest) -> list[dict[str, Any]]:
    listing = await api.get("/v1/conversations?status=all&limit=1000", headers=auth(state))
    assert listing.status == 200
    body: dict[str, Any] = await listing.json()
    return list(body["conversations"])


async def _assert_consistent(api: Client, state: DaemonUnderTest) -> None:
    """Every stored conversation is whole: each customer message has its window state."""
    for conversation in await _conversations(api, state):
        cid = conversation["conversation_id"]
        from urllib.parse import quote

        detail = await api.get(f"/v1/conversations/{quote(cid, safe='')}", headers=auth(state))
        if detail.status == 404:
            continue  # ids that cannot round-trip through a URL path segment
        body = await detail.json()
        customers = [m for m in body["messages"] if m["role"] == "customer"]
        assert len(body["timeline"]) >= len(customers)


async def test_fuzzed_json_bodies(api: Client, daemon_state: DaemonUnderTest) -> None:
    statuses: set[int] = set()
    pending: list[Any] = []

    @FUZZ
    @given(body=bodies)
    def run(body: Any) -> None:
        pending.append(body)

    run()
    for body in pending:
        response = await api.post(
            "/v1/messages",
            data=json.dumps(body),
            headers={**auth(daemon_state), "Content-Type": "application/json"},
        )
        statuses.add(response.status)
        assert response.status < 500, (body, await response.text())
        assert response.headers["X-Moodline-API"] == "1"
    assert statuses & {400, 422}
    await _assert_consistent(api, daemon_state)


async def test_fuzzed_raw_bytes_and_headers(api: Client, daemon_state: DaemonUnderTest) -> None:
    pending: list[tuple[bytes, str, str, str]] = []

    @FUZZ
    @given(
        raw=raw_bytes,
        content_type=st.one_of(st.just("application/json"), header_values),
        authorization=st.one_of(st.just(f"Bearer {daemon_state.token}"), header_values),
        origin=st.one_of(st.just(""), header_values),
    )
    def run(raw: bytes, content_type: str, authorization: str, origin: str) -> None:
        pending.append((raw, content_type, authorization, origin))

    run()
    for raw, content_type, authorization, origin in pending:
        headers = {"Content-Type": content_type, "Authorization": authorization}
        if origin:
            headers["Origin"] = origin
        for method, path in (
            ("POST", "/v1/messages"),
            ("POST", "/v1/pair"),
            ("PATCH", "/v1/settings"),
            ("POST", "/v1/focus"),
        ):
            response = await api.request(method, path, data=raw, headers=headers)
            assert response.status < 500, (method, path, raw[:80], await response.text())
    health = await api.get("/v1/health")
    assert (await health.json())["ready"] is True
    await _assert_consistent(api, daemon_state)
