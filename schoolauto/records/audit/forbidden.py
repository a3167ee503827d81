"""Forbidden entries found on Kiwi morphemes: words, words close together, patterns, institutions.

A word is matched on the concatenated morpheme forms of consecutive tokens, starting and ending on
token boundaries: particles and endings are their own tokens, so '토익에서', 'TOEIC을' and
'텝스(TEPS) 성적을' all contain the word, while spacing inside a word does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError
from .nlp import Tok
from .rules import Rule

_CONTENT_SKIP = ("J", "E", "S", "XS", "VCP", "XPN")
_COMPOUNDS = -1  # key of the long noun tokens in a sentence's hits
_NOUNISH = {"NNP", "NNG", "SL", "SH", "SN", "NR"}


@dataclass(frozen=True)
class Match:
    rule: str
    start: int  # character offsets in the text
    end: int


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s).casefold()


class _Lexicon:
    """Every word of every rule in one prefix table, so a sentence is scanned once for all of them."""

    def __init__(self) -> None:
        self.keys: dict[str, set[int]] = {}
        self.prefixes: set[str] = set()
        self.sets = 0

    def add(self, keys: set[str]) -> int:
        sid = self.sets
        self.sets += 1
        for k in keys:
            self.keys.setdefault(k, set()).add(sid)
            self.prefixes.update(k[:i] for i in range(1, len(k) + 1))
        return sid

    def scan(self, toks: Sequence[Tok]) -> dict[int, list[tuple[int, int]]]:
        """Word set id -> (first token, last token) of its longest match at each start."""
        out: dict[int, dict[int, int]] = {}
        n = len(toks)
        keys, prefixes = self.keys, self.prefixes
        for i in range(n):
            s = ""
            for j in range(i, n):
                s += toks[j].form
                if s not in prefixes:
                    break
                for sid in keys.get(s, ()):
                    out.setdefault(sid, {})[i] = j
        hits = {sid: sorted(d.items()) for sid, d in out.items()}
        # compound nouns long enough to hide a word inside ('한국수학올림피아드'), looked into once
        hits[_COMPOUNDS] = [(i, i) for i, t in enumerate(toks) if len(t.form) > 4 and t.tag.startswith("NN")]
        return hits


class _WordSet:
    """Words as keys of concatenated morpheme forms, searchable from any token."""

    def __init__(self, words: Iterable[str], kiwi: Any, lexicon: _Lexicon) -> None:
        self.keys: set[str] = set()
        words = [w for w in words if w.strip()]
        if words:
            for w, toks in zip(words, kiwi.tokenize(words), strict=True):
                self.keys.add("".join(t.form for t in toks).casefold())
                self.keys.add(_compact(w))
        self.keys.discard("")
        self.id = lexicon.add(self.keys)
        # long words are also found inside one compound noun token ('한국수학올림피아드')
        long = sorted((k for k in self.keys if len(k) >= 4 and not k.isascii()), key=len, reverse=True)
        self.inner = re.compile("|".join(map(re.escape, long))) if long else None

    def find(self, toks: Sequence[Tok], hits: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
        """(first token, last token) of every occurrence, longest at each start."""
        out = hits.get(self.id, [])
        if self.inner is None:
            return out
        compounds = hits.get(_COMPOUNDS)
        if not compounds:
            return out
        starts = {i for i, _ in out}
        extra = [(i, i) for i, _ in compounds if i not in starts and self.inner.search(toks[i].form)]
        return sorted(out + extra) if extra else out


@dataclass
class _NearSet:
    a: _WordSet
    b: _WordSet
    window: int
    a_first: bool
    a_then: frozenset[str]


class RuleMatcher:
    """One rule compiled against a Kiwi instance."""

    def __init__(self, rule: Rule, kiwi: Any, lexicon: _Lexicon) -> None:
        self.rule = rule
        self.words = _WordSet(rule.words, kiwi, lexicon)
        self.near = [
            _NearSet(
                _WordSet(n.a, kiwi, lexicon),
                _WordSet(n.b, kiwi, lexicon),
                n.window,
                n.order == "a_first",
                frozenset(n.a_then),
            )
            for n in rule.near
        ]
        try:
            self.patterns = [re.compile(p) for p in rule.patterns]
        except re.error as exc:
            raise ConfigError(f"규칙 {rule.id} 의 정규식이 올바르지 않습니다 ({exc})", field="rules") from exc
        self.exceptions = _WordSet(rule.exceptions, kiwi, lexicon)
        self.unless = _WordSet(rule.sentence_unless, kiwi, lexicon)
        self.suffixes = {s.casefold() for s in rule.suffixes}
        self.generic = {_compact(g) for g in rule.generic}

    def sentence_spans(
        self, text: str, toks: Sequence[Tok], hits: dict[int, list[tuple[int, int]]]
    ) -> list[tuple[int, int]]:
        """Character spans this rule finds in one sentence (before merging)."""
        if self.unless.keys and self.unless.find(toks, hits):
            return []
        here: list[tuple[int, int]] = [(toks[i].start, toks[j].end) for i, j in self.words.find(toks, hits)]
        for ns in self.near:
            here.extend(self._near(ns, toks, hits))
        if self.suffixes:
            here.extend(self._institutions(toks))
        if self.patterns:
            lo, hi = toks[0].start, toks[-1].end
            for p in self.patterns:
                for m in p.finditer(text, lo, hi):
                    here.append((m.start(), m.end()))
        if here and self.exceptions.keys:
            cover = [(toks[i].start, toks[j].end) for i, j in self.exceptions.find(toks, hits)]
            here = [s for s in here if not any(s[0] < ce and cs < s[1] for cs, ce in cover)]
        return here

    def _near(
        self, ns: _NearSet, toks: Sequence[Tok], hits: dict[int, list[tuple[int, int]]]
    ) -> list[tuple[int, int]]:
        a_hits = ns.a.find(toks, hits)
        if not a_hits:
            return []
        b_hits = ns.b.find(toks, hits)
        if not b_hits:
            return []
        content = [0] * (len(toks) + 1)  # content[k] = content tokens before k
        for k, t in enumerate(toks):
            content[k + 1] = content[k] + (0 if t.tag.startswith(_CONTENT_SKIP) else 1)
        out = []
        for ai, aj in a_hits:
            for bi, bj in b_hits:
                if bi > aj:
                    gap = content[bi] - content[aj + 1]
                    if ns.a_then and bi != aj + 1 and toks[aj + 1].form not in ns.a_then:
                        continue
                elif not ns.a_first and bj < ai:
                    gap = content[ai] - content[bj + 1]
                else:
                    continue
                if gap < ns.window:
                    out.append((min(toks[ai].start, toks[bi].start), max(toks[aj].end, toks[bj].end)))
        return out

    def _institutions(self, toks: Sequence[Tok]) -> list[tuple[int, int]]:
        out = []
        for i, t in enumerate(toks):
            if t.form in self.suffixes:
                k = i
                while k > 0 and toks[k - 1].tag in _NOUNISH and toks[k - 1].end == toks[k].start:
                    k -= 1
                if k == i:
                    continue
                prefix = "".join(x.form for x in toks[k:i])
                proper = any(x.tag in ("NNP", "SL") for x in toks[k:i])
                if not (proper or t.form in ("학원", "어학원", "대학교")):
                    continue
                if (
                    prefix in self.generic
                    or all(x.form in self.generic for x in toks[k:i])
                    or prefix.isdigit()
                ):
                    continue
                out.append((toks[k].start, t.end))
            elif t.tag == "NNP":
                for suf in self.suffixes:
                    if t.form.endswith(suf) and len(t.form) > len(suf):
                        prefix = t.form[: -len(suf)]
                        if prefix not in self.generic:
                            out.append((t.start, t.end))
                        break
        return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class ForbiddenChecker:
    def __init__(self, rules: Sequence[Rule], kiwi: Any) -> None:
        self.lexicon = _Lexicon()
        self.matchers = [RuleMatcher(r, kiwi, self.lexicon) for r in rules]

    def check(self, text: str, sents: Sequence[Sequence[Tok]], fld: str, year: int | None) -> list[Match]:
        active = [m for m in self.matchers if m.rule.applies(fld, year)]
        spans: dict[str, list[tuple[int, int]]] = {}
        for toks in sents:
            if not toks:
                continue
            hits = self.lexicon.scan(toks)
            for m in active:
                found = m.sentence_spans(text, toks, hits)
                if found:
                    spans.setdefault(m.rule.id, []).extend(found)
        out = [Match(rule, s, e) for rule, found in spans.items() for s, e in _merge(found)]
        return sorted(out, key=lambda x: (x.start, x.rule))
