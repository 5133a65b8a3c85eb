"""Sorts a batch of incoming messages into new ones, edits, duplicates and refusals, before
anything is scored or stored (see docs/protocol.md, "Idempotent ids, edits and refusals")."""

from __future__ import annotations

from dataclasses import dataclass, field

from moodline.daemon.api_models import ChatMessage, MessagesRequest
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.results import Refusal
from moodline.daemon.store.history import HistoryStore


@dataclass(frozen=True)
class Accepted:
    """A message to write: `text` is what is stored (redacted when the policy is on); the
    message itself keeps the original, which only scoring reads."""

    message: ChatMessage
    text: str
    edit: bool = False


@dataclass
class Plan:
    """What to do with one request's messages, in their order."""

    request: MessagesRequest
    accepted: list[Accepted] = field(default_factory=list)
    duplicates: int = 0
    refused: list[Refusal] = field(default_factory=list)


def plan_batch(
    requests: list[MessagesRequest], store: HistoryStore, redaction: RedactionPolicy
) -> list[Plan]:
    """One plan per request. A known id (stored, or earlier in the batch) with the same text is
    a duplicate; with new text it is an edit when the request says its ids are verified and the
    role is the same, else it is refused: the site's ids are not what they seem."""
    # conversation -> message id -> (role, stored text), as it will be after the earlier plans
    seen: dict[str, dict[str, tuple[str, str]]] = {}
    plans = []
    for request in requests:
        known = seen.setdefault(request.conversation_id, {})
        unseen = list(dict.fromkeys(m.id for m in request.messages if m.id not in known))
        known.update(store.stored_texts(request.conversation_id, unseen))
        plan = Plan(request)
        for message in request.messages:
            text = redaction.stored_text(message.text)
            prior = known.get(message.id)
            if prior is None:
                plan.accepted.append(Accepted(message, text))
            elif redaction.same_text(prior[1], message.text):
                plan.duplicates += 1
                continue
            elif request.ids_verified and prior[0] == message.role:
                plan.accepted.append(Accepted(message, text, edit=True))
            else:
                plan.refused.append(Refusal(message.id))
                continue
            known[message.id] = (message.role, text)
        plans.append(plan)
    return plans
