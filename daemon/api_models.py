"""Request bodies of the public API v1, validated with pydantic (see docs/protocol.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class Source(BaseModel):
    model_config = ConfigDict(extra="ignore")

    site: Annotated[str, StringConstraints(max_length=200)] = ""
    url: Annotated[str, StringConstraints(max_length=2048)] = ""
    title: Annotated[str, StringConstraints(max_length=500)] = ""


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Identifier
    role: Literal["customer", "agent"]
    text: Annotated[str, StringConstraints(min_length=1)]
    ts: Annotated[float, Field(ge=0, le=1e14)] | None = None


class MessagesRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    conversation_id: Identifier
    source: Source | None = None
    messages: Annotated[list[ChatMessage], Field(min_length=1)]
    # The sender checked that this site's message ids are unique (a built-in adapter, or a
    # set-up whose id attribute was verified): a known id with new text is then an edit.
    ids_verified: bool = False


class CorrectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Literal["negative", "neutral", "positive"] | None


class PairRequest(BaseModel):
    """A pairing code shown to the agent, or the secret IT provisioned (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    provisioning_secret: Annotated[str, StringConstraints(min_length=16, max_length=256)] | None = (
        None
    )
    client: Annotated[str, StringConstraints(max_length=100)] = ""

    @model_validator(mode="after")
    def _one_way(self) -> PairRequest:
        if (self.code is None) == (self.provisioning_secret is None):
            raise ValueError("send either code or provisioning_secret")
        return self


class FocusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: Identifier | None


class PauseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paused: bool
