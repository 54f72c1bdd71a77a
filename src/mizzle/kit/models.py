"""`mizzle models`: the source of a module of pydantic validation models (select, insert and update per table)
whose fields pyright and mypy see, written from the same rules as `mizzle.pydantic`'s runtime models
(`field_specs`): field types, required/optional, literal defaults, length constraints, generated columns left out.
"""

from __future__ import annotations

import builtins
import keyword
import sys
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, Union

from typing_extensions import TypeAliasType

from mizzle.errors import ConfigError, SchemaError
from mizzle.schema.column import MISSING
from mizzle.schema.table import Table

KINDS: tuple[Literal["select", "insert", "update"], ...] = ("select", "insert", "update")
_BASES = {"select": "SelectModel", "insert": "InsertModel", "update": "UpdateModel"}
_METHODS = frozenset({"from_row", "to_insert", "to_update"})
_LITERALS = (str, int, float, bool, type(None))


class _Imports:
    """`from MODULE import NAME` lines the rendered source needs (sorted when written)."""

    def __init__(self, module_of: Callable[[str], str]) -> None:
        self.names: dict[str, set[str]] = {}
        self.module_of = module_of
        self.first_party: set[str] = set()
        """Modules of the schema (the tables' and the types they declare), sorted last."""

    def add(self, module: str, name: str) -> str:
        self.names.setdefault(module, set()).add(name)
        return name

    def lines(self) -> list[str]:
        first_party = self.first_party

        def block(mods: list[str]) -> list[str]:
            out: list[str] = []
            for m in sorted(mods):
                names = sorted(self.names[m])
                line = f"from {m} import {', '.join(names)}"
                if len(line) > 110:
                    inner = "".join(f"    {n},\n" for n in names)
                    line = f"from {m} import (\n{inner})"
                out.append(line)
            return out

        std = [m for m in self.names if m.split(".")[0] in sys.stdlib_module_names]
        third = [m for m in self.names if m not in std and m not in first_party and m.split(".")[0] != "mizzle"]
        ours = [m for m in self.names if m.split(".")[0] == "mizzle" and m not in first_party]
        local = [m for m in self.names if m in first_party]
        blocks = [block(b) for b in (std, third, ours, local) if b]
        out: list[str] = []
        for b in blocks:
            if out:
                out.append("")
            out.extend(b)
        return out


def _type_source(tp: Any, imports: _Imports, where: str) -> str:
    """Python source of the type `tp` (a runtime annotation), adding the imports it needs."""
    if tp is None or tp is type(None):
        return "None"
    if tp is Any:
        return imports.add("typing", "Any")
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        return f"{imports.add('typing', 'Literal')}[{', '.join(repr(a) for a in args)}]"
    if origin is Union or origin is types.UnionType:
        parts = [_type_source(a, imports, where) for a in args if a is not type(None)]
        if len(parts) != len(args):
            parts.append("None")
        return " | ".join(parts)
    if origin is typing.Annotated:
        raise SchemaError(f"{where}: `mizzle models` cannot write an Annotated column type ({tp!r}); "
                          "declare the column with a plain type and refine it in your own model")
    if origin is not None:
        head = _type_source(origin, imports, where)
        if not args:
            return head
        inner = ", ".join("..." if a is Ellipsis else _type_source(a, imports, where) for a in args)
        return f"{head}[{inner}]"
    if isinstance(tp, type | TypeAliasType):
        module = getattr(tp, "__module__", "")
        name = getattr(tp, "__qualname__", getattr(tp, "__name__", ""))
        if module == "builtins" and getattr(builtins, name, None) is tp:
            return name
        if "." in name or "<" in name or not module or module == "__main__":
            raise SchemaError(f"{where}: the column type {name} cannot be imported by the models module "
                              f"(it is not a module-level name); move it to a module")
        target = imports.module_of(module)
        if target != module or module in imports.first_party:  # declared beside the tables
            imports.first_party.add(target)
        return imports.add(target, name)
    raise SchemaError(f"{where}: `mizzle models` cannot write the column type {tp!r}")


def _literal(value: Any) -> bool:
    if isinstance(value, _LITERALS):
        return True
    if isinstance(value, list | tuple):
        seq: list[object] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        return all(_literal(v) for v in seq)
    if isinstance(value, dict):
        items: dict[object, object] = value  # pyright: ignore[reportUnknownVariableType]
        return all(isinstance(k, str) and _literal(v) for k, v in items.items())
    return False


def _field_source(table: type[Table], spec: Any, kind: str, imports: _Imports) -> str:
    where = f"{table.__name__}.{spec.key}"
    base = _type_source(spec.base, imports, where)
    constraints = dict(spec.constraints)
    meta: list[str] = []
    if constraints:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(constraints.items()))
        meta.append(f"{imports.add('pydantic', 'Field')}({args})")
    tp = base
    default = ""
    if spec.required:
        if spec.nullable:
            tp = f"{base} | None"
    elif spec.default is not MISSING and _literal(spec.default):
        tp = f"{base} | None" if spec.nullable else base
        default = f" = {spec.default!r}"
    else:
        # omitted: None is read (the column's default or NULL is written); NOT NULL ones refuse an explicit null
        tp = f"{base} | None"
        default = " = None"
        if not spec.nullable:
            meta.append(imports.add("mizzle.pydantic", "NotNull"))
    if meta:
        tp = f"{imports.add('typing', 'Annotated')}[{tp}, {', '.join(meta)}]"
    return f"    {spec.key}: {tp}{default}"


