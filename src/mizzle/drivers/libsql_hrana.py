"""A batch of statements to a libSQL server in ONE HTTP request (Hrana over HTTP, `/v2/pipeline`).

The `libsql` package sends every statement of a transaction as its own request. A Hrana
*batch* carries them all: `BEGIN`, each statement run only if the previous step succeeded,
`COMMIT` only if the last one did, `ROLLBACK` if the commit did not happen; the server runs the
steps in order and answers once. Values travel typed (integers as decimal strings, so 64-bit
integers are exact).
"""

from __future__ import annotations

import base64
import json
import ssl
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mizzle.drivers.base import AsyncResult


class StepError(Exception):
    """Statement `index` of the batch failed with the server's `message`."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def pipeline_url(url: str) -> str:
    """`libsql://host` -> `https://host/v2/pipeline` (http/https kept; query string dropped)."""
    parts = urlsplit(url)
    scheme = "https" if parts.scheme == "libsql" else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/v2/pipeline", "", ""))


def _encode(v: Any) -> dict[str, Any]:
    if v is None:
        return {"type": "null"}
    if isinstance(v, bool | int):
        return {"type": "integer", "value": str(int(v))}
    if isinstance(v, float):
        return {"type": "float", "value": v}
    if isinstance(v, str):
        return {"type": "text", "value": v}
    if isinstance(v, bytes | bytearray):
        return {"type": "blob", "base64": base64.b64encode(v).decode("ascii")}
    if isinstance(v, memoryview):
        return {"type": "blob", "base64": base64.b64encode(v.tobytes()).decode("ascii")}
    raise TypeError(f"cannot send a {type(v).__name__} to libSQL: {v!r}")


def _decode(v: dict[str, Any]) -> Any:
    kind = v["type"]
    if kind == "integer":
        return int(v["value"])
    if kind == "float":
        return float(v["value"])
    if kind == "text":
        return v["value"]
    if kind == "blob":
        return base64.b64decode(v.get("base64", ""))
    return None


encode_value = _encode  # a Python value -> a Hrana value
decode_value = _decode  # a Hrana value -> a Python value


def _stmt(sql: str, params: Sequence[Any]) -> dict[str, Any]:
    return {"sql": sql, "args": [_encode(p) for p in params], "want_rows": True}


def steps(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[dict[str, Any]]:
    """BEGIN, the statements chained on success, COMMIT, ROLLBACK unless the commit succeeded."""
    out: list[dict[str, Any]] = [{"stmt": _stmt("begin", ())}]
    for sql, params in statements:
        out.append({"condition": {"type": "ok", "step": len(out) - 1}, "stmt": _stmt(sql, params)})
    commit = len(out)
    out.append({"condition": {"type": "ok", "step": commit - 1}, "stmt": _stmt("commit", ())})
    out.append({"condition": {"type": "not", "cond": {"type": "ok", "step": commit}}, "stmt": _stmt("rollback", ())})
    return out


def run_batch(
    url: str, token: str, statements: Sequence[tuple[str, Sequence[Any]]], timeout: float
) -> list[AsyncResult]:
    """POST the batch; the results of `statements` (not of BEGIN/COMMIT). Raises StepError,
    urllib.error.HTTPError (auth: 401/403) or urllib.error.URLError (unreachable)."""
    body = {"baton": None, "requests": [{"type": "batch", "batch": {"steps": steps(statements)}}, {"type": "close"}]}
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(pipeline_url(url), data=json.dumps(body).encode(), headers=headers, method="POST")
    context = ssl.create_default_context() if req.type == "https" else None
    with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
        answer: dict[str, Any] = json.load(resp)
    first = answer["results"][0]
    if first["type"] != "ok":
        raise StepError(-1, str(first.get("error", {}).get("message", first)))
    result = first["response"]["result"]
    for index, err in enumerate(result["step_errors"]):
        if err is not None:
            raise StepError(index - 1, str(err.get("message", err)))
    out: list[AsyncResult] = []
    for res in result["step_results"][1 : 1 + len(statements)]:
        rows = [tuple(_decode(v) for v in row) for row in res["rows"]]
        last = res.get("last_insert_rowid")
        out.append(AsyncResult(rows, int(res["affected_row_count"]), int(last) if last is not None else None,
                               bool(res["cols"])))
    return out
