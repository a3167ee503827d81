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
_NOUNISH = {"NNP", "NNG", "SL", "SH", "SN", "NR"}


@dataclass(frozen=True)
class Match:
    rule: str
    start: int  # character offsets in the text
    end: int


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s).casefold()


class _WordSet:
    """Words as keys of concatenated morpheme forms, searchable from any token."""

    def __init__(self, words: Iterable[str], kiwi: Any) -> None:
        self.keys: set[str] = set()
        words = [w for w in words if w.strip()]
        if words:
            for w, toks in zip(words, kiwi.tokenize(words), strict=True):
                self.keys.add("".join(t.form for t in toks).casefold())
                self.keys.add(_compact(w))
        self.keys.discard("")
        # long words are also found inside one compound noun token ('한국수학올림피아드')
        long = sorted((k for k in self.keys if len(k) >= 4 and not k.isascii()), key=len, reverse=True)
        self.inner = re.compile("|".join(map(re.escape, long))) if long else None
        self.prefixes = {k[:i] for k in self.keys for i in range(1, len(k) + 1)}

    def find(self, toks: Sequence[Tok]) -> list[tuple[int, int]]:
        """(first token, last token) of every occurrence, longest at each start."""
        out = []
        n = len(toks)
        for i in range(n):
            s = ""
            best = -1
            for j in range(i, n):
                s += toks[j].form
                if s not in self.prefixes:
                    break
                if s in self.keys:
                    best = j
            if best >= 0:
                out.append((i, best))
            elif self.inner is not None and toks[i].tag.startswith("NN") and len(toks[i].form) > 4:
                if self.inner.search(toks[i].form):
                    out.append((i, i))
        return out


@dataclass
class _NearSet:
    a: _WordSet
    b: _WordSet
    window: int
    a_first: bool
    a_then: frozenset[str]


class RuleMatcher:
    """One rule compiled against a Kiwi instance."""

    def __init__(self, rule: Rule, kiwi: Any) -> None:
        self.rule = rule
        self.words = _WordSet(rule.words, kiwi)
        self.near = [
            _NearSet(
                _WordSet(n.a, kiwi), _WordSet(n.b, kiwi), n.window, n.order == "a_first", frozenset(n.a_then)
            )
            for n in rule.near
        ]
        try:
            self.patterns = [re.compile(p) for p in rule.patterns]
        except re.error as exc:
            raise ConfigError(f"규칙 {rule.id} 의 정규식이 올바르지 않습니다 ({exc})", field="rules") from exc
        self.exceptions = _WordSet(rule.exceptions, kiwi)
        self.unless = _WordSet(rule.sentence_unless, kiwi)
        self.suffixes = {s.casefold() for s in rule.suffixes}
        self.generic = {_compact(g) for g in rule.generic}

    def matches(self, text: str, sents: Sequence[Sequence[Tok]]) -> list[Match]:
        spans: list[tuple[int, int]] = []
        for toks in sents:
            if not toks:
                continue
            if self.unless.keys and self.unless.find(toks):
                continue
            here: list[tuple[int, int]] = []
            for i, j in self.words.find(toks):
                here.append((toks[i].start, toks[j].end))
            for ns in self.near:
                here.extend(self._near(ns, toks))
            if self.suffixes:
                here.extend(self._institutions(toks))
            lo, hi = toks[0].start, toks[-1].end
            for p in self.patterns:
                for m in p.finditer(text, lo, hi):
                    here.append((m.start(), m.end()))
            if here and self.exceptions.keys:
                cover = [(toks[i].start, toks[j].end) for i, j in self.exceptions.find(toks)]
                here = [s for s in here if not any(s[0] < ce and cs < s[1] for cs, ce in cover)]
            spans.extend(here)
        return [Match(self.rule.id, s, e) for s, e in _merge(spans)]

    def _near(self, ns: _NearSet, toks: Sequence[Tok]) -> list[tuple[int, int]]:
        a_hits = ns.a.find(toks)
        if not a_hits:
            return []
        b_hits = ns.b.find(toks)
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
        self.matchers = [RuleMatcher(r, kiwi) for r in rules]

    def check(self, text: str, sents: Sequence[Sequence[Tok]], fld: str, year: int | None) -> list[Match]:
        out: list[Match] = []
        for m in self.matchers:
            if m.rule.applies(fld, year):
                out.extend(m.matches(text, sents))
        return sorted(out, key=lambda x: (x.start, x.rule))
