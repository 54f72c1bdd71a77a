"""Rows the builder conformance tests share (inserted through mizzle itself, in every dialect)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import mizzle

JAN = datetime(2024, 1, 1, tzinfo=UTC)
FEB = datetime(2024, 2, 1, tzinfo=UTC)
MAR = datetime(2024, 3, 1, tzinfo=UTC)


def seed(db: mizzle.Database, s: Any) -> None:
    """Four users, three posts, three comments, three tags (one unused), three post-tag links."""
    db.insert(s.Users).values(
        [
            {"name": "ann", "email": "ann@example.com", "age": 30, "active": True, "score": 1.5, "created_at": JAN},
            {"name": "bob", "email": "bob@example.com", "age": 25, "active": False, "score": None, "created_at": FEB},
            {"name": "cid", "email": "cid@example.com", "age": None, "active": True, "score": 3.0, "created_at": None},
            {"name": "Dee", "email": "dee@example.com", "age": 41, "active": True, "score": 2.5, "created_at": MAR},
        ]
    ).run()
    db.insert(s.Posts).values(
        [
            {"author_id": 1, "title": "Hello", "body": "first post", "views": 10, "meta": {"lang": "en"}},
            {"author_id": 1, "title": "World", "body": None, "views": 5, "meta": None},
            {"author_id": 2, "title": "Bob's post", "body": "100% real", "views": 0, "meta": {"lang": "de"}},
        ]
    ).run()
    db.insert(s.Comments).values(
        [
            {"post_id": 1, "user_id": 2, "body": "nice"},
            {"post_id": 1, "user_id": 3, "body": "ok"},
            {"post_id": 3, "user_id": None, "body": "anon"},
        ]
    ).run()
    db.insert(s.Tags).values([{"name": "python"}, {"name": "sql"}, {"name": "unused"}]).run()
    db.insert(s.PostTags).values(
        [{"post_id": 1, "tag_id": 1}, {"post_id": 1, "tag_id": 2}, {"post_id": 2, "tag_id": 2}]
    ).run()
