"""Long listings split into numbered pages: page 1 at the listing's URL, page n at URL + "n/"."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

from showcase import urls

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its items, its number (from 1) and how many pages there are."""

    base: str  # the listing's URL
    number: int
    count: int
    items: Sequence[T]

    @property
    def url(self) -> str:
        return urls.paged(self.base, self.number)

    def url_of(self, number: int) -> str:
        """The URL of another page of the same listing (for the page links)."""
        return urls.paged(self.base, number)

    def title(self, title: str) -> str:
        return title if self.number == 1 else f"{title}（第 {self.number} 页）"


def paginate(base: str, items: Sequence[T], size: int) -> Iterator[Page[T]]:
    """The pages of a listing of `items` at `size` a page; an empty listing has one page."""
    count = urls.page_count(len(items), size)
    for n in range(1, count + 1):
        yield Page(base, n, count, items[(n - 1) * size : n * size])
