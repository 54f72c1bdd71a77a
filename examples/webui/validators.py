"""Request bodies, validated by models generated from the tables with `mizzle.pydantic` (seed's Zod validators)."""

from __future__ import annotations

from typing import Annotated, Any, LiteralString, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mizzle.pydantic import insert_model, update_model

from .schema import Messages, Sessions, Settings

_Tool = Annotated[str, StringConstraints(min_length=1, max_length=200)]
_tools = Annotated[list[_Tool] | None, Field(max_length=100)]

SessionCreate = insert_model(
    Sessions,
    omit=("id", "claude_session_id", "created_at", "updated_at"),
    title=lambda f: f.min_length(1).max_length(255),
    cwd=lambda f: f.min_length(1).max_length(4096),
    last_prompt=lambda f: f.max_length(100_000),
    allowed_tools=_tools,
)
"""POST /api/sessions (title required, status one of the four, sizes bounded)."""

SessionUpdate = update_model(
    Sessions,
    omit=("id", "created_at", "updated_at"),
    title=lambda f: f.min_length(1).max_length(255),
    cwd=lambda f: f.min_length(1).max_length(4096),
    claude_session_id=lambda f: f.max_length(255),
    last_prompt=lambda f: f.max_length(100_000),
    allowed_tools=_tools,
)
"""PATCH /api/sessions/{id}."""

MessageCreate = insert_model(
    Messages,
    omit=("id", "session_id", "created_at"),
    type=lambda f: f.min_length(1).max_length(64),
)
"""POST /api/sessions/{id}/messages."""

SettingIn = insert_model(
    Settings, omit=("updated_at",), key=lambda f: f.min_length(1).max_length(255), value=lambda f: f.max_length(10_000)
)
"""One setting (the seed's insertSettingSchema)."""


class StartSession(BaseModel):
    """POST /api/sessions/{id}/start."""

    model_config = ConfigDict(extra="forbid")
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=100_000)]


def settings_map(data: Any) -> dict[str, str]:
    """Validate `{key: value, ...}` entry by entry (errors name `settings.<key>.value`)."""
    from pydantic import ValidationError
    from pydantic_core import InitErrorDetails, PydanticCustomError

    if not isinstance(data, dict) or not data:
        raise ValidationError.from_exception_data(
            "Settings",
            [InitErrorDetails(type=PydanticCustomError("settings_type", "expected a non-empty object of key: value"),
                              loc=("settings",), input=data)],
        )
    errors: list[InitErrorDetails] = []
    out: dict[str, str] = {}
    for k, v in data.items():  # pyright: ignore[reportUnknownVariableType]
        try:
            s = SettingIn.model_validate({"key": k, "value": v})
        except ValidationError as exc:
            for e in exc.errors():
                kind, msg = cast(LiteralString, e["type"]), cast(LiteralString, e["msg"])
                errors.append(InitErrorDetails(type=PydanticCustomError(kind, msg),
                                               loc=("settings", str(k), *e["loc"]), input=e.get("input")))  # pyright: ignore[reportUnknownArgumentType]
            continue
        vals = s.values()
        out[vals["key"]] = vals["value"]
    if errors:
        raise ValidationError.from_exception_data("Settings", errors)
    return out
