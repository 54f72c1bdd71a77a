"""Relation declarations on table classes: `posts: Many[Posts] = many()`, `author: One[Users] = one()`.

These are descriptors: on the class they are the declarations (read by `mizzle.relations`); on a row
loaded with the relation they give its value (`list[Posts]`, `Users`); on a row loaded without it
they raise `RelationNotLoadedError` naming the `with_` entry that loads it. They live next to
`Table` because the table base lists them as field specifiers (so they stay out of `__init__`).
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Any,
    ForwardRef,
    Generic,
    Literal,
    TypeAlias,
    TypeVar,
    Union,
    get_args,
    get_origin,
    overload,
)

from mizzle.errors import RelationNotLoadedError, SchemaError
from mizzle.schema.column import Column

if TYPE_CHECKING:
    from mizzle.schema.table import Table

T = TypeVar("T", bound="Table")
OwnerT = TypeVar("OwnerT", bound="Table")  # the table a relation is declared on
X = TypeVar("X", bound="Table")  # the table it leads to
V = TypeVar("V", covariant=True)  # what reading a one() relation gives: a table row, or `Row | None`

_class_declared: dict[type[Any], dict[str, Any]] = {}
_generation = [0]

ThroughSpec: TypeAlias = "type[Table] | tuple[Column[Any], Column[Any]]"
"""A junction table, or the pair (junction column pointing at the source, junction column pointing at the target)."""


TargetSpec: TypeAlias = "type[Table] | Callable[[], type[Table]] | None"
"""A relation's target: a table class, a function returning one, or None (read from the annotation)."""


Columns: TypeAlias = "Sequence[Column[Any]] | Mapping[Column[Any], bool]"
"""`columns=` of a relational query: the columns to load (`[Users.id, Users.name]`) or to leave out
(`{Users.password: False}`)."""


class Load(Generic[OwnerT]):
    """A relation of table `OwnerT` to load in a relational query, with its options: what
    `Users.posts.load(...)` gives, and what `with_=[...]` takes (`Users.posts` alone is one too).

    `OwnerT` is the table the relation is declared on, so the checkers refuse a relation of another
    table in `with_=` (`db.query(Users).find_many(with_=[Posts.comments])` is a type error).
    """

    __slots__ = ("declaration", "options", "owner")

    def __init__(self, owner: type[OwnerT], declaration: One[Any] | Many[Any], options: Mapping[str, Any]) -> None:
        self.owner = owner
        self.declaration = declaration
        self.options: dict[str, Any] = dict(options)

    @property
    def name(self) -> str:
        """The relation's attribute name (`"posts"` for `Users.posts`)."""
        return self.declaration._key

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"{self.owner.__name__}.{self.name}.load({opts})"


class RelationRef(Load[OwnerT], Generic[OwnerT, X]):
    """A relation read on its table class: `Users.posts` is `RelationRef[Users, Posts]`.

    Put it in `with_=[...]` to load the relation, or call `.load(...)` to give options for its rows
    (`columns`, `with_` for the next level, `where`, `order_by`, `limit`, `offset`, `extras`),
    typed against the related table `X`.
    """

    __slots__ = ()

    def __init__(self, owner: type[OwnerT], declaration: One[Any] | Many[Any]) -> None:
        super().__init__(owner, declaration, {})

    @property
    def target(self) -> type[X]:
        """The related table class."""
        out: type[X] = self.declaration.target  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
        return out

    def load(
        self,
        *,
        columns: Columns | None = None,
        with_: Sequence[Load[X]] | None = None,
        where: Any = None,
        order_by: Any = None,
        limit: Any = None,
        offset: Any = None,
        extras: Mapping[str, Any] | Any = None,
    ) -> Load[OwnerT]:
        """This relation with options for its rows: `Users.posts.load(order_by=[desc(Posts.id)], limit=3,
        with_=[Posts.comments])`."""
        given = {"columns": columns, "with_": with_, "where": where, "order_by": order_by, "limit": limit,
                 "offset": offset, "extras": extras}
        return Load(self.owner, self.declaration, {k: v for k, v in given.items() if v is not None})

    def __repr__(self) -> str:
        return f"{self.owner.__name__}.{self.name}"


