"""Relations and the relational query API (`db.query.<table>.find_many(with_={...})`).

Declare on the table class: `posts: Many[Posts] = many()` (or Drizzle's `relations(Users, lambda r:
{"posts": r.many(Posts)})`; see `define`, and `resolve` for how links are inferred). Query:
`db.query(Users).find_many(with_=[Users.posts]).all()` — one SQL statement at any depth (see `build`
for the SQL and the dialect hooks).
"""

from mizzle.relations.api import RelationalQueries, TableQueries
from mizzle.relations.define import Many, One, RelationBuilder, TableRelations, many, one, relations
from mizzle.relations.filters import has
from mizzle.relations.query import FindFirst, FindMany, RelationalQuery
from mizzle.relations.resolve import Link, link, links
from mizzle.schema.relation import Columns, Load, RelationRef

__all__ = [
    "Columns",
    "FindFirst",
    "FindMany",
    "Link",
    "Load",
    "Many",
    "One",
    "RelationBuilder",
    "RelationRef",
    "RelationalQueries",
    "RelationalQuery",
    "TableQueries",
    "TableRelations",
    "has",
    "link",
    "links",
    "many",
    "one",
    "relations",
]