def render_models(tables: Sequence[type[Table]], import_of: Callable[[str], str] = lambda m: m) -> str:
    """The models module's source for `tables` (sorted by class name): per table `<Name>Select`,
    `<Name>Insert` (`to_insert()` -> a row for `insert(T).values(...)`) and `<Name>Update` (`to_update()`
    -> `Assignments[T]` for `update(T).set(...)`). `import_of(module)` is the name the models import a schema module by (`import_name`)."""
    from pydantic import BaseModel

    from mizzle.pydantic import field_specs

    reserved = _METHODS | {n for n in dir(BaseModel) if not n.startswith("__")} | {"values"}
    imports = _Imports(import_of)
    first_party = imports.first_party
    table_modules: set[str] = set()
    for t in tables:
        first_party.add(import_of(t.__module__))
    by_name: dict[str, type[Table]] = {}
    for t in tables:
        if t.__name__ in by_name and by_name[t.__name__] is not t:
            raise SchemaError(f"two tables are named {t.__name__} ({by_name[t.__name__].__module__} and "
                              f"{t.__module__}); rename one class: the models module imports both")
        by_name[t.__name__] = t
    classes: list[str] = []
    for name in sorted(by_name):
        table = by_name[name]
        module = import_of(table.__module__)
        table_modules.add(module)
        imports.add(module, name)
        sql_name = table.__table__.name
        for kind in KINDS:
            specs = field_specs(table, kind)
            for spec in specs:
                if spec.key in reserved or spec.key.startswith("model_") or keyword.iskeyword(spec.key):
                    raise SchemaError(
                        f"{name}.{spec.key}: a column key {spec.key!r} would shadow a method of the generated "
                        f"pydantic model; rename the attribute (keep the SQL name: text({spec.key!r}))"
                    )
            base = imports.add("mizzle.pydantic", _BASES[kind])
            doc = {
                "select": f"A row of {sql_name!r} as read from the database.",
                "insert": f"The values of a new {sql_name!r} row (required: NOT NULL columns without a default).",
                "update": f"A partial update of {sql_name!r}: every field optional, NOT NULL ones refuse null.",
            }[kind]
            lines = [f"class {name}{kind.capitalize()}({base}):", f'    """{doc}"""', ""]
            lines.extend(_field_source(table, s, kind, imports) for s in specs)
            lines.append("")
            if kind == "select":
                imports.add("typing", "Self")
                lines += [
                    "    @classmethod",
                    f"    def from_row(cls, row: {name}) -> Self:",
                    '        """The model of a row read with mizzle."""',
                    "        return cls.model_validate(row, from_attributes=True)",
                ]
            elif kind == "insert":
                imports.add("mizzle.pydantic", "insert_row")
                lines += [
                    f"    def to_insert(self) -> {name}:",
                    f'        """The given fields as a row for `insert({name}).values(...)`."""',
                    f"        return insert_row({name}, self)",
                ]
            else:
                imports.add("mizzle.pydantic", "update_set")
                imports.add("mizzle", "Assignments")
                lines += [
                    f"    def to_update(self) -> Assignments[{name}]:",
                    f'        """The given fields for `update({name}).set(...)`."""',
                    f"        return update_set({name}, self)",
                ]
            classes.append("\n".join(lines))
    modules = ", ".join(sorted(table_modules))
    head = (
        f'"""Pydantic models of the tables in {modules}: `<Table>Select`, `<Table>Insert`, `<Table>Update`.\n'
        "\n"
        "Generated by `mizzle models`; do not edit. Run `mizzle models` again after changing the schema\n"
        "(`mizzle models --check` exits 1 when this file is stale, for CI).\n"
        '"""\n'
        "\n"
        "from __future__ import annotations\n"
        "\n"
    )
    return head + "\n".join(imports.lines()) + "\n\n\n" + "\n\n\n".join(classes) + "\n"


def import_name(module: str, root: Path) -> str:
    """The name the generated models import the schema module `module` by: its own name, or for a schema
    file the kit imported by path, the file's dotted path relative to the config's folder (or its `src/`)."""
    if not module.startswith("_mizzle_schema_"):
        return module
    file = getattr(sys.modules.get(module), "__file__", None)
    if file is None:
        return module
    path = Path(file).resolve().with_suffix("")
    for base in (root / "src", root):
        try:
            rel = path.relative_to(base.resolve())
        except ValueError:
            continue
        if all(p.isidentifier() for p in rel.parts):
            return ".".join(rel.parts)
    raise ConfigError(
        f"the schema file {file} is outside the config's folder {root}: the models module could not import it; "
        "make the schema a module of your package (`schema = \"app.schema\"`)"
    )


__all__ = ["KINDS", "import_name", "render_models"]