class _Declared:
    """What `One` and `Many` share: the target, resolved lazily, and reading a loaded row's value."""

    __slots__ = ("_frame", "_key", "_owner", "_refs", "_target", "declared_optional")

    kind = ""

    def _init_target(self, target: Any) -> None:
        self._target: Any = target
        self._owner: type[Table] | None = None
        self._key = ""
        self._refs: dict[type[Any], RelationRef[Any, Any]] = {}
        self.declared_optional: bool | None = None  # from a class annotation: One[T | None] -> True
        if isinstance(target, type):
            _check_target(target, self.kind)
        elif target is not None and not callable(target):
            raise SchemaError(f"{self.kind}() takes a table class (or a function returning one), got {target!r}")

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._owner = owner
        self._key = name
        # where the class statement ran (a module, exec'd code, or a function): names in the
        # annotation are looked up there, when the relation is first used
        self._frame: Any = sys._getframe(1) if self._target is None else None
        _class_declared.setdefault(owner, {})[name] = self  # pyright: ignore[reportArgumentType]
        _generation[0] += 1

    @property
    def target(self) -> type[Table]:
        """The related table class."""
        t = self._target
        if isinstance(t, type):
            out: type[Table] = t
            return out
        if t is not None:
            out = t()
            _check_target(out, self.kind)
            self._optional_from_text()
        else:
            out = self._from_annotation()
        self._target = out
        return out

    def _eval(self, text: str, where: str) -> Any:
        """Evaluate annotation text where the class statement ran (its module, or its function)."""
        owner = self._owner
        assert owner is not None
        module = sys.modules.get(owner.__module__)
        env = dict(vars(module)) if module is not None else {}
        frame = self._frame
        if frame is not None:
            env.update(frame.f_globals)
            if frame.f_locals is not frame.f_globals:
                env.update(frame.f_locals)
        env.setdefault(owner.__name__, owner)
        env.setdefault("Many", Many)
        env.setdefault("One", One)
        try:
            return eval(text, env)
        except NameError as exc:
            raise SchemaError(
                f"{where}: cannot read the target from the annotation {text!r} ({exc}): "
                f"pass it, e.g. {self.kind}(lambda: Target)"
            ) from None

    def _optional_from_text(self) -> None:
        """With an explicit target, read only whether the annotation admits None (`One[T | None]`)."""
        ann: Any = inspect.get_annotations(self._owner).get(self._key) if self._owner is not None else None
        if isinstance(ann, str):
            self.declared_optional = re.search(r"\bNone\b|\bOptional\[", ann) is not None
        elif ann is not None:
            self.declared_optional = type(None) in get_args(get_args(ann)[0] if get_args(ann) else ann)

    def _from_annotation(self) -> type[Table]:
        owner = self._owner
        assert owner is not None
        where = f"relation {owner.__name__}.{self._key}"
        ann: Any = inspect.get_annotations(owner).get(self._key)
        if ann is None:
            raise SchemaError(
                f"{where}: give it an annotation ({self._key}: "
                f"{'Many[Target]' if self.kind == 'many' else 'One[Target]'} = {self.kind}()) or a target ({self.kind}(Target))"
            )
        if isinstance(ann, str):
            ann = self._eval(ann, where)
        want = Many if self.kind == "many" else One
        args = get_args(ann)
        if get_origin(ann) is not want or len(args) != 1:
            raise SchemaError(f"{where}: annotate it {want.__name__}[Target], got {ann!r}")
        inner = args[0]
        if isinstance(inner, ForwardRef):  # Many["Posts"] without `from __future__ import annotations`
            inner = self._eval(inner.__forward_arg__, where)
        members = get_args(inner) if get_origin(inner) in (Union, types.UnionType) else (inner,)
        members = tuple(self._eval(m.__forward_arg__, where) if isinstance(m, ForwardRef) else m for m in members)
        tables = [m for m in members if m is not type(None)]
        if len(tables) != 1 or not _is_table(tables[0]):
            raise SchemaError(f"{where}: the annotation {ann!r} must name one table class")
        if self.kind == "many" and len(members) != 1:
            raise SchemaError(f"{where}: a many() relation is a list, never None: annotate it Many[{tables[0].__name__}]")
        self.declared_optional = len(members) > 1
        found: type[Table] = tables[0]
        self._frame = None
        return found

    def __get__(self, obj: object | None, owner: Any) -> Any:
        if obj is None:
            if owner is None or self._owner is None:
                return self
            # `Users.posts` on the class: a RelationRef bound to the class it is read on (an alias or
            # subclass gets its own), for with_=[...]; the declaration itself is `.declaration`
            ref: RelationRef[Any, Any] | None = self._refs.get(owner)
            if ref is None:
                me: Any = self
                ref = self._refs[owner] = RelationRef(owner, me)
            return ref
        loaded = getattr(obj, "__dict__", {})
        if self._key in loaded:
            return loaded[self._key]
        name = type(obj).__name__
        raise RelationNotLoadedError(
            f"{name}.{self._key} was not loaded: query with with_=[{name}.{self._key}] "
            f"(db.query({name}).find_many(with_=[...])) to read it"
        )


