"""What `.iter()` yields, shared by the sync and async sessions: driver batches decoded row by row.

A batch is decoded lazily, one row as the consumer asks for it (`map` over the batch), not into a list
first: the consumer's previous row is freed as the next is built, so the cycle collector's allocation
count stays flat (a list of 1,000 row objects, which tuple subclasses are, set off a collection per
batch that walked them all) and no Python frame runs per row when the row is the driver's row in a row
class. The sync result, `RowStream`, hands `for` a C iterator (`itertools.chain` over the batches).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from functools import partial
from itertools import chain
from typing import Any, Generic, TypeVar

from mizzle.query.rows import Shape, row_constructor

T = TypeVar("T", covariant=True)

def batch_decoder(shape: Shape) -> Callable[[Sequence[Any]], Iterable[Any]]:
    """`decode(batch)`: the batch's rows decoded, built one at a time as they are iterated.

    A row the driver's row as it is: `cls(r)` (or `tuple.__new__(cls, r)`) in C. Otherwise the shape's compiled
    `decode_one` (a stored value it cannot decode raises DecodeError naming table, column and value).
    """
    cls = shape.row_class()
    if cls is tuple:
        return shape.decoders()[0]  # the batch as it is
    each: Callable[[Any], Any] = shape.decoders()[1] if cls is None else row_constructor(cls)
    return partial(map, each)


class RowStream(Iterator[T], Generic[T]):
    """The rows of `db.select()...iter()`: iterate it once; `close()` (or dropping it, or the rows
    running out) closes the cursor. `for row in rows` runs in C (the iterator it gets is a chain of
    the decoded batches); `next(rows)` works too."""

    __slots__ = ("_batches", "_rows")

    def __init__(self, batches: Generator[Sequence[Any]], decode: Callable[[Sequence[Any]], Iterable[T]]) -> None:
        self._batches = batches
        self._rows: Iterator[T] = chain.from_iterable(map(decode, batches))

    def __iter__(self) -> Iterator[T]:
        return self._rows

    def __next__(self) -> T:
        return next(self._rows)

    def close(self) -> None:
        """Stop: close the cursor (the connection can run other statements) and yield no more rows
        (a `for` loop already running over it ends with the batch in hand)."""
        self._batches.close()
        self._rows = iter(())
