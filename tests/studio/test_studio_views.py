"""The studio lists views read-only: flagged in the table list, every write refused with 409."""

from __future__ import annotations

from pathlib import Path

import pytest

import mizzle
from mizzle import select
from mizzle.sqlite import Column, Table, integer, text
from mizzle.studio.app import ApiError, Studio
from mizzle.studio.edit import delete_rows, insert_row, update_row
from mizzle.studio.schema_info import table_list


class StudioViewUsers(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class StudioViewNames(Table, name="user_names", view=select(StudioViewUsers.name).from_(StudioViewUsers)):
    name: Column[str] = text().not_null()


def test_views_are_listed_read_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    db = mizzle.connect(url)
    try:
        mizzle.create_all(db, [StudioViewUsers, StudioViewNames])
        db.insert(StudioViewUsers).values([{"name": "ann"}, {"name": "bob"}]).run()
        studio = Studio(db, [StudioViewUsers, StudioViewNames], url=url)
        listed = {t["name"]: t for t in table_list(studio)}
        assert listed["user_names"]["view"] is True and listed["user_names"]["editable"] is False
        assert listed["user_names"]["rows"] == 2
        assert "view" not in listed["users"] and listed["users"]["editable"] is True
        for write in (lambda: insert_row(studio, StudioViewNames, {"name": "cy"}),
                      lambda: update_row(studio, StudioViewNames, ["ann"], {"name": "x"}),
                      lambda: delete_rows(studio, StudioViewNames, [["ann"]])):
            with pytest.raises(ApiError, match="user_names is a view: the studio shows views read-only"):
                write()
        assert db.count(StudioViewUsers) == 2
    finally:
        db.close()
