"""A small tokenizer for the SQLite DDL stored in `sqlite_master.sql` (what PRAGMAs do not tell)."""

from __future__ import annotations

from dataclasses import dataclass

_QUOTES = {"'": "'", '"': '"', "`": "`", "[": "]"}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: kind is 'word', 'ident' (quoted identifier), 'string', 'number', 'punct' or 'group'."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """The text upper-cased (for keyword tests)."""
        return self.text.upper()

    @property
    def value(self) -> str:
        """An identifier's name without quotes (other tokens: the text)."""
        if self.kind == "ident":
            close = _QUOTES[self.text[0]]
            return self.text[1:-1].replace(close * 2, close) if close != "]" else self.text[1:-1]
        return self.text


def _skip_comment(sql: str, i: int) -> int:
    if sql.startswith("--", i):
        j = sql.find("\n", i)
        return len(sql) if j < 0 else j + 1
    if sql.startswith("/*", i):
        j = sql.find("*/", i + 2)
        return len(sql) if j < 0 else j + 2
    return i


def _quoted_end(sql: str, i: int) -> int:
    close = _QUOTES[sql[i]]
    j = i + 1
    while j < len(sql):
        if sql[j] == close:
            if close != "]" and j + 1 < len(sql) and sql[j + 1] == close:
                j += 2
                continue
            return j + 1
        j += 1
    return len(sql)


def tokens(sql: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Top-level tokens of `sql[start:end]`; a parenthesised run is one 'group' token."""
    stop = len(sql) if end is None else end
    out: list[Token] = []
    i = start
    while i < stop:
        c = sql[i]
        if c.isspace():
            i += 1
            continue
        j = _skip_comment(sql, i)
        if j != i:
            i = j
            continue
        if c in _QUOTES:
            j = _quoted_end(sql, i)
            out.append(Token("string" if c == "'" else "ident", sql[i:j], i, j))
            i = j
        elif c == "(":
            j = group_end(sql, i)
            out.append(Token("group", sql[i:j], i, j))
            i = j
        elif c.isalnum() or c == "_" or c == "$":
            j = i
            while j < stop and (sql[j].isalnum() or sql[j] in "_$."):
                j += 1
            text = sql[i:j]
            kind = "number" if text[0].isdigit() else "word"
            out.append(Token(kind, text, i, j))
            i = j
        else:
            out.append(Token("punct", c, i, i + 1))
            i += 1
    return out


def group_end(sql: str, i: int) -> int:
    """The index just past the `)` matching the `(` at `i`."""
    depth = 0
    j = i
    while j < len(sql):
        c = sql[j]
        k = _skip_comment(sql, j)
        if k != j:
            j = k
            continue
        if c in _QUOTES:
            j = _quoted_end(sql, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(sql)


def split_group(sql: str, group: Token) -> list[str]:
    """The comma-separated parts inside a 'group' token, stripped."""
    parts: list[str] = []
    inner_start, inner_end = group.start + 1, group.end - 1
    last = inner_start
    for tok in tokens(sql, inner_start, inner_end):
        if tok.kind == "punct" and tok.text == ",":
            parts.append(sql[last:tok.start].strip())
            last = tok.end
    tail = sql[last:inner_end].strip()
    if tail:
        parts.append(tail)
    return parts


def inner(group: Token) -> str:
    """The text inside a group's parentheses."""
    return group.text[1:-1]


@dataclass(slots=True)
class ColumnDDL:
    """What the CREATE TABLE text says about one column beyond PRAGMA table_xinfo."""

    name: str
    generated_as: str | None = None
    generated_type: str = "virtual"
    autoincrement: bool = False
    default_text: str | None = None


@dataclass(slots=True)
class TableDDL:
    """Parsed CREATE TABLE: column extras, named checks, FK constraint names and table options."""

    columns: dict[str, ColumnDDL]
    checks: list[tuple[str | None, str]]
    fk_names: dict[tuple[str, ...], str]
    pk_name: str | None
    options: list[str]


def parse_create_table(sql: str) -> TableDDL:
    """Parse a stored `CREATE TABLE` statement (tolerant: unknown parts are ignored)."""
    toks = tokens(sql)
    body = next((t for t in toks if t.kind == "group"), None)
    result = TableDDL({}, [], {}, None, [])
    if body is None:
        return result
    result.options = [t.upper for t in toks if t.start >= body.end and t.kind == "word"]
    for part in split_group(sql, body):
        ptoks = tokens(part)
        if not ptoks:
            continue
        name: str | None = None
        head = ptoks[0].upper if ptoks[0].kind == "word" else ""
        rest = ptoks
        if head == "CONSTRAINT" and len(ptoks) > 2:
            name = ptoks[1].value
            rest = ptoks[2:]
            head = rest[0].upper if rest[0].kind == "word" else ""
        if head == "CHECK":
            grp = next((t for t in rest if t.kind == "group"), None)
            if grp is not None:
                result.checks.append((name, inner(grp).strip()))
            continue
        if head == "FOREIGN":
            grp = next((t for t in rest if t.kind == "group"), None)
            if grp is not None and name is not None:
                cols = tuple(tokens(c)[0].value for c in split_group(part, grp) if tokens(c))
                result.fk_names[cols] = name
            continue
        if head == "PRIMARY":
            result.pk_name = name
            continue
        if head == "UNIQUE":
            continue
        result.columns[ptoks[0].value] = _column(ptoks)
    return result


def _column(ptoks: list[Token]) -> ColumnDDL:
    col = ColumnDDL(ptoks[0].value)
    words = [t.upper if t.kind == "word" else "" for t in ptoks]
    for i, w in enumerate(words):
        if w == "AUTOINCREMENT":
            col.autoincrement = True
        elif w == "AS" and i + 1 < len(ptoks) and ptoks[i + 1].kind == "group":
            col.generated_as = ptoks[i + 1].text
            following = words[i + 2] if i + 2 < len(words) else ""
            col.generated_type = "stored" if following == "STORED" else "virtual"
        elif w == "DEFAULT" and i + 1 < len(ptoks):
            nxt = ptoks[i + 1]
            if nxt.kind == "punct" and nxt.text in "+-" and i + 2 < len(ptoks):
                col.default_text = nxt.text + ptoks[i + 2].text
            else:
                col.default_text = nxt.text
    return col


@dataclass(slots=True)
class IndexDDL:
    """Parsed CREATE INDEX: the column/expression texts and the WHERE text."""

    columns: list[str]
    where: str | None


def parse_create_index(sql: str) -> IndexDDL:
    """Parse a stored `CREATE [UNIQUE] INDEX name ON table (cols) [WHERE expr]`."""
    toks = tokens(sql)
    grp = next((t for t in toks if t.kind == "group"), None)
    if grp is None:
        return IndexDDL([], None)
    cols = split_group(sql, grp)
    where: str | None = None
    for t in toks:
        if t.start >= grp.end and t.kind == "word" and t.upper == "WHERE":
            where = sql[t.end:].strip().rstrip(";").strip()
            break
    return IndexDDL(cols, where)


__all__ = ["ColumnDDL", "IndexDDL", "TableDDL", "Token", "parse_create_index", "parse_create_table", "tokens"]
