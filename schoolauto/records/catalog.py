"""The package's list of real Korean book titles (data/books.tsv) and look-alike pairs."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .text import compact, split_volume


@dataclass(frozen=True)
class Book:
    title: str
    author: str
    category: str


@dataclass(frozen=True)
class LookalikePair:
    a: Book
    b: Book
    kind: str


def _rows(name: str) -> list[dict[str, str]]:
    try:
        text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@lru_cache(maxsize=1)
def load_books() -> tuple[Book, ...]:
    return tuple(
        Book(r["title"].strip(), r["author"].strip(), r.get("category", "").strip())
        for r in _rows("books.tsv")
        if r.get("title")
    )


@lru_cache(maxsize=1)
def load_lookalikes() -> tuple[LookalikePair, ...]:
    out = []
    for r in _rows("lookalikes.tsv"):
        if not r.get("title_a"):
            continue
        out.append(
            LookalikePair(
                Book(r["title_a"].strip(), r["author_a"].strip(), ""),
                Book(r["title_b"].strip(), r["author_b"].strip(), ""),
                r.get("kind", "").strip(),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def known_compact_titles() -> frozenset[str]:
    """Compact forms of catalogue titles (volume removed), used to keep '총, 균, 쇠' in one piece."""
    return frozenset(compact(split_volume(b.title)[0]) for b in load_books())


@lru_cache(maxsize=1)
def load_subtitles() -> dict[tuple[str, str], str]:
    """(title, author) -> the book's subtitle, hand-written (data/subtitles.tsv)."""
    return {
        (r["title"].strip(), r["author"].strip()): r["subtitle"].strip()
        for r in _rows("subtitles.tsv")
        if r.get("title") and r.get("subtitle")
    }
