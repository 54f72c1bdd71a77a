"""Validation models from tables (drizzle-zod for pydantic v2): `select_model`, `insert_model`, `update_model`.

    SessionIn = insert_model(Sessions, title=lambda f: f.min_length(1).max_length(255))
    data = SessionIn.model_validate_json(body)     # pydantic.ValidationError names the field
    await db.insert(Sessions).values(**data.values()).returning().one()

Field types come from the table class annotations (`Column[list[str] | None]` gives
`list[str] | None`), enums become `Literal[...]`, text `length` becomes `max_length`.
On insert a field is required exactly when the column is NOT NULL without a default
(`default`, `default_fn`, `on_update_fn`, integer primary key, serial/identity); on update
every field is optional; generated columns are left out of both. Refine a field by name with:

- a function of a `Refine` builder: `title=lambda f: f.min_length(1).pattern(r"^\\S")`;
- pydantic's `Field(...)` (its constraints and metadata are merged): `title=Field(min_length=1)`;
- a type, to replace the column's type: `status=Literal["idle", "running"]`,
  `cwd=Annotated[str, StringConstraints(strip_whitespace=True)]`.

`omit=("id", "created_at")` leaves columns out (drizzle-zod's `.omit()`); as `omit` is a keyword
of these functions, a column whose Python key is `omit` cannot be refined by keyword.

Static typing: the models are built at run time, so pyright and mypy see `type[InsertModel]`
(a `pydantic.BaseModel` with `.values()`), not the individual fields. For fields the checkers see,
`mizzle models` writes the same models as source (from `field_specs`, the rules above); their
`to_insert()` / `to_update()` (`insert_row`, `update_set`) feed `insert(T).values(...)` and
`update(T).set(...)` with checked types.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, Union, cast

from mizzle.errors import SchemaError
from mizzle.query.dml import Assignments, assign
from mizzle.schema.column import MISSING, Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL

try:
    from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model
    from pydantic.fields import FieldInfo
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("mizzle.pydantic needs pydantic v2: pip install 'mizzle[pydantic]'") from exc

Kind = Literal["select", "insert", "update"]

Refinement = Union["Callable[[Refine], Refine]", FieldInfo, object]
"""A refinement: a function of `Refine` (typed, so `lambda f: f.min_length(1)` is checked), a `Field(...)` or a type."""


class SelectModel(BaseModel):
    """Base of the models made by `select_model`: a row as read from the database."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")


