"""What the type checkers see of mizzle.pydantic: model classes with `.values()`, typed refinement functions."""

from __future__ import annotations

from typing import Any, assert_type

from typing_tables import Users

from mizzle.pydantic import InsertModel, SelectModel, UpdateModel, insert_model, select_model, update_model


def check_models() -> None:
    m = insert_model(Users, name=lambda f: f.min_length(1).max_length(80), omit=("id",))
    assert_type(m, type[InsertModel])
    assert_type(m.model_validate({"name": "a"}).values(), dict[str, Any])
    assert_type(update_model(Users), type[UpdateModel])
    assert_type(select_model(Users), type[SelectModel])
    insert_model(Users, name=lambda f: f.min_lenght(1))  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownLambdaType]
