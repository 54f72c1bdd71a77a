"""`Database`: a synchronous session over one driver connection."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from mizzle.drivers.base import cursor_batches
from mizzle.errors import ConfigError, MizzleError, QueryError
from mizzle.query.base import EMULATED, Compiled, Executable, Returning, RunResult, run_result
from mizzle.query.dml import Insert
from mizzle.query.prepared import Prepared
from mizzle.query.rows import values_of
from mizzle.query.select import Subquery
from mizzle.query.streaming import RowStream, batch_decoder
from mizzle.schema.column import MISSING
from mizzle.schema.table import Table
from mizzle.session.base import (
    Builders,
    Rollback,
    SQLLogger,
    debug_answers,
    describe,
    log_sql,
    one_of,
    sql_logger,
)
from mizzle.session.returning import RowsCursor, emulated_returning
from mizzle.sql.chunks import SQL, Placeholder
from mizzle.sql.functions import count
from mizzle.sql.render import render

if TYPE_CHECKING:
    from mizzle.relations.api import RelationalQueries

T = TypeVar("T")
R = TypeVar("R")

TxBehavior = Literal["deferred", "immediate", "exclusive"]


class Database(Builders):
    """A connection with the query builders: `db.select()...all()`, `db.insert(T)...run()`.

    Create one with `mizzle.connect(url)`. Nested `transaction()` blocks become savepoints.
    """

    def __init__(self, driver: Any, *, logger: SQLLogger | None = None, schema: Any = None) -> None:
        self.driver = driver
        self.dialect = driver.dialect
        self.logger = logger
        self._state: dict[str, Any] = {"depth": 0, "savepoint": 0}
        self._ctes: tuple[Subquery, ...] = ()
        self._schema = schema
        self._query: Any = None
        # the driver's cursor yields rows as cheaply as fetchall(): decode straight from it, so each driver
        # row is freed as soon as it is copied (half the peak memory of fetchall() + decode)
        self._iterates = getattr(driver, "iterates_rows", False) is True

    # ---- views ---------------------------------------------------------------

    def with_(self, *ctes: Subquery) -> Database:
        """Queries built from the result start with `WITH cte AS (...)`."""
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view._ctes = self._ctes + ctes
        return view

    @property
    def query(self) -> RelationalQueries:
        """The relational query API: `db.query.users.find_many(with_={...})`, `db.query(Users)`."""
        if self._query is None:
            from importlib import import_module

            api: Any = import_module("mizzle.relations.api")
            self._query = api.RelationalQueries(self, self._schema)
        out: RelationalQueries = self._query
        return out

    # ---- execution -------------------------------------------------------------

    def _cursor(self, c: Compiled, values: dict[str, Any] | None = None) -> Any:
        q = c.query
        if c.kind is EMULATED:
            return self._emulate(c, values or {})
        params = q.filler()(values or {}) if q.slots else q.params
        return self._send(q.sql, params)

    def _send(self, sql: str, params: Sequence[Any]) -> Any:
        if self.logger is not None or (debug_answers.get(10) is not False and _debug(10)):
            log_sql(self.logger, sql, params)
        try:
            return self.driver.execute(sql, params)
        except Exception as exc:
            raise self._mapped(exc, sql, params)  # noqa: B904 (the cause is set)

    def _mapped(self, exc: Exception, sql: str, params: Sequence[Any] | None) -> Exception:
        """The mizzle error for a driver error, caused by it (or the error itself when unmapped).

        Drivers such as libsql raise some errors only when the rows are fetched.
        """
        err: Exception | None = self.driver.map_error(exc, sql, params)
        if err is None:
            return exc
        err.__cause__ = exc
        return err

    def _emulate(self, c: Compiled, values: dict[str, Any]) -> RowsCursor:
        """Run a statement the database cannot run as one, in the open transaction or in a new one."""
        if self.in_transaction:
            return RowsCursor(self._steps(c, values))
        with self.transaction() as tx:
            return RowsCursor(tx._steps(c, values))

    def _steps(self, c: Compiled, values: dict[str, Any]) -> list[Any]:
        plan = emulated_returning(c, values)
        try:
            sql, params = next(plan)
            while True:
                cur = self._send(sql, params)
                sql, params = plan.send(list(cur.fetchall()) if cur.description else [])
        except StopIteration as done:
            rows: list[Any] = done.value
            return rows

    def all(self, q: Returning[T], values: dict[str, Any] | None = None) -> list[T]:
        """Run `q` and return every row."""
        if not isinstance(q, Executable):
            raise QueryError(f"db.all() runs a built query; for raw SQL use db.execute({q!r})")
        c = q.compile(self.dialect)
        cur = self._cursor(c, values)
        assert c.shape is not None
        decode = c.shape.decoders()[0]
        try:
            return _decoded(decode, cur, self._iterates and c.kind is not EMULATED)
        except Exception as exc:
            err = self._mapped(exc, c.query.sql, None)
            if err is exc:
                raise
            raise err  # noqa: B904 (the cause is set)

    def iter(self, q: Returning[T], values: dict[str, Any] | None = None, *, batch_size: int = 1000) -> RowStream[T]:
        """Run `q` and yield its rows, fetching `batch_size` at a time (memory bounded by the batch).

        SQLite steps the statement as rows are read; PostgreSQL uses a server-side cursor (its own
        transaction when none is open); MySQL/MariaDB an unbuffered cursor. The statement runs when the
        first row is asked for. Stopping early (`break`, `close()` on the iterator) closes the cursor.
        """
        if not isinstance(q, Executable):
            raise QueryError(f"db.iter() runs a built query; for raw SQL use db.execute({q!r})")
        if batch_size < 1:
            raise QueryError(f"batch_size must be at least 1, got {batch_size}")
        c = q.compile(self.dialect)
        assert c.shape is not None
        return RowStream(self._batches(c, values, batch_size), batch_decoder(c.shape))

    def _batches(self, c: Compiled, values: dict[str, Any] | None, batch_size: int) -> Generator[Sequence[Any]]:
        """The driver's rows of `c`, `batch_size` at a time (driver errors mapped); closing it closes the cursor."""
        q = c.query
        if c.kind is EMULATED:
            yield self._emulate(c, values or {}).fetchall()
            return
        params = q.filler()(values or {}) if q.slots else q.params
        stream = getattr(self.driver, "stream", None)
        if stream is None:
            batches: Generator[Sequence[Any]] = cursor_batches(self._send(q.sql, params), batch_size)
        else:
            if self.logger is not None or _log_enabled():
                log_sql(self.logger, q.sql, params)
            batches = stream(q.sql, params, batch_size)
        try:
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    return
                except Exception as exc:
                    raise self._mapped(exc, q.sql, params)  # noqa: B904 (the cause is set)
                yield batch
        finally:
            batches.close()

    def get(self, q: Returning[T], values: dict[str, Any] | None = None) -> T | None:
        """Run `q` and return its first row, or None."""
        c = q.compile(self.dialect)
        cur = self._cursor(c, values)
        try:
            row = cur.fetchone()
        except Exception as exc:
            raise self._mapped(exc, c.query.sql, None)  # noqa: B904 (the cause is set)
        if row is None:
            return None
        assert c.shape is not None
        out: T = c.shape.decoders()[1](row)
        return out

    def one(self, q: Returning[T], values: dict[str, Any] | None = None) -> T:
        """Run `q` and return its only row (error if none or several)."""
        c = q.compile(self.dialect)
        cur = self._cursor(c, values)
        try:
            rows = cur.fetchmany(2)
        except Exception as exc:
            raise self._mapped(exc, c.query.sql, None)  # noqa: B904 (the cause is set)
        row = one_of(rows, describe(c))
        assert c.shape is not None
        out: T = c.shape.decoders()[1](row)
        return out

    def values(self, q: Returning[Any], values: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run `q` and return plain tuples (values decoded by their column modes)."""
        c = q.compile(self.dialect)
        cur = self._cursor(c, values)
        try:
            rows = cur.fetchall()
        except Exception as exc:
            raise self._mapped(exc, c.query.sql, None)  # noqa: B904 (the cause is set)
        assert c.shape is not None
        decode = values_of(c.shape)
        if decode is None:
            plain: list[tuple[Any, ...]] = list(rows)  # PyMySQL fetchall() gives a tuple
            return plain
        return decode(rows)

    def run(self, q: Executable[Any], values: dict[str, Any] | None = None) -> RunResult:
        """Run `q` without fetching rows."""
        if isinstance(q, Insert) and len(q._rows) > 1 and q._select is None and q._conflict is None:
            many = _executemany_form(q)  # pyright: ignore[reportUnknownArgumentType]
            if many is not None:
                return self._run_many(*many)
        c = q.compile(self.dialect)
        query = c.query
        if query.slots or c.kind is EMULATED or self.logger is not None or debug_answers.get(10) is not False:
            cur = self._cursor(c, values)
        else:  # what _cursor does in this case, without its two calls
            try:
                cur = self.driver.execute(query.sql, query.params)
            except Exception as exc:
                raise self._mapped(exc, query.sql, query.params)  # noqa: B904 (the cause is set)
        if c.shape is not None:
            cur.fetchall()
        return run_result((cur.rowcount, getattr(cur, "lastrowid", None) if isinstance(q, Insert) else None))

    def _run_many(self, template: Insert[Any, Any], rows: list[dict[str, Any]]) -> RunResult:
        c = template.compile(self.dialect)
        q = c.query
        fill = q.filler()
        params = [fill(r) for r in rows]
        if self.logger is not None or _log_enabled():
            log_sql(self.logger, q.sql, params[:1])
        try:
            cur = self.driver.executemany(q.sql, params)
        except Exception as exc:
            err = self.driver.map_error(exc, q.sql, None)
            if err is None:
                raise
            raise err from exc
        return run_result((cur.rowcount, getattr(cur, "lastrowid", None)))

    def prepare(self, q: Executable[T], name: str | None = None) -> Prepared[T]:
        """Render `q` once; run it many times with new placeholder values."""
        return PreparedStatement(self, q, name)

    def execute(self, query: SQL[Any] | str, *args: Any) -> list[tuple[Any, ...]]:
        """Run raw SQL (`sql(...)` fragment or trusted text with `?` args) and return its rows as tuples."""
        if isinstance(query, str):
            frag: SQL[Any] = SQL(query, *args) if args and "{}" in query else SQL.raw(query)
            params: Sequence[Any] = () if args and "{}" in query else args
        else:
            frag, params = query, ()
        rq = render(frag, self.dialect)
        all_params = list(rq.params) + list(params)
        cur = self._send(rq.sql, all_params)
        try:
            return list(cur.fetchall()) if cur.description else []
        except Exception as exc:
            raise self._mapped(exc, rq.sql, all_params)  # noqa: B904 (the cause is set)

    def refresh_materialized_view(
        self, view: type[Table], *, concurrently: bool = False, with_no_data: bool = False
    ) -> None:
        """`REFRESH MATERIALIZED VIEW [CONCURRENTLY] view [WITH NO DATA]` (PostgreSQL)."""
        from mizzle.schema.view import refresh_sql

        self.execute(refresh_sql(view, self.dialect, concurrently=concurrently, with_no_data=with_no_data))

    def count(self, table: type[Table] | Subquery, where: SQL[Any] | None = None) -> int:
        """`select count(*) from table [where ...]`."""
        q = self.select(count()).from_(table).where(where)
        row = q.get()
        return row[0] if row is not None else 0

    def batch(self, queries: Sequence[Executable[Any]]) -> list[Any]:
        """Run several queries in one transaction; returns each one's rows (or RunResult)."""
        hook = getattr(self.driver, "batch", None)
        if hook is not None and not self.in_transaction:
            return self._driver_batch(hook, queries)
        results: list[Any] = []
        with self.transaction():
            for q in queries:
                if isinstance(q, Returning):
                    results.append(self.all(q))
                else:
                    results.append(self.run(q))
        return results

    def _driver_batch(self, hook: Callable[..., Any], queries: Sequence[Executable[Any]]) -> list[Any]:
        """Hand the whole batch to the driver (`driver.batch([(sql, params), ...])`, atomic, rows fetched)."""
        compiled = [q.compile(self.dialect) for q in queries]
        statements = [(c.query.sql, c.query.fill({}) if c.query.slots else c.query.params) for c in compiled]
        if self.logger is not None or _log_enabled():
            for text, params in statements:
                log_sql(self.logger, text, params)
        results: list[Any] = []
        for c, res in zip(compiled, hook(statements), strict=True):
            if c.shape is not None:
                results.append(c.shape.decoders()[0](res.rows))
            else:
                results.append(run_result((res.rowcount, res.lastrowid)))
        return results

    def sync(self) -> None:
        """Sync an embedded replica with its primary (libSQL `sync_url=` connections only)."""
        fn = getattr(self.driver, "sync", None)
        if fn is None:
            raise ConfigError(
                f"{type(self.driver).__name__} connections cannot sync; open an embedded replica with "
                "mizzle.connect('file:app.db', driver='libsql', sync_url=..., auth_token=...)"
            )
        fn()

    # ---- transactions ------------------------------------------------------------

    @contextmanager
    def transaction(self, behavior: TxBehavior | None = None) -> Generator[Transaction]:
        """`with db.transaction() as tx:` commits on success, rolls back on error; nested = savepoint."""
        state = self._state
        tx = Transaction(self)
        if state["depth"] == 0:
            self.driver.begin(behavior)
            state["depth"] = 1
            try:
                yield tx
            except Rollback:
                self.driver.rollback()
            except BaseException:
                self.driver.rollback()
                raise
            else:
                try:
                    self.driver.commit()
                except Exception as exc:
                    self.driver.rollback()
                    err = self.driver.map_error(exc, "commit", None)
                    if err is None:
                        raise
                    raise err from exc
            finally:
                state["depth"] = 0
            return
        state["savepoint"] += 1
        name = f"sp{state['savepoint']}"
        self.driver.execute(f"savepoint {name}", ())
        state["depth"] += 1
        try:
            yield tx
        except Rollback:
            self.driver.execute(f"rollback to savepoint {name}", ())
            self.driver.execute(f"release savepoint {name}", ())
        except BaseException:
            try:
                self.driver.execute(f"rollback to savepoint {name}", ())
                self.driver.execute(f"release savepoint {name}", ())
            except Exception:  # the outer transaction may already be gone
                pass
            raise
        else:
            self.driver.execute(f"release savepoint {name}", ())
        finally:
            state["depth"] -= 1

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction block is open."""
        depth: int = self._state["depth"]
        return depth > 0

    def close(self) -> None:
        """Close the connection."""
        self.driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Transaction(Database):
    """The session inside a `transaction()` block; `tx.rollback()` leaves the block rolled back."""

    def __init__(self, parent: Database) -> None:
        self.__dict__.update(parent.__dict__)

    def rollback(self) -> None:
        """Roll back this transaction (or savepoint) and leave its block."""
        raise Rollback()


class PreparedStatement(Prepared[T]):
    """`Prepared[T]` on a synchronous session: the SQL text, parameters and decoders computed once."""

    __slots__ = (
        "_c", "_db", "_decode_all", "_decode_one", "_decode_values", "_emulated", "_fill", "_iterates", "_params", "_query",
        "_slot", "_sql", "name",
    )

    def __init__(self, db: Database, query: Executable[T], name: str | None) -> None:
        self._db = db
        self._query = query
        self.name = name
        c = query.compile_prepared(db.dialect)
        self._c = c
        self._sql = c.query.sql
        self._params = c.query.params
        self._emulated = c.kind is EMULATED
        self._iterates = db._iterates and not self._emulated
        self._slot = (c.query.slots[0] if len(c.query.slots) == 1 and not c.query.slots[0].factory
                      and not self._emulated else None)
        self._fill = c.query.filler() if c.query.slots else None
        self._decode_values = values_of(c.shape) if c.shape is not None else None
        self._decode_all: Callable[[Iterable[Any]], list[Any]] | None = None
        self._decode_one: Callable[[Any], Any] | None = None
        if c.shape is not None:
            self._decode_all, self._decode_one = c.shape.decoders()

    @property
    def sql(self) -> str:
        """The rendered SQL text."""
        return self._sql

    def _cursor(self, values: dict[str, Any]) -> Any:
        slot = self._slot
        if slot is not None and not self._db.logger and not _debug(10):
            # fast path: one placeholder
            try:
                v = values[slot.name]
            except KeyError:
                return self._db._cursor(self._c, values)  # raises the helpful error
            if slot.encoder is not None and v is not None:
                v = slot.encoder(v)
            one = list(self._params)
            one[slot.index] = v
            try:
                return self._db.driver.execute(self._sql, one)
            except Exception as exc:
                err = self._db.driver.map_error(exc, self._sql, one)
                if err is None:
                    raise
                raise err from exc
        db = self._db
        if db.logger is not None or self._emulated or _debug(10):
            return db._cursor(self._c, values)
        params: Any = self._fill(values) if self._fill is not None else self._params
        try:
            return db.driver.execute(self._sql, params)
        except Exception as exc:
            err = db.driver.map_error(exc, self._sql, params)
            if err is None:
                raise
            raise err from exc

    def all(self, **values: Any) -> list[T]:
        """Every row."""
        cur = self._cursor(values)
        if self._decode_all is None:
            raise QueryError("this statement returns no rows; use .run()")
        return _decoded(self._decode_all, cur, self._iterates)

    def get(self, **values: Any) -> T | None:
        """The first row, or None."""
        row = self._cursor(values).fetchone()
        if row is None:
            return None
        if self._decode_one is None:
            raise QueryError("this statement returns no rows; use .run()")
        out: T = self._decode_one(row)
        return out

    def one(self, **values: Any) -> T:
        """Exactly one row."""
        rows = self._cursor(values).fetchmany(2)
        row = one_of(rows, self._sql)
        if self._decode_one is None:
            raise QueryError("this statement returns no rows; use .run()")
        out: T = self._decode_one(row)
        return out

    def values(self, **values: Any) -> list[tuple[Any, ...]]:
        """Rows as plain tuples."""
        rows: list[tuple[Any, ...]] = self._cursor(values).fetchall()
        decode = self._decode_values
        if decode is None:
            return rows if type(rows) is list else list(rows)  # PyMySQL fetchall() gives a tuple
        return decode(rows)

    def run(self, **values: Any) -> RunResult:
        """Execute without fetching rows."""
        db = self._db
        if self._emulated or db.logger is not None or debug_answers.get(10) is not False:
            cur = self._cursor(values)
        else:  # what _cursor does in this case, inlined (one call less per statement)
            fill = self._fill
            params = fill(values) if fill is not None else self._params
            try:
                cur = db.driver.execute(self._sql, params)
            except Exception as exc:
                raise db._mapped(exc, self._sql, params)  # noqa: B904 (the cause is set)
        if self._decode_all is not None:
            cur.fetchall()
        return run_result((cur.rowcount, getattr(cur, "lastrowid", None)))



_debug = sql_logger.isEnabledFor


def _decoded(decode: Callable[[Iterable[Any]], list[Any]], cur: Any, iterate: bool) -> list[Any]:
    """Every row of `cur`, decoded: straight from the cursor when the driver iterates rows in C (each driver
    row freed as soon as it is copied), else from fetchall()."""
    if not iterate:
        return decode(cur.fetchall())
    try:
        return decode(cur)
    except BaseException:
        cur.close()  # no statement left half read (SQLite would keep its table locked)
        raise


def _log_enabled() -> bool:
    return debug_answers.get(10) is not False and _debug(10)


def _executemany_form(q: Insert[..., Any]) -> tuple[Insert[Any, Any], list[dict[str, Any]]] | None:
    """A one-row insert with a placeholder per column, and each row's values, when executemany fits."""
    cols = q._table.__table__.columns
    first = q._rows[0].keys()
    if all(r.keys() == first for r in q._rows) and _plain_values(q._rows):  # the common case
        template0: Insert[Any, Any] = Insert(q._session, q._table).values({k: Placeholder(k) for k in first})
        return template0, q._rows
    keys: list[str] = []
    for row in q._rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    rows: list[dict[str, Any]] = []
    for row in q._rows:
        if len(row) == len(keys):
            rows.append(row)
            continue
        full = dict(row)
        for k in keys:
            if k not in full:
                col = cols[k]
                if col.default_factory is not None:
                    full[k] = col.default_factory()
                elif col.on_update_factory is not None:
                    full[k] = col.on_update_factory()
                elif isinstance(col.default_value, SQL):
                    return None  # an SQL default cannot be passed as a parameter
                elif col.default_value is not MISSING:
                    full[k] = col.default_value
                else:
                    full[k] = None
        rows.append(full)
    for row in rows:
        for v in row.values():
            if isinstance(v, SQL | Placeholder) or hasattr(v, "__sql__"):
                return None
    template: Insert[Any, Any] = Insert(q._session, q._table).values({k: Placeholder(k) for k in keys})
    return template, rows


# value types that can never be SQL fragments / placeholders / have __sql__ (no instance attributes)
_PLAIN_TYPES = frozenset({str, int, float, bool, bytes, type(None)})


def _plain_values(rows: list[dict[str, Any]]) -> bool:
    """Whether every value in `rows` is a plain scalar (str/int/float/bool/bytes/None), fast."""
    from itertools import chain

    return set(map(type, chain.from_iterable(r.values() for r in rows))) <= _PLAIN_TYPES


__all__ = ["Database", "MizzleError", "Prepared", "RunResult", "Transaction"]
