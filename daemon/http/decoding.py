"""Decoding request bodies into API models, with errors that name the offending field."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from moodline.daemon.http.errors import ApiError

Model = TypeVar("Model", bound=BaseModel)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _clean_strings(value: Any) -> Any:
    """Replace lone UTF-16 surrogates (truncated emoji from a page) with U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    if isinstance(value, dict):
        return {_clean_strings(k): _clean_strings(v) for k, v in value.items()}
    return value


async def read_json(request: web.Request) -> Any:
    """The body as JSON (NaN/Infinity refused, lone surrogates replaced); 400 if it is not JSON."""
    raw = await request.read()
    try:
        return _clean_strings(json.loads(raw, parse_constant=_reject_constant))
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc}", field="body") from exc


async def decode(request: web.Request, model: type[Model]) -> Model:
    """Parse the JSON body into `model`: 400 for bad JSON, 422 naming the field otherwise."""
    data = await read_json(request)
    try:
        return model.model_validate(data)
    except RecursionError as exc:
        raise ApiError(400, "invalid_json", "body is nested too deeply", field="body") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ApiError(
            422,
            "invalid_field",
            f"{where}: {first['msg']}",
            field=where,
            errors=[
                {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
                for e in exc.errors()[:20]
            ],
        ) from exc
