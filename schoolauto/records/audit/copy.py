"""Sentences pasted into several students' texts: MinHash/LSH candidates, then exact similarity.

A sentence is its set of content morphemes (nouns, verbs, adjectives, adverbs, foreign words and
numbers; not particles, endings, punctuation or proper nouns, so spacing, particles and a changed
student name do not matter). Two sentences of different students in the same kind of field are
copies when the Jaccard similarity of those sets reaches the threshold. Candidates come from
MinHash signatures split into bands (LSH): no pair of sentences is compared unless one band agrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .nlp import Tok

_HANGUL = re.compile(r"[가-힣]")
_SKIP = ("J", "E", "S", "XS", "VCP", "XPN", "NNP", "W", "UN", "Z")
_BANDS, _ROWS = 32, 4
_PRIME = np.uint64(4294967311)


def hangul_count(text: str) -> int:
    return len(_HANGUL.findall(text))


@dataclass(frozen=True)
class SentenceRef:
    text_index: int  # index of the text in the job's list
    start: int
    end: int
    identity: tuple[str, ...]  # student key
    group: str  # kind of field compared together
    compact: str  # Hangul and letters only, for telling identical from near copies


@dataclass(frozen=True)
class CopyPair:
    a: int  # sentence indices, a < b
    b: int
    similarity: float


class CopyIndex:
    def __init__(self, min_syllables: int = 30, threshold: float = 0.6) -> None:
        self.min_syllables = min_syllables
        self.threshold = threshold
        self.refs: list[SentenceRef] = []
        self.features: list[frozenset[str]] = []
        self.syllables: list[int] = []
        self.exact_checks = 0
        self.candidates = 0

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
        for toks in sents:
            if not toks:
                continue
            start, end = toks[0].start, toks[-1].end
            span = text[start:end]
            n = hangul_count(span)
            if n < floor:
                continue
            feats = frozenset(t.form for t in toks if not t.tag.startswith(_SKIP) and t.form != name_cf)
            if len(feats) < 3:
                continue
            self.refs.append(
                SentenceRef(text_index, start, end, identity, group, re.sub(r"[^가-힣A-Za-z0-9]", "", span))
            )
            self.features.append(feats)
            self.syllables.append(n)

    def _signatures(self) -> np.ndarray:
        n = len(self.features)
        lengths = np.fromiter((len(f) for f in self.features), dtype=np.int64, count=n)
        flat = np.fromiter(
            (hash(x) & 0xFFFFFFFF for f in self.features for x in f),
            dtype=np.uint64,
            count=int(lengths.sum()),
        )
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        rng = np.random.default_rng(20260301)
        perms = _BANDS * _ROWS
        a = rng.integers(1, 2**31, size=perms, dtype=np.uint64)
        b = rng.integers(0, 2**31, size=perms, dtype=np.uint64)
        sig = np.empty((n, perms), dtype=np.uint32)  # (mod a prime just above 2**32: truncation is harmless)
        for k in range(0, perms, 8):
            h = (a[k : k + 8, None] * flat[None, :] + b[k : k + 8, None]) % _PRIME
            sig[:, k : k + 8] = (np.minimum.reduceat(h, offsets, axis=1).T & np.uint64(0xFFFFFFFF)).astype(
                np.uint32
            )
        return sig

    def pairs(self) -> list[CopyPair]:
        n = len(self.refs)
        if n < 2:
            return []
        sig = self._signatures()
        groups = {g: i for i, g in enumerate(sorted({r.group for r in self.refs}))}
        gid = np.fromiter((groups[r.group] for r in self.refs), dtype=np.uint64, count=n)
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
        if not found:
            return []
        codes = np.unique(np.concatenate(found))
        ident = {r.identity: k for k, r in enumerate({r.identity: r for r in self.refs}.values())}
        who = np.fromiter((ident[r.identity] for r in self.refs), dtype=np.int64, count=n)
        syl = np.asarray(self.syllables, dtype=np.int64)
        out = []
        feats, refs = self.features, self.refs
        self.candidates = len(codes)
        for chunk in range(0, len(codes), 50_000):
            block = codes[chunk : chunk + 50_000]
            ia, ib = block // n, block % n
            keep = (who[ia] != who[ib]) & (np.maximum(syl[ia], syl[ib]) >= self.min_syllables)
            ia, ib = ia[keep], ib[keep]
            # MinHash estimate first (cheap, vectorised); the exact Jaccard only near the threshold
            est = (sig[ia] == sig[ib]).mean(axis=1)
            near = est >= self.threshold - 0.2
            self.exact_checks += int(near.sum())
            for i, j in zip(ia[near].tolist(), ib[near].tolist(), strict=True):
                fi, fj = feats[i], feats[j]
                inter = len(fi & fj)
                sim = inter / (len(fi) + len(fj) - inter)
                if sim >= self.threshold or refs[i].compact == refs[j].compact:
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
