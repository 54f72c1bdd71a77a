"""Resolving declared relations into links (which columns join the two tables).

Rules, for a relation declared on table S to table T:

- `one(T, fields=[S.x], references=[T.y])` joins `T.y = S.x`.
- `one(T)` without fields: a `one(S, fields=...)` on T pointing back (same `relation_name`),
  else the single foreign key between S and T (either direction).
- `many(T)`: a `one(S, fields=...)` on T pointing back (same `relation_name` when given), else
  the single foreign key of T to S. Seeds declare many sides only, so this inference matters.
- `many(T, through=J)`: J's link to S and J's link to T, each from a `one` declared on J or
  J's single foreign key to that table; `through=(J.a, J.b)` names the two columns.

When the rule finds nothing, or more than one candidate, a SchemaError names the relation and
the declaration that would settle it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mizzle.errors import SchemaError
from mizzle.relations.define import Many, One, Relation, declared, generation
from mizzle.schema.column import Column
from mizzle.schema.table import Table

Pair = tuple[Column[Any], Column[Any]]


@dataclass(frozen=True, slots=True)
class Link:
    """A resolved relation: rows of `target` whose `pairs[i][1]` equal the source's `pairs[i][0]`.

    For many-to-many, `through` is the junction table: `source_pairs` are (junction column,
    source column) and `target_pairs` (junction column, target column).
    """

    name: str
    kind: str  # "one" | "many"
    source: type[Table]
    target: type[Table]
    pairs: tuple[Pair, ...] = ()
    through: type[Table] | None = None
    source_pairs: tuple[Pair, ...] = ()
    target_pairs: tuple[Pair, ...] = ()
    optional: bool = True

    def source_columns(self) -> list[Column[Any]]:
        """Columns of the source table the correlation reads."""
        if self.through is not None:
            return [s for _, s in self.source_pairs]
        return [s for s, _ in self.pairs]


_cache: dict[tuple[type[Table], str], Link] = {}
_cache_gen = [-1]


def links(table: type[Table]) -> dict[str, Link]:
    """Every relation of `table`, resolved (raises on the first one that cannot be)."""
    return {name: link(table, name) for name in declared(table)}


def link(table: type[Table], name: str) -> Link:
    """The relation `name` of `table` (cached), or a SchemaError listing the relations it has."""
    if _cache_gen[0] != generation():
        _cache.clear()
        _cache_gen[0] = generation()
    out = _cache.get((table, name))
    if out is not None:
        return out
    defs = declared(table)
    rel = defs.get(name)
    if rel is None:
        have = ", ".join(defs) or "none are declared"
        raise SchemaError(
            f"table {table.__table__.name} has no relation {name!r} (relations: {have}); "
            f"declare it with relations({table.__name__}, lambda r: {{{name!r}: r.many(...) or r.one(...)}})"
        )
    out = _resolve(table, name, rel)
    _cache[(table, name)] = out
    return out


def _tname(t: type[Table]) -> str:
    return t.__table__.name


def _own(table: type[Table], col: Column[Any], what: str) -> Column[Any]:
    meta = table.__table__
    mine = meta.columns.get(col.key)
    if mine is None or (col.table is not None and col.table is not table and mine is not col
                        and not issubclass(table, col.table)):
        raise SchemaError(f"{what}: column {col.qualified_name} is not a column of {meta.name}")
    return mine


def _fk_pairs(holder: type[Table], to: type[Table]) -> list[tuple[Pair, ...]]:
    """Foreign keys of `holder` referencing `to`, as ((holder col, to col), ...)."""
    out: list[tuple[Pair, ...]] = []
    for fk in holder.__table__.foreign_keys:
        if fk.foreign_table is to:
            out.append(tuple(zip(fk.columns, fk.foreign_columns, strict=True)))
    return out


def _back_ones(target: type[Table], source: type[Table], relation_name: str | None,
               exclude: Relation | None = None) -> list[tuple[str, One[Any]]]:
    """`one(source, fields=...)` relations declared on `target`, matching `relation_name` when given."""
    found: list[tuple[str, One[Any]]] = []
    for name, rel in declared(target).items():
        if rel is exclude or not isinstance(rel, One) or rel.target is not source or not rel.fields:
            continue
        if relation_name is not None and rel.relation_name != relation_name:
            continue
        found.append((name, rel))
    return found


def _resolve(table: type[Table], name: str, rel: Relation) -> Link:
    out = _resolve_link(table, name, rel)
    if isinstance(rel, One) and rel.declared_optional is False and out.optional and rel.optional is None:
        nulls = [s.qualified_name for s, _ in out.pairs if not s.not_null_]
        why = (f"{', '.join(nulls)} may be NULL" if nulls
               else f"the key is on {out.target.__name__}, so a {table.__name__} row may have none")
        raise SchemaError(
            f"relation {table.__name__}.{name} is declared One[{out.target.__name__}] but {why}: "
            f"declare One[{out.target.__name__} | None] (or pass optional=False if the data guarantees a row)"
        )
    return out


def _resolve_link(table: type[Table], name: str, rel: Relation) -> Link:
    where = f"relation {table.__name__}.{name}"
    target = rel.target
    if isinstance(rel, One):
        if rel.fields:
            pairs = tuple(
                (_own(table, f, where), _own(target, r, where)) for f, r in zip(rel.fields, rel.references, strict=True)
            )
            optional = rel.optional if rel.optional is not None else not all(f.not_null_ for f, _ in pairs)
            return Link(name, "one", table, target, pairs, optional=optional)
        backs = _back_ones(target, table, rel.relation_name, exclude=rel)
        if len(backs) == 1:
            back = backs[0][1]
            pairs = tuple((_own(table, r, where), _own(target, f, where))
                          for f, r in zip(back.fields, back.references, strict=True))
            return Link(name, "one", table, target, pairs, optional=True)
        if len(backs) > 1:
            raise _ambiguous(where, target, table, [n for n, _ in backs])
        fwd = _fk_pairs(table, target)
        rev = [tuple((t, s) for s, t in p) for p in _fk_pairs(target, table)] if target is not table else []
        cands = fwd + rev
        if len(cands) == 1:
            pairs = cands[0]
            optional = not all(s.not_null_ for s, _ in pairs) if fwd else True
            return Link(name, "one", table, target, pairs, optional=optional)
        raise _cannot_infer(where, "one", table, target, len(cands), rel.relation_name)
    assert isinstance(rel, Many)
    if rel.through is not None:
        return _resolve_through(table, name, rel, where)
    if rel.fields:
        pairs = tuple(
            (_own(table, f, where), _own(target, r, where)) for f, r in zip(rel.fields, rel.references, strict=True)
        )
        return Link(name, "many", table, target, pairs)
    backs = _back_ones(target, table, rel.relation_name)
    if len(backs) == 1:
        back = backs[0][1]
        pairs = tuple((_own(table, r, where), _own(target, f, where))
                      for f, r in zip(back.fields, back.references, strict=True))
        return Link(name, "many", table, target, pairs)
    if len(backs) > 1:
        raise _ambiguous(where, target, table, [n for n, _ in backs])
    fks = _fk_pairs(target, table)
    if len(fks) == 1 and rel.relation_name is None:
        return Link(name, "many", table, target, tuple((s, t) for t, s in fks[0]))
    raise _cannot_infer(where, "many", table, target, len(fks), rel.relation_name)


def _resolve_through(table: type[Table], name: str, rel: Many[Any], where: str) -> Link:
    through = rel.through
    target = rel.target
    if isinstance(through, tuple):
        a, b = through
        junction = a.table
        if junction is None or b.table is not junction:
            raise SchemaError(f"{where}: through=(a, b) must name two columns of the same junction table")
        src = _column_link(junction, a, table, where)
        dst = _column_link(junction, b, target, where)
    else:
        junction = through
        assert junction is not None
        if table is target:
            raise SchemaError(
                f"{where}: {junction.__name__} links {_tname(table)} to itself; say which column points at "
                f"which side: through=({junction.__name__}.<source column>, {junction.__name__}.<target column>)"
            )
        src = _junction_link(junction, table, where)
        dst = _junction_link(junction, target, where)
    return Link(name, "many", table, target, (), through=junction, source_pairs=src, target_pairs=dst)


def _column_link(junction: type[Table], col: Column[Any], to: type[Table], where: str) -> tuple[Pair, ...]:
    for pairs in _fk_pairs(junction, to):
        if len(pairs) == 1 and pairs[0][0] is col:
            return pairs
    for _, rel in _back_ones(junction, to, None):
        if len(rel.fields) == 1 and rel.fields[0] is col:
            return ((col, rel.references[0]),)
    raise SchemaError(
        f"{where}: junction column {col.qualified_name} has no foreign key to {_tname(to)} "
        f"(add .references(lambda: {to.__name__}.<column>))"
    )


def _junction_link(junction: type[Table], to: type[Table], where: str) -> tuple[Pair, ...]:
    backs = _back_ones(junction, to, None)
    if len(backs) == 1:
        rel = backs[0][1]
        return tuple(zip(rel.fields, rel.references, strict=True))
    fks = _fk_pairs(junction, to)
    if len(fks) == 1:
        return fks[0]
    raise SchemaError(
        f"{where}: junction {_tname(junction)} has {len(fks) or 'no'} foreign keys to {_tname(to)}; "
        f"name the columns: through=({junction.__name__}.<column to source>, {junction.__name__}.<column to target>)"
    )


def _ambiguous(where: str, target: type[Table], source: type[Table], names: list[str]) -> SchemaError:
    return SchemaError(
        f"{where}: {target.__name__} declares {len(names)} relations back to {source.__name__} "
        f"({', '.join(names)}); give both sides the same relation_name=..."
    )


def _cannot_infer(where: str, kind: str, table: type[Table], target: type[Table], n_fks: int,
                  relation_name: str | None) -> SchemaError:
    tn, sn = target.__name__, table.__name__
    named = f", relation_name={relation_name!r}" if relation_name else ""
    if kind == "many":
        missing = (f"relations({tn}, lambda r: {{'<name>': r.one({sn}, fields=[{tn}.<fk column>], "
                   f"references=[{sn}.<key>]{named})}})")
        why = (f"{_tname(target)} has {n_fks} foreign keys to {_tname(table)}" if n_fks > 1
               else f"{_tname(target)} has no foreign key to {_tname(table)}" if n_fks == 0
               else f"{tn} declares no one({sn}{named})")
    else:
        missing = f"r.one({tn}, fields=[{sn}.<fk column>], references=[{tn}.<key>]{named})"
        why = (f"there are {n_fks} foreign keys between {_tname(table)} and {_tname(target)}" if n_fks > 1
               else f"there is no foreign key between {_tname(table)} and {_tname(target)}")
    return SchemaError(f"{where}: not enough information to infer the relation ({why}); declare {missing}")
