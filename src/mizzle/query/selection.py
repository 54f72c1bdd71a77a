"""Named selections checked by the type checker: declare the result class, build it from expressions.

    class Totals(Selection):
        email: Field[str]
        spent: Field[float | None]

    rows = db.select(Totals(email=Users.email, spent=sum_(Logs.cost))).from_(Users)...all()
    # rows: list[Totals]; rows[0].spent: float | None

`Selection` is a dataclass-like base: the constructor takes one keyword per field, each an SQL
expression of the field's type (`Field[str]` takes an `Expr[str]`), so pyright and mypy check a
missing, unknown or mistyped field without a plugin; result rows are instances of the class whose
fields read as their values. Rows are tuples underneath (fast to build, immutable).
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar, Generic, dataclass_transform, overload

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.sql.chunks import Expr

T = TypeVar("T")


class Field(Generic[T]):
    """A field of a `Selection`: `email: Field[str]` takes an `Expr[str]` and reads as `str`."""

    __slots__ = ()

    @overload
    def __get__(self, obj: None, owner: Any) -> Field[T]: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> T: ...
    def __get__(self, obj: object | None, owner: Any) -> Any:
        return self

    def __set__(self, obj: object, value: Expr[T]) -> None:
        raise AttributeError("selection fields are read-only")


@dataclass_transform(kw_only_default=True, field_specifiers=(Field,))
class Selection:
    """Base of named selection classes (see the module docs)."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _row_cls: ClassVar[type[Any] | None] = None

    def __init_subclass__(cls, *, _row: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if _row:
            return
        keys: list[str] = []
        for klass in reversed(cls.__mro__):
            if klass is Selection or not issubclass(klass, Selection):
                continue
            for key in inspect.get_annotations(klass):
                if not key.startswith("_") and key not in keys:
                    keys.append(key)
        cls._fields = tuple(keys)
        cls._row_cls = None

    def __init__(self, **fields: Any) -> None:
        cls = type(self)
        missing = [k for k in cls._fields if k not in fields]
        unknown = [k for k in fields if k not in cls._fields]
        if missing or unknown:
            what = "; ".join(
                part for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unknown {', '.join(unknown)}" if unknown else "",
                ) if part
            )
            raise QueryError(f"{cls.__name__}(...): {what} (fields are: {', '.join(cls._fields)})")
        for k, v in fields.items():
            if not isinstance(v, Expr):
                raise QueryError(f"{cls.__name__}(...): field {k!r} must be a column or sql expression, got {v!r}")
        self.__dict__["_exprs"] = {k: fields[k] for k in cls._fields}

    def exprs(self) -> dict[str, Expr[Any]]:
        """The selected expressions by field name, in declaration order."""
        out: dict[str, Expr[Any]] = self.__dict__["_exprs"]
        return out

    @classmethod
    def row_class(cls) -> type[Any]:
        """The tuple-backed class of result rows (a subclass of this class)."""
        if cls.__dict__.get("_row_cls") is None:
            from mizzle.schema.table import make_row_class

            cls._row_cls = make_row_class(cls, list(cls._fields))
        out: type[Any] = cls.__dict__["_row_cls"]
        return out

    def __repr__(self) -> str:
        exprs = self.__dict__.get("_exprs")
        if exprs is None:  # a result row (tuple-backed) has its own repr
            return object.__repr__(self)
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in exprs.items())})"


__all__ = ["Field", "Selection"]
