"""The compact form of a tokenised text that every audit check reads (Kiwi itself: `records.kiwi`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from ..kiwi import shared_kiwi

__all__ = ["Tok", "sentences", "shared_kiwi"]


@dataclass(frozen=True, slots=True)
class Tok:
    """A morpheme: its form (casefolded), tag, and character span in the text."""

    form: str
    tag: str
    start: int
    end: int


def _fold(form: str) -> str:
    """Case-folded, and full-width letters and digits made plain ('ＴＯＥＩＣ' -> 'toeic')."""
    return form.casefold() if form.isascii() else unicodedata.normalize("NFKC", form).casefold()


def sentences(kiwi_sents: list[list[Any]]) -> list[list[Tok]]:
    """Kiwi's tokens of one text split into sentences, as `Tok`s."""
    return [[Tok(_fold(t.form), t.tag, t.start, t.start + t.len) for t in sent] for sent in kiwi_sents]
