"""Relations and the relational query API (`db.query.<table>.find_many(with_={...})`).

Declare: `relations(Users, lambda r: {"posts": r.many(Posts)})` (see `define`, and `resolve`
for how links are inferred). Query: `db.query.users.find_many(with_={"posts": True}).all()` —
one SQL statement at any depth (see `build` for the SQL and the dialect hooks).
"""

from mizzle.relations.api import RelationalQueries, TableQueries
from mizzle.relations.define import Many, One, RelationBuilder, TableRelations, many, one, relations
from mizzle.relations.filters import has
from mizzle.relations.query import FindFirst, FindMany, RelationalQuery
from mizzle.relations.resolve import Link, link, links

__all__ = [
    "FindFirst",
    "FindMany",
    "Link",
    "Many",
    "One",
    "RelationBuilder",
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