class One(_Declared, Generic[V]):
    """A relation to at most one row of `target`; on a table class, `owner: One[Users] = one()`
    (reads as `Users`) or `One[Users | None]` (reads as `Users | None`: required when the foreign key
    column is nullable or the key is on the other table).

    With `fields`/`references` this side holds the foreign key (`fields` are columns of the
    declaring table, `references` the matching columns of `target`). Without them, the link is
    inferred: from a matching `one(...)` declared on `target` with fields, else from the single
    foreign key between the two tables.
    """

    __slots__ = ("fields", "optional", "references", "relation_name")

    kind = "one"

    def __init__(
        self,
        target: TargetSpec = None,
        *,
        fields: Sequence[Column[Any]] = (),
        references: Sequence[Column[Any]] = (),
        relation_name: str | None = None,
        optional: bool | None = None,
        init: Literal[False] = False,
    ) -> None:
        self._init_target(target)
        if len(fields) != len(references):
            raise SchemaError(
                f"one({_target_name(target)}): fields has {len(fields)} columns but references has {len(references)}"
            )
        self.fields = tuple(fields)
        self.references = tuple(references)
        self.relation_name = relation_name
        self.optional = optional

    @overload
    def __get__(self: One[X | None], obj: None, owner: type[OwnerT]) -> RelationRef[OwnerT, X]: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> V: ...
    def __get__(self, obj: object | None, owner: Any) -> Any:
        return super().__get__(obj, owner)

    def __repr__(self) -> str:
        return f"one({_target_name(self._target)}{_name_repr(self.relation_name)})"