class InsertModel(BaseModel):
    """Base of the models made by `insert_model`: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid")

    def values(self) -> dict[str, Any]:
        """The fields that were given, by column key (omitted ones get the column's default)."""
        return _given(self)


def _given(model: BaseModel) -> dict[str, Any]:
    """The fields that were given, by key; nested models keep their defaults (only top-level omissions drop)."""
    data = model.model_dump()
    return {k: data[k] for k in data if k in model.model_fields_set}


class UpdateModel(BaseModel):
    """Base of the models made by `update_model`: every field optional, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid")

    def values(self) -> dict[str, Any]:
        """Only the fields that were given (a partial update)."""
        return _given(self)


class Refine:
    """Constraints for one field, chained: `lambda f: f.min_length(1).max_length(80)`."""

    __slots__ = ("_checks", "_kw")

    def __init__(self) -> None:
        self._kw: dict[str, Any] = {}
        self._checks: list[Callable[[Any], Any]] = []

    def _set(self, **kw: Any) -> Refine:
        self._kw.update(kw)
        return self

    def min_length(self, n: int) -> Refine:
        """At least `n` characters / items."""
        return self._set(min_length=n)

    def max_length(self, n: int) -> Refine:
        """At most `n` characters / items."""
        return self._set(max_length=n)

    def pattern(self, regex: str) -> Refine:
        """Must match `regex` (a string field)."""
        return self._set(pattern=regex)

    def gt(self, v: Any) -> Refine:
        """Greater than `v`."""
        return self._set(gt=v)

    def ge(self, v: Any) -> Refine:
        """Greater than or equal to `v`."""
        return self._set(ge=v)

    def lt(self, v: Any) -> Refine:
        """Less than `v`."""
        return self._set(lt=v)

    def le(self, v: Any) -> Refine:
        """Less than or equal to `v`."""
        return self._set(le=v)

    def multiple_of(self, v: Any) -> Refine:
        """A multiple of `v`."""
        return self._set(multiple_of=v)

    def describe(self, text: str) -> Refine:
        """A description (shown in the JSON Schema)."""
        return self._set(description=text)

    def examples(self, *values: Any) -> Refine:
        """Example values (shown in the JSON Schema)."""
        return self._set(examples=list(values))

    def check(self, fn: Callable[[Any], bool], message: str) -> Refine:
        """A custom rule: `fn(value)` must be true, else the error says `message`."""

        def validate(v: Any) -> Any:
            if v is not None and not fn(v):
                raise ValueError(message)
            return v

        self._checks.append(validate)
        return self


# ---- column -> python type ----------------------------------------------------------------


def _annotations(table: type[Table]) -> dict[str, Any]:
    try:
        hints = typing.get_type_hints(table, include_extras=True)
    except Exception:  # unresolvable forward references: fall back to the column metadata
        hints = {}
    out: dict[str, Any] = {}
    for key, hint in hints.items():
        if typing.get_origin(hint) is Column:
            args = typing.get_args(hint)
            if args:
                out[key] = args[0]
    return out


def _strip_none(tp: Any) -> tuple[Any, bool]:
    """(the type without None, whether None was part of it)."""
    origin = typing.get_origin(tp)
    if origin is Union or str(origin) == "<class 'types.UnionType'>":
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        had_none = len(args) != len(typing.get_args(tp))
        if not args:
            return Any, True
        inner = args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007
        return inner, had_none
    return tp, tp is None or tp is type(None)


def _base_type(col: Column[Any], annotated: Any) -> Any:
    """The non-null Python type of a column's values."""
    if annotated is not None:
        tp, _ = _strip_none(annotated)
        if tp is not Any and not (tp is str and col.enum_values):
            return tp
    if col.enum_values:
        return Literal[col.enum_values]
    if col.mode == "json":
        return Any
    if col.mode in ("timestamp", "timestamp_ms"):
        return datetime
    if col.py_types:
        return col.py_types[0] if len(col.py_types) == 1 else Union[col.py_types]  # noqa: UP007
    return Any


def _constraints(col: Column[Any], tp: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if col.length is not None and tp is str:
        kw["max_length"] = col.length
    return kw


# ---- models ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one column becomes one field of a select/insert/update model (the rules every model follows).

    `base` is the non-null Python type; the field's type is `base | None` when `nullable`. A field that is
    not `required` and has no `default` may be omitted (then None is read and the column's default or
    NULL applies); when it is not `nullable` an explicit null is refused.
    """

    key: str
    base: Any
    nullable: bool
    constraints: dict[str, Any]
    required: bool
    default: Any = MISSING
    """A default the model shows (an insert's literal column default); MISSING: none."""

    @property
    def refuses_null(self) -> bool:
        """May be omitted but not given as null (a NOT NULL column with a default, or any on update)."""
        return not self.required and not self.nullable and self.default is MISSING


def _spec(key: str, col: Column[Any], annotated: Any, kind: Kind) -> FieldSpec:
    base = _base_type(col, annotated)
    nullable = not col.not_null_ or (annotated is not None and _strip_none(annotated)[1])
    constraints = _constraints(col, base)
    if kind == "select" or (kind == "insert" and not col.has_default()):
        return FieldSpec(key, base, nullable, constraints, required=True)
    dv = col.default_value
    if kind == "insert" and dv is not MISSING and not isinstance(dv, SQL):
        return FieldSpec(key, base, nullable, constraints, required=False, default=dv)
    return FieldSpec(key, base, nullable, constraints, required=False)


def field_specs(table: type[Table], kind: Kind) -> list[FieldSpec]:
    """The fields of `table`'s `kind` model, in column order (generated columns are not written, so
    insert and update models leave them out). `mizzle models` writes its source from these."""
    if not (isinstance(table, type) and issubclass(table, Table)):
        raise SchemaError(f"field_specs() takes a Table class, got {table!r}")
    annotations = _annotations(table)
    return [
        _spec(key, col, annotations.get(key), kind)
        for key, col in table.__table__.columns.items()
        if kind == "select" or col.generated is None
    ]


def _field(table: type[Table], spec: FieldSpec, refinement: Any) -> tuple[Any, Any]:
    key = spec.key
    base = spec.base
    nullable = spec.nullable
    field_kw = dict(spec.constraints)
    checks: list[Callable[[Any], Any]] = []
    field_info: FieldInfo | None = None
    if refinement is not None:
        if isinstance(refinement, FieldInfo):
            field_info = refinement
        elif isinstance(refinement, type) or typing.get_origin(refinement) is not None:
            base = refinement
            field_kw = {}
        elif callable(refinement):
            r = refinement(Refine())
            if not isinstance(r, Refine):
                raise SchemaError(
                    f"{table.__name__}.{key}: a refinement function must return the Refine it was given "
                    f"(e.g. lambda f: f.min_length(1)), got {r!r}"
                )
            field_kw.update(r._kw)
            checks = r._checks
        else:
            raise SchemaError(
                f"{table.__name__}.{key}: a refinement must be a function of Refine, pydantic Field(...) "
                f"or a type, got {refinement!r}"
            )
    tp: Any = base
    if checks:
        tp = Annotated[tp, *[AfterValidator(c) for c in checks]]
    if nullable:
        tp = Union[tp, None]  # noqa: UP007  (works for Any, Literal and Annotated alike)
    if field_info is not None:  # on the whole field, so its description is not buried in anyOf
        tp = Annotated[tp, field_info]
    if spec.required:
        return tp, Field(**field_kw)
    if spec.default is not MISSING:
        return tp, Field(default=spec.default, **field_kw)
    if not nullable:  # omitted means "use the column's default"; null itself is not accepted
        return tp, Field(default=None, json_schema_extra=_no_default, **field_kw)
    return tp, Field(default=None, **field_kw)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _make(
    table: type[Table], kind: Kind, refinements: dict[str, Refinement], base: type[BaseModel], omit: Sequence[str] = ()
) -> type[BaseModel]:
    if not (isinstance(table, type) and issubclass(table, Table)):
        raise SchemaError(f"{kind}_model() takes a Table class, got {table!r}")
    cols = table.__table__.columns
    if isinstance(omit, str):
        omit = (omit,)
    unknown = [k for k in [*refinements, *omit] if k not in cols]
    if unknown:
        raise SchemaError(
            f"{kind}_model({table.__name__}): no column {unknown[0]!r}; columns are: {', '.join(cols)}"
        )
    for key in refinements:
        if kind != "select" and cols[key].generated is not None:
            raise SchemaError(f"{kind}_model({table.__name__}): {key!r} is a generated column; it is not written")
    fields: dict[str, Any] = {}
    for spec in field_specs(table, kind):
        if spec.key in omit:  # an omitted NOT NULL column must be supplied by the code (e.g. from the URL)
            continue
        fields[spec.key] = _field(table, spec, refinements.get(spec.key))
    name = f"{table.__name__}{kind.capitalize()}"
    model = create_model(name, __base__=base, __module__=table.__module__, **fields)
    model.__doc__ = f"{kind.capitalize()} model of table {table.__table__.name!r} (made by mizzle.pydantic)."
    return model


_cache: dict[tuple[type[Table], Kind], type[BaseModel]] = {}


def select_model(table: type[Table], /, *, omit: Sequence[str] = (), **refinements: Refinement) -> type[SelectModel]:
    """A model of the rows read from `table`: every column (but `omit`), nullable ones as `T | None`."""
    plain = not refinements and not omit
    if plain and (table, "select") in _cache:
        return cast(type[SelectModel], _cache[(table, "select")])
    model = _make(table, "select", refinements, SelectModel, omit)
    if plain:
        _cache[(table, "select")] = model
    return cast(type[SelectModel], model)


def insert_model(table: type[Table], /, *, omit: Sequence[str] = (), **refinements: Refinement) -> type[InsertModel]:
    """A model of the values for inserting into `table` (required where NOT NULL has no default).

    `omit` leaves out columns the client must not set (ids, timestamps, a parent id taken from
    the URL); the code supplies them or their defaults apply.
    """
    return cast(type[InsertModel], _make(table, "insert", refinements, InsertModel, omit))


def update_model(table: type[Table], /, *, omit: Sequence[str] = (), **refinements: Refinement) -> type[UpdateModel]:
    """A model of a partial update of `table`: every field optional; NOT NULL ones reject null."""
    return cast(type[UpdateModel], _make(table, "update", refinements, UpdateModel, omit))


# ---- helpers of the modules `mizzle models` writes -----------------------------------------------

R = TypeVar("R", bound=Table)


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("may be omitted (the column's default applies) but not null: the column is NOT NULL")
    return value


NotNull = AfterValidator(_refuse_null)
"""Marks a field of a generated model that may be omitted but not given as null (`Annotated[str | None, NotNull]`)."""


def insert_row(table: type[R], model: BaseModel, /) -> R:
    """A `table` row holding the fields `model` was given, for `insert(table).values(row)` (omitted fields
    get the column's default). Generated insert models call it from `to_insert()`."""
    return table(**_given(model))


def update_set(table: type[R], model: BaseModel, /) -> Assignments[R]:
    """The fields `model` was given as `Assignments[table]`, for `update(table).set(...)`. Generated update
    models call it from `to_update()`."""
    return assign(table, **_given(model))


def error_details(exc: ValidationError) -> list[dict[str, Any]]:
    """A JSON-friendly list of `{"field": "a.b", "message": ..., "type": ...}` for an API response."""
    out: list[dict[str, Any]] = []
    for e in exc.errors(include_url=False, include_context=False, include_input=False):
        out.append({
            "field": ".".join(str(p) for p in e["loc"]) or "(body)",
            "message": e["msg"],
            "type": e["type"],
        })
    return out


__all__ = [
    "FieldSpec",
    "InsertModel",
    "NotNull",
    "Refine",
    "SelectModel",
    "UpdateModel",
    "ValidationError",
    "error_details",
    "field_specs",
    "insert_model",
    "insert_row",
    "select_model",
    "update_model",
    "update_set",
]
