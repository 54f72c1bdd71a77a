"""The studio's JSON API over real databases (SQLite, PostgreSQL, MariaDB): auth, read-only, CRUD, filters, pages."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from studio_helpers import N_USERS, Env

from mizzle.studio.server import static_text


def ids_of(page: dict[str, Any]) -> list[int]:
    return [r[0] for r in page["rows"]]


def col_index(page: dict[str, Any], key: str) -> int:
    return [c["key"] for c in page["columns"]].index(key)


# ---- security -----------------------------------------------------------------------------------


def test_every_request_needs_the_token(env: Env) -> None:
    c = env.client
    for path in ("/api/tables", "/api/info", "/", "/static/app.js", "/api/tables/users/rows"):
        status, body = c.request("GET", path, token=None)
        assert status == 401, path
        assert "token" in (body["error"] if isinstance(body, dict) else body)
        status, _ = c.request("GET", path, token=None, headers={"X-Mizzle-Token": "wrong" + c.token})
        assert status == 401
    status, tables = c.request("GET", "/api/tables", token="query")
    assert status == 200 and {t["name"] for t in tables} == {"users", "posts", "comments"}


def test_page_sets_a_strict_cookie_for_its_assets(env: Env) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{env.client.base}/?token={env.client.token}") as resp:
        cookie = resp.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert resp.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert resp.read() == static_text("index.html")
    jar = cookie.split(";")[0]
    status, text = env.client.request("GET", "/static/app.js", token=None, headers={"Cookie": jar})
    assert status == 200 and "X-Mizzle-Token" in text


def test_writes_need_the_custom_header(env: Env) -> None:
    c = env.client
    body = {"values": {"name": "x", "email": "x@example.com"}}
    status, data = c.request("POST", "/api/tables/users/insert", body=body, token="query")
    assert status == 403 and "X-Mizzle-Token header" in data["error"]
    assert env.db.count(env.mod.Users) == N_USERS
    status, _ = c.request("OPTIONS", "/api/tables/users/insert", token="header")
    assert status == 405


def test_credentials_never_reach_the_browser(env: Env) -> None:
    from mizzle.studio import redact_url

    assert redact_url("postgresql://app:s3cret@db:5432/x?sslmode=require&password=p") == (
        "postgresql://app:***@db:5432/x?sslmode=require&password=***")
    env.studio.url = "postgresql://app:s3cret@db:5432/x"
    info = env.client.get("/api/info")
    assert "s3cret" not in json.dumps(info) and info["url"] == "postgresql://app:***@db:5432/x"


def test_read_only_refuses_every_write(ro_env: Env) -> None:
    c, mod = ro_env.client, ro_env.mod
    first = c.get("/api/tables/users/rows", limit="1")["rows"][0]
    attempts = [
        ("/api/tables/users/insert", {"values": {"name": "x", "email": "x@example.com"}}),
        ("/api/tables/users/update", {"key": [first[0]], "values": {"name": "changed"}}),
        ("/api/tables/users/delete", {"keys": [[first[0]]]}),
    ]
    for path, body in attempts:
        status, data = c.post(path, body)
        assert status == 403 and "read-only" in data["error"], (path, data)
    for stmt in ("delete from users", "update users set name = 'x'", "drop table comments",
                 "with x as (select 1) delete from users", "insert into users (name) values ('x')",
                 "select 1; delete from users"):
        status, data = c.post("/api/sql", {"sql": stmt})
        assert status in (400, 403), stmt
    status, data = c.post("/api/sql", {"sql": "select count(*) as n from users"})
    assert status == 200 and data["rows"] == [[N_USERS]] and data["read_only"]
    assert ro_env.db.count(mod.Users) == N_USERS
    assert c.get("/api/tables/users/rows", limit="1")["rows"][0][1] == first[1]
    # the delete preview only reads: allowed
    status, data = c.post("/api/tables/users/delete-preview", {"keys": [[first[0]]]})
    assert status == 200 and data["count"] == 1


def test_read_only_console_runs_in_a_read_only_transaction(ro_env: Env) -> None:
    """A function with side effects slips past the keyword check; the read-only transaction still stops it."""
    if ro_env.kind != "sqlite":
        status, data = ro_env.client.post("/api/sql", {"sql": "select 1 as one"})
        assert status == 200 and data["rows"] == [[1]]
        return
    status, data = ro_env.client.post("/api/sql", {"sql": "select 1 as one"})
    assert status == 200
    # SQLite: query_only is switched off again after the console query; the session can still write
    ro_env.db.insert(ro_env.mod.Comments).values(post_id=1, body="after").run()


# ---- browsing -----------------------------------------------------------------------------------


def test_table_list_counts_rows(env: Env) -> None:
    tables = {t["name"]: t for t in env.client.get("/api/tables")}
    assert tables["users"]["rows"] == N_USERS
    assert tables["posts"]["rows"] == 20
    assert tables["comments"]["rows"] == 3


def test_keyset_pages_cover_the_table_in_order(env: Env) -> None:
    c = env.client
    page = c.get("/api/tables/users/rows", limit="25", count="1")
    assert page["total"] == N_USERS and page["keyset"] and page["mode"] == "keyset"
    seen = ids_of(page)
    while len(page["rows"]) == 25:
        page = c.get("/api/tables/users/rows", limit="25", after=[page["rows"][-1][0]])
        seen += ids_of(page)
    all_ids = [r[0] for r in env.db.select(env.mod.Users.id).from_(env.mod.Users).order_by(env.mod.Users.id).all()]
    assert seen == all_ids
    back = c.get("/api/tables/users/rows", limit="25", before=[all_ids[50]])
    assert ids_of(back) == all_ids[25:50]
    last = c.get("/api/tables/users/rows", limit="25", last="1")
    assert ids_of(last) == all_ids[100:] and last["offset"] == 100
    jump = c.get("/api/tables/users/rows", limit="10", offset="73")
    assert ids_of(jump) == all_ids[73:83]


def test_sort_by_column_both_ways(env: Env) -> None:
    c = env.client
    page = c.get("/api/tables/users/rows", limit="5", sort="email", dir="desc")
    i = col_index(page, "email")
    assert [r[i] for r in page["rows"]] == [f"u{n:03d}@example.com" for n in range(119, 114, -1)]
    nxt = c.get("/api/tables/users/rows", limit="5", sort="email", dir="desc",
                after=[page["rows"][-1][i], page["rows"][-1][0]])
    assert [r[i] for r in nxt["rows"]] == [f"u{n:03d}@example.com" for n in range(114, 109, -1)]
    nullable = c.get("/api/tables/users/rows", limit="5", sort="profile", offset="3")
    assert nullable["mode"] == "offset" and not nullable["keyset"]


def test_filters_use_the_builder_operators(env: Env) -> None:
    c = env.client

    def total(*filters: dict[str, Any]) -> int:
        return int(c.get("/api/tables/users/rows", limit="5", count="1", filters=list(filters))["total"])

    assert total({"column": "role", "op": "eq", "value": "admin"}) == 40
    assert total({"column": "role", "op": "ne", "value": "admin"}) == 80
    assert total({"column": "email", "op": "like", "value": "u00%"}) == 10
    assert total({"column": "email", "op": "ilike", "value": "U00%"}) == 10
    assert total({"column": "profile", "op": "is_null"}) == N_USERS - 5
    assert total({"column": "profile", "op": "is_not_null"}) == 5
    assert total({"column": "score", "op": "gt", "value": "150"}) == 19  # 1.5*i > 150 -> i >= 101
    assert total({"column": "score", "op": "lte", "value": 3}) == 3
    assert total({"column": "active", "op": "eq", "value": True}) == 60
    assert total({"column": "email", "op": "in", "value": "u001@example.com, u002@example.com"}) == 2
    assert total({"column": "role", "op": "eq", "value": "admin"}, {"column": "active", "op": "eq", "value": "true"}) == 20
    status, data = c.request("GET", "/api/tables/users/rows", {"filters": [{"column": "nope", "op": "eq", "value": 1}]})
    assert status == 400 and "no column 'nope'" in data["error"]
    status, data = c.request("GET", "/api/tables/users/rows", {"filters": [{"column": "score", "op": "eq", "value": "abc"}]})
    assert status == 400 and "users.score" in data["error"] and "not a number" in data["error"]
    status, data = c.request("GET", "/api/tables/users/rows", {"filters": [{"column": "role", "op": "eq", "value": "boss"}]})
    assert status == 400 and "one of admin, member" in data["error"]
    status, data = c.request("GET", "/api/tables/nope/rows")
    assert status == 404 and "users" in data["error"]


def test_values_are_rendered_by_mode(env: Env) -> None:
    page = env.client.get("/api/tables/users/rows", limit="3")
    cols = {c["key"]: c for c in page["columns"]}
    assert cols["role"]["kind"] == "enum" and cols["role"]["enum"] == ["admin", "member"]
    assert cols["active"]["kind"] == "boolean" and cols["profile"]["kind"] == "json"
    assert cols["created_at"]["kind"] == "datetime" and cols["avatar"]["kind"] == "blob"
    assert cols["id"]["primary"] and cols["role"]["default"]["text"] == '"member"'
    row = page["rows"][0]
    get = {k: row[col_index(page, k)] for k in cols}
    assert get["active"] is True and get["profile"] == {"n": 0, "tags": ["a", "b"]}
    assert get["avatar"]["$blob"] == 4 and get["avatar"]["hex"] == "00010203"
    assert get["created_at"].startswith("20")  # ISO 8601
    posts = env.client.get("/api/tables/posts/rows", limit="1")
    assert next(c for c in posts["columns"] if c["key"] == "author_id")["fk"] == {"table": "users", "column": "id"}


# ---- editing ------------------------------------------------------------------------------------


def test_insert_update_delete_with_cascade(env: Env) -> None:
    c, db, mod = env.client, env.db, env.mod
    status, data = c.post("/api/tables/users/insert", {"values": {"name": "new", "email": "new@example.com",
                                                                  "profile": {"x": [1, 2]}, "avatar": "ff00"}})
    assert status == 200, data
    row = db.select().from_(mod.Users).where(mizzle_eq(mod.Users.email, "new@example.com")).one()
    assert row.role == "member" and row.active is True and row.profile == {"x": [1, 2]} and row.avatar == b"\xff\x00"
    assert row.created_at is not None

    status, data = c.post("/api/tables/users/update", {"key": [row.id], "values": {"name": "renamed", "active": False,
                                                                                   "score": "2.5"}})
    assert status == 200, data
    again = db.select().from_(mod.Users).where(mizzle_eq(mod.Users.id, row.id)).one()
    assert (again.name, again.active, again.score) == ("renamed", False, 2.5)

    status, data = c.post("/api/tables/users/update", {"key": [row.id], "values": {"email": "u001@example.com"}})
    assert status == 409 and "already has this value" in data["error"]
    status, data = c.post("/api/tables/posts/insert", {"values": {"author_id": 999999, "title": "orphan"}})
    assert status == 409 and "foreign key" in data["error"]
    status, data = c.post("/api/tables/users/update", {"key": [row.id], "values": {"name": None}})
    assert status == 409 and "cannot be empty" in data["error"]
    status, data = c.post("/api/tables/users/update", {"key": [10**9], "values": {"name": "x"}})
    assert status == 404

    first = db.select(mod.Users.id).from_(mod.Users).order_by(mod.Users.id).limit(1).one()[0]
    status, preview = c.post("/api/tables/users/delete-preview", {"keys": [[first], [row.id]]})
    assert status == 200 and preview["count"] == 2
    effects = {e["table"]: e for e in preview["effects"]}
    assert effects["posts"]["count"] == 2 and effects["posts"]["action"] == "cascade"
    assert effects["comments"]["count"] == 3 and effects["comments"]["action"] == "cascade"
    assert "also deletes 2 row(s) of posts" in " ".join(preview["summary"])
    status, data = c.post("/api/tables/users/delete", {"keys": [[first], [row.id]]})
    assert status == 200 and data["deleted"] == 2
    assert db.count(mod.Users) == N_USERS - 1 and db.count(mod.Posts) == 18 and db.count(mod.Comments) == 0


def mizzle_eq(col: Any, value: Any) -> Any:
    from mizzle import eq

    return eq(col, value)


def test_related_rows_from_fks_and_relations(env: Env) -> None:
    c, db, mod = env.client, env.db, env.mod
    first = db.select(mod.Users.id).from_(mod.Users).order_by(mod.Users.id).limit(1).one()[0]
    data = c.get("/api/tables/users/row", key=[first])
    groups = {g["table"]: g for g in data["related"]}
    assert groups["posts"]["count"] == 2 and groups["posts"]["kind"] == "many"
    assert "posts" in groups["posts"]["names"]  # the declared relation and the FK are one group
    assert groups["posts"]["filters"] == [{"column": "author_id", "op": "eq", "value": first}]
    post_id = groups["posts"]["rows"][0][0]
    post = c.get("/api/tables/posts/row", key=[post_id])
    by = {g["table"]: g for g in post["related"]}
    assert by["users"]["kind"] == "one" and by["users"]["count"] == 1 and "author" in by["users"]["names"]
    assert by["comments"]["count"] == 2


# ---- console, export, schema, migrations ------------------------------------------------------------


def test_console_runs_queries_and_writes(env: Env) -> None:
    c = env.client
    status, data = c.post("/api/sql", {"sql": "-- count\nselect role, count(*) as n from users group by role order by role"})
    assert status == 200 and data["columns"] == ["role", "n"] and data["rows"] == [["admin", 40], ["member", 80]]
    status, data = c.post("/api/sql", {"sql": "update posts set body = 'edited' where title like 'post 0-%'"})
    assert status == 200 and data["affected"] == 2
    status, data = c.post("/api/sql", {"sql": "select * from no_such_table"})
    assert status == 400 and "refused" in data["error"]


def test_export_csv_and_json_with_filters(env: Env) -> None:
    c = env.client
    flt = [{"column": "role", "op": "eq", "value": "admin"}]
    status, text = c.request("GET", "/api/tables/users/export", {"format": "csv", "filters": flt, "sort": "email"})
    assert status == 200
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "name", "email"] and len(rows) == 41
    assert rows[1][2] == "u000@example.com" and rows[2][2] == "u003@example.com"
    status, data = c.request("GET", "/api/tables/users/export", {"format": "json", "filters": flt})
    assert status == 200 and len(data) == 40 and data[0]["role"] == "admin"
    status, data = c.request("GET", "/api/tables/users/export", {"format": "xml"})
    assert status == 400


def test_schema_view(env: Env) -> None:
    data = env.client.get("/api/schema")
    tables = {t["name"]: t for t in data["tables"]}
    assert tables["posts"]["foreign_keys"][0]["table"] == "users"
    assert tables["posts"]["indexes"][0] == {"name": "posts_author_idx", "unique": False, "columns": ["author_id"],
                                             "where": None}
    assert {r["name"] for r in tables["posts"]["relations"]} == {"author", "comments"}
    assert tables["users"]["primary_key"] == ["id"]
