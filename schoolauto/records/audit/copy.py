"""Sentences pasted into several students' texts: MinHash/LSH candidates, then exact similarity.

A sentence is its set of content morphemes (nouns, verbs, adjectives, adverbs, foreign words and
numbers; not particles, endings, punctuation or proper nouns, so spacing, particles and a changed
student name do not matter). Two sentences of different students in the same kind of field are
copies when the Jaccard similarity of those sets reaches the threshold. Candidates come from
MinHash signatures split into bands (LSH): no pair of sentences is compared unless one band agrees.
Sentences are kept as flat arrays of feature hashes and offsets, so a whole school stays small.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .nlp import Tok

_HANGUL = re.compile(r"[가-힣]")
_NOT_WORD = re.compile(r"[^가-힣A-Za-z0-9]")
_SKIP = ("J", "E", "S", "XS", "VCP", "XPN", "NNP", "W", "UN", "Z")
_BANDS, _ROWS = 32, 4
_PRIME = np.uint64(4294967311)
_CHUNK = 20_000


def hangul_count(text: str) -> int:
    return len(_HANGUL.findall(text))


@dataclass(frozen=True)
class SentenceRef:
    text_index: int  # index of the text in the job's list
    start: int
    end: int
    identity: tuple[str, ...]  # student key
    group: str  # kind of field compared together
    identical_key: int  # hash of the sentence's letters and digits: equal means written identically


@dataclass(frozen=True)
class CopyPair:
    a: int  # sentence indices, a < b
    b: int
    similarity: float


class CopyIndex:
    def __init__(self, min_syllables: int = 30, threshold: float = 0.6) -> None:
        self.min_syllables = min_syllables
        self.threshold = threshold
        self._flat = array("I")  # feature hashes of every sentence, one after another
        self._offsets = array("q", [0])
        self._text = array("i")
        self._start = array("i")
        self._end = array("i")
        self._who = array("i")
        self._group = array("i")
        self._same = array("q")
        self._syllables = array("i")
        self._identities: dict[tuple[str, ...], int] = {}
        self._groups: dict[str, int] = {}
        self.exact_checks = 0
        self.candidates = 0

    def __len__(self) -> int:
        return len(self._text)

    @property
    def refs(self) -> list[SentenceRef]:
        identities = {v: k for k, v in self._identities.items()}
        groups = {v: k for k, v in self._groups.items()}
        return [
            SentenceRef(
                self._text[i],
                self._start[i],
                self._end[i],
                identities[self._who[i]],
                groups[self._group[i]],
                self._same[i],
            )
            for i in range(len(self))
        ]

    def add_text(
        self,
        text_index: int,
        text: str,
        sents: Sequence[Sequence[Tok]],
        identity: tuple[str, ...],
        group: str,
        name: str,
    ) -> None:
        floor = int(self.min_syllables * 0.8)
        name_cf = name.casefold()
        who = self._identities.setdefault(identity, len(self._identities))
        gid = self._groups.setdefault(group, len(self._groups))
        for toks in sents:
            if not toks:
                continue
            start, end = toks[0].start, toks[-1].end
            span = text[start:end]
            n = hangul_count(span)
            if n < floor:
                continue
            feats = {
                hash(t.form) & 0xFFFFFFFF for t in toks if not t.tag.startswith(_SKIP) and t.form != name_cf
            }
            if len(feats) < 3:
                continue
            self._flat.extend(sorted(feats))
            self._offsets.append(len(self._flat))
            self._text.append(text_index)
            self._start.append(start)
            self._end.append(end)
            self._who.append(who)
            self._group.append(gid)
            self._same.append(hash(_NOT_WORD.sub("", span)))
            self._syllables.append(n)

    def _features(self, i: int) -> set[int]:
        return set(self._flat[self._offsets[i] : self._offsets[i + 1]])

    def _signatures(self) -> np.ndarray:
        n = len(self)
        flat = np.frombuffer(self._flat, dtype=np.uint32).astype(np.uint64)
        offsets = np.frombuffer(self._offsets, dtype=np.int64)[:-1]
        rng = np.random.default_rng(20260301)
        perms = _BANDS * _ROWS
        a = rng.integers(1, 2**31, size=perms, dtype=np.uint64)
        b = rng.integers(0, 2**31, size=perms, dtype=np.uint64)
        sig = np.empty((n, perms), dtype=np.uint32)  # (mod a prime just above 2**32: truncation is harmless)
        for k in range(0, perms, 4):
            h = (a[k : k + 4, None] * flat[None, :] + b[k : k + 4, None]) % _PRIME
            sig[:, k : k + 4] = (np.minimum.reduceat(h, offsets, axis=1).T & np.uint64(0xFFFFFFFF)).astype(
                np.uint32
            )
        return sig

    def _candidates(self, sig: np.ndarray) -> np.ndarray:
        """Codes i * n + j (i < j) of sentence pairs that agree on at least one band."""
        n = len(self)
        gid = np.frombuffer(self._group, dtype=np.int32).astype(np.uint64)
        found: list[np.ndarray] = []
        mult = np.uint64(0x9E3779B97F4A7C15)
        for band in range(_BANDS):
            key = gid * mult
            for c in range(band * _ROWS, (band + 1) * _ROWS):
                key = (key ^ sig[:, c].astype(np.uint64)) * mult
            order = np.argsort(key, kind="stable")
            ks = key[order]
            starts = np.flatnonzero(np.concatenate(([True], ks[1:] != ks[:-1])))
            sizes = np.diff(np.concatenate((starts, [n])))
            for size in np.unique(sizes[sizes > 1]).tolist():
                first = starts[sizes == size]
                members = np.sort(order[first[:, None] + np.arange(size)], axis=1).astype(np.int64)
                i, j = np.triu_indices(size, k=1)
                found.append((members[:, i] * n + members[:, j]).ravel())
            if len(found) > 64:  # keep the candidate lists short while the bands are walked
                found = [np.unique(np.concatenate(found))]
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found))

    def pairs(self) -> list[CopyPair]:
        n = len(self)
        if n < 2:
            return []
        sig = self._signatures()
        codes = self._candidates(sig)
        self.candidates = len(codes)
        who = np.frombuffer(self._who, dtype=np.int32)
        syl = np.frombuffer(self._syllables, dtype=np.int32)
        out = []
        same = self._same
        for chunk in range(0, len(codes), _CHUNK):
            block = codes[chunk : chunk + _CHUNK]
            ia, ib = block // n, block % n
            keep = (who[ia] != who[ib]) & (np.maximum(syl[ia], syl[ib]) >= self.min_syllables)
            ia, ib = ia[keep], ib[keep]
            # MinHash estimate first (cheap, vectorised); the exact Jaccard only near the threshold
            est = (sig[ia] == sig[ib]).mean(axis=1)
            near = est >= self.threshold - 0.2
            self.exact_checks += int(near.sum())
            for i, j in zip(ia[near].tolist(), ib[near].tolist(), strict=True):
                fi, fj = self._features(i), self._features(j)
                inter = len(fi & fj)
                sim = inter / (len(fi) + len(fj) - inter)
                if sim >= self.threshold or same[i] == same[j]:
                    out.append(CopyPair(i, j, sim))
        return out


def components(n: int, pairs: Sequence[CopyPair]) -> list[int]:
    """Union-find root of every sentence over the copy pairs."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]
