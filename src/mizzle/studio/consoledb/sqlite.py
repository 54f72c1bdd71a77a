"""SQLite console connections: stdlib `sqlite3` (its `execute` refuses a second statement).

Read-only: the database file opened with `mode=ro`, `query_only` on, and an authorizer that allows
reading only: SELECT, reading columns, functions (not `load_extension`), recursive CTEs and pragmas
that only report. It denies ATTACH (and so `VACUUM INTO`, which attaches its target), temporary
tables, transactions and every pragma that changes something.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mizzle.errors import ConfigError
from mizzle.session.sync import Database
from mizzle.url import parse_url

_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
_DENIED_FUNCTIONS = {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"}
_REPORTING_PRAGMAS = {  # take an argument naming what to report on
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check", "collation_list", "database_list", "compile_options",
    "function_list", "module_list", "pragma_list",
}
_SETTING_PRAGMAS = {  # read without an argument, changed with one
    "application_id", "auto_vacuum", "automatic_index", "busy_timeout", "cache_size", "cache_spill",
    "case_sensitive_like", "cell_size_check", "data_version", "defer_foreign_keys", "encoding", "foreign_keys",
    "freelist_count", "journal_mode", "journal_size_limit", "legacy_alter_table", "locking_mode",
    "max_page_count", "mmap_size", "page_count", "page_size", "query_only", "read_uncommitted",
    "recursive_triggers", "reverse_unordered_selects", "schema_version", "secure_delete", "synchronous",
    "temp_store", "threads", "trusted_schema", "user_version", "wal_autocheckpoint",
}


def _authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _source: str | None) -> int:
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (arg2 or "").lower() in _DENIED_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in _REPORTING_PRAGMAS or (name in _SETTING_PRAGMAS and arg2 is None):
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _file_of(url: str) -> tuple[str, bool]:
    spec = parse_url(url)
    if spec.scheme != "sqlite":
        raise ConfigError(f"the console's SQLite connection needs a local database file, not {spec.scheme}://")
    name = spec.database
    if name == ":memory:" or "mode=memory" in name:
        raise ConfigError("the console runs on its own connection, which cannot see an in-memory database: "
                          "open a database file")
    return name, spec.uri


class SQLiteConsole:
    """One console request on its own `sqlite3` connection."""

    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def __init__(self, url: str, *, read_only: bool) -> None:
        name, uri = _file_of(url)
        self.read_only = read_only
        if read_only:
            if uri:
                target = name + ("&" if "?" in name else "?") + "mode=ro"
            else:
                target = "file:" + quote(str(Path(name).resolve())) + "?mode=ro"
            self.conn = sqlite3.connect(target, uri=True, isolation_level=None, check_same_thread=False,
                                        timeout=5.0)
            self.conn.execute("pragma query_only = 1")
            self.conn.set_authorizer(_authorize)
        else:
            self.conn = sqlite3.connect(name, uri=uri, isolation_level=None, check_same_thread=False, timeout=5.0)
            self.conn.execute("pragma foreign_keys = on")
            self.conn.execute("begin")

    def run(self, sql: str) -> Any:
        """Run one statement (`sqlite3` refuses text holding a second one)."""
        return self.conn.execute(sql)

    def finish(self) -> None:
        """Commit in read-write mode (read-only mode has nothing to end)."""
        if not self.read_only and self.conn.in_transaction:
            self.conn.execute("commit")

    def close(self) -> None:
        """Close (an open read-write transaction is rolled back)."""
        self.conn.close()



def open_console(url: str, *, read_only: bool) -> SQLiteConsole:
    """A console connection to the SQLite file of `url`."""
    return SQLiteConsole(url, read_only=read_only)


def risky_privileges(db: Database) -> Sequence[str]:
    """Nothing: a `mode=ro` connection with the authorizer cannot write."""
    return ()


__all__ = ["SQLiteConsole", "open_console", "risky_privileges"]
