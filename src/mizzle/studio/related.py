"""A row and its related rows: foreign keys both ways and the relations declared with `relations(...)`."""

from __future__ import annotations

from typing import Any

from mizzle.errors import MizzleError
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.sql.operators import and_, eq, in_array
from mizzle.studio.app import ApiError, Studio
from mizzle.studio.edit import key_condition
from mizzle.studio.grid import decode_rows, encode_rows, select_rows

SAMPLE = 10


def _link(target: type[Table], pairs: list[tuple[Column[Any], Any]]) -> list[dict[str, Any]]:
    """The grid filters that show the related rows (`eq` per target column)."""
    from mizzle.studio.values import kind_of, to_json

    return [{"column": c.key, "op": "eq", "value": to_json(kind_of(c), v)} for c, v in pairs]


def related_rows(studio: Studio, table: type[Table], key: Any) -> dict[str, Any]:
    """The row with primary key `key`, plus groups of related rows (each with a count and the filter to open it)."""
    cond = key_condition(table, key)
    db = studio.db
    with studio.lock:
        found_rows = decode_rows(table, select_rows(studio, table).where(cond).limit(1).all())
        if not found_rows:
            raise ApiError(404, f"no row of {table.__table__.name} has key {key!r}")
        row = found = found_rows[0]
        values: dict[str, Any] = dict(zip(table.__table__.columns, found, strict=True))
        groups: list[dict[str, Any]] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()

        def add(name: str, source: str, kind: str, target: type[Table], pairs: list[tuple[Column[Any], Any]]) -> None:
            sig = (target.__table__.name, tuple(sorted(f"{c.key}={v!r}" for c, v in pairs)))
            if sig in seen:
                for g in groups:
                    if g["sig"] == sig:
                        g["names"].append(name)
                        if source not in g["source"]:
                            g["source"] += f" + {source}"
                return
            seen.add(sig)
            if any(v is None for _, v in pairs):
                groups.append({"names": [name], "source": source, "kind": kind, "table": target.__table__.name,
                               "sig": sig, "count": 0, "rows": [], "columns": [], "filters": []})
                return
            where = and_(*[eq(c, v) for c, v in pairs])
            n = db.count(target, where)
            sample = decode_rows(target, select_rows(studio, target).where(where).limit(SAMPLE).all())
            groups.append({
                "names": [name], "source": source, "kind": kind, "table": target.__table__.name, "sig": sig,
                "count": n, "rows": encode_rows(target, sample),
                "columns": [c.key for c in target.__table__.columns.values()],
                "filters": _link(target, pairs),
            })

        for fk in table.__table__.foreign_keys:
            pairs = [(f, values[c.key]) for c, f in zip(fk.columns, fk.foreign_columns, strict=True)]
            add(fk.name, "foreign key", "one", fk.foreign_table, pairs)
        for child in studio.tables:
            for fk in child.__table__.foreign_keys:
                if fk.foreign_table.__table__.name != table.__table__.name:
                    continue
                pairs = [(c, values[f.key]) for c, f in zip(fk.columns, fk.foreign_columns, strict=True)]
                add(fk.name, "foreign key", "many", child, pairs)
        for name, link in _declared_links(table).items():
            if link.through is not None:
                junction = link.through
                sub_where = and_(*[eq(j, values[s.key]) for j, s in link.source_pairs])
                if len(link.target_pairs) != 1:
                    continue
                jcol, tcol = link.target_pairs[0]
                where = in_array(tcol, db.select(jcol).from_(junction).where(sub_where))
                n = db.count(link.target, where)
                sample = decode_rows(link.target, select_rows(studio, link.target).where(where).limit(SAMPLE).all())
                groups.append({
                    "names": [name], "source": "relations()", "kind": "many", "table": link.target.__table__.name,
                    "sig": None, "count": n, "rows": encode_rows(link.target, sample),
                    "columns": [c.key for c in link.target.__table__.columns.values()],
                    "filters": [], "through": junction.__table__.name,
                })
                continue
            pairs = [(t, values[s.key]) for s, t in link.pairs]
            add(name, "relations()", link.kind, link.target, pairs)
    for g in groups:
        g.pop("sig", None)
    return {"table": table.__table__.name, "row": encode_rows(table, [row])[0], "related": groups}


def _declared_links(table: type[Table]) -> dict[str, Any]:
    try:
        from mizzle.relations.resolve import links
    except ImportError:  # relations not available in this build
        return {}
    try:
        return dict(links(table))
    except MizzleError:
        return {}


def relation_summary(table: type[Table]) -> list[dict[str, Any]]:
    """The relations declared for `table`: name, kind and target (for the schema view)."""
    out: list[dict[str, Any]] = []
    for name, link in _declared_links(table).items():
        out.append({"name": name, "kind": link.kind, "table": link.target.__table__.name,
                    "through": link.through.__table__.name if link.through is not None else None})
    return out


__all__ = ["related_rows", "relation_summary"]