class Many(_Declared, Generic[T]):
    """A relation to any number of rows of `target`; on a table class, `posts: Many[Posts] = many()`
    (reads as `list[Posts]`).

    The link is inferred from a `one(...)` on `target` pointing back (matching `relation_name`
    when given), else from the single foreign key of `target` to this table. `fields` (columns of
    the declaring table) and `references` (columns of `target`) give it explicitly; `through`
    makes it many-to-many over a junction table.
    """

    __slots__ = ("fields", "references", "relation_name", "through")

    kind = "many"

    def __init__(
        self,
        target: TargetSpec = None,
        *,
        relation_name: str | None = None,
        fields: Sequence[Column[Any]] = (),
        references: Sequence[Column[Any]] = (),
        through: ThroughSpec | None = None,
        init: Literal[False] = False,
    ) -> None:
        self._init_target(target)
        if len(fields) != len(references):
            raise SchemaError(
                f"many({_target_name(target)}): fields has {len(fields)} columns but references has {len(references)}"
            )
        if through is not None and fields:
            raise SchemaError(f"many({_target_name(target)}): give either through= or fields/references, not both")
        if through is not None and not (
            _is_table(through)
            or (isinstance(through, tuple) and len(through) == 2 and all(isinstance(c, Column) for c in through))
        ):
            raise SchemaError(
                f"many({_target_name(target)}): through= takes a junction table or a pair of its columns "
                f"(pointing at the source, pointing at the target), got {through!r}"
            )
        self.relation_name = relation_name
        self.fields = tuple(fields)
        self.references = tuple(references)
        self.through = through

    @overload
    def __get__(self, obj: None, owner: type[OwnerT]) -> RelationRef[OwnerT, T]: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> list[T]: ...
    def __get__(self, obj: object | None, owner: Any) -> Any:
        return super().__get__(obj, owner)

    def __repr__(self) -> str:
        return f"many({_target_name(self._target)}{_name_repr(self.relation_name)})"


Relation: TypeAlias = "One[Any] | Many[Any]"


def _name_repr(name: str | None) -> str:
    return f", relation_name={name!r}" if name else ""


def _is_table(obj: Any) -> bool:
    from mizzle.schema.table import Table

    return isinstance(obj, type) and issubclass(obj, Table) and hasattr(obj, "__table__")


def _target_name(target: Any) -> str:
    return target.__name__ if isinstance(target, type) else ""


def _check_target(target: Any, what: str) -> None:
    if not _is_table(target):
        raise SchemaError(f"{what}() takes a table class, got {target!r}")


@overload
def one(
    target: type[T] | Callable[[], type[T]],
    *,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    relation_name: str | None = None,
    optional: bool | None = None,
    init: Literal[False] = False,
) -> One[T]: ...
@overload
def one(
    *,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    relation_name: str | None = None,
    optional: bool | None = None,
    init: Literal[False] = False,
) -> Any: ...
def one(
    target: Any = None,
    *,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    relation_name: str | None = None,
    optional: bool | None = None,
    init: Literal[False] = False,
) -> Any:
    """A relation to at most one row of `target` (see `One`); in a table class body the target may
    come from the annotation: `author: One[Users] = one(fields=[Posts.author_id], references=[Users.id])`."""
    out: One[Any] = One(target, fields=fields, references=references, relation_name=relation_name, optional=optional)
    return out


@overload
def many(
    target: type[T] | Callable[[], type[T]],
    *,
    relation_name: str | None = None,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    through: ThroughSpec | None = None,
    init: Literal[False] = False,
) -> Many[T]: ...
@overload
def many(
    *,
    relation_name: str | None = None,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    through: ThroughSpec | None = None,
    init: Literal[False] = False,
) -> Any: ...
def many(
    target: Any = None,
    *,
    relation_name: str | None = None,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    through: ThroughSpec | None = None,
    init: Literal[False] = False,
) -> Any:
    """A relation to any number of rows of `target` (see `Many`); in a table class body the target may
    come from the annotation: `posts: Many[Posts] = many()`."""
    out: Many[Any] = Many(target, relation_name=relation_name, fields=fields, references=references, through=through)
    return out


def class_relations(table: type[Any]) -> dict[str, Relation]:
    """Relations declared on `table`'s class body (and its bases), by name."""
    out: dict[str, Relation] = {}
    for klass in reversed(table.__mro__):
        found = _class_declared.get(klass)
        if found:
            out.update(found)
    return out


def generation() -> int:
    """A counter bumped whenever relations are declared (invalidates resolved caches)."""
    return _generation[0]


__all__ = ["Columns", "Load", "Many", "One", "Relation", "RelationRef", "class_relations", "generation", "many", "one"]
