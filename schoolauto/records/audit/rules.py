"""Audit rules as data: NEIS byte limits and forbidden-entry rules, shipped and school-overridable."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import ConfigError
from ...fileio import os_reason
from ..reader import FIELDS

LEVELS = {"high": "고등학교", "middle": "중학교"}


def _load_toml(data: bytes, where: str, field_name: str) -> dict[str, Any]:
    for enc in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ConfigError("글자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949 로 저장하세요)", path=where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"규칙 파일 형식이 올바르지 않습니다 ({exc})", path=where) from exc


def _shipped(name: str) -> dict[str, Any]:
    data = resources.files("schoolauto.records").joinpath("data", name).read_bytes()
    return _load_toml(data, name, "rules")


def read_rules_file(path: str | Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError("규칙 파일이 없습니다", path=p) from exc
    except OSError as exc:
        raise ConfigError(f"규칙 파일을 열 수 없습니다 ({os_reason(exc)})", path=p) from exc
    doc = _load_toml(data, str(p), "rules")
    unknown = set(doc) - {"limits", "rule", "version"}
    if unknown:
        raise ConfigError(
            f"규칙 파일에 모르는 항목이 있습니다: {', '.join(sorted(unknown))}",
            path=p,
            hint="쓸 수 있는 항목: [limits], [[rule]]",
        )
    return doc


# --- Limits -------------------------------------------------------------------------------------


def byte_limits(
    year: int, level: str, overrides: dict[str, Any] | None = None, *, where: str = ""
) -> dict[str, int]:
    """The byte limit of every field for a school year and level, with a school's overrides applied."""
    table = _shipped("neis_limits.toml")
    limits: dict[str, int] | None = None
    for row in table.get("limit", []):
        lo, hi = row["years"]
        if lo <= year <= hi and row["level"] == level:
            limits = {k: int(v) for k, v in row["bytes"].items()}
            break
    if limits is None:
        raise ConfigError(
            f"{year}학년도 {LEVELS.get(level, level)}의 글자 수 제한 자료가 없습니다", field="year"
        )
    for key, value in (overrides or {}).items():
        if key not in FIELDS:
            raise ConfigError(
                f"[limits] 의 '{key}' 는 모르는 영역입니다",
                path=where or None,
                hint=f"영역: {', '.join(FIELDS)}",
            )
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"[limits] {key} 는 0보다 큰 정수(바이트)여야 합니다", path=where or None)
        limits[key] = value
    return limits


# --- Forbidden-entry rules ----------------------------------------------------------------------


@dataclass
class Near:
    a: list[str]
    b: list[str]
    window: int = 3
    order: str = "any"  # "any" | "a_first"
    a_then: list[str] = field(default_factory=list)


@dataclass
class Rule:
    id: str
    name: str
    message: str
    fields: list[str] = field(default_factory=list)  # empty: every field
    years: tuple[int, int] | None = None
    words: list[str] = field(default_factory=list)
    near: list[Near] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    sentence_unless: list[str] = field(default_factory=list)
    enabled: bool = True

    def applies(self, fld: str, year: int | None) -> bool:
        if self.fields and fld not in self.fields:
            return False
        return not (self.years and year is not None and not self.years[0] <= year <= self.years[1])


_LIST_KEYS = ("fields", "words", "patterns", "exceptions", "sentence_unless")
_KNOWN = {"id", "name", "message", "years", "near", "institution", "enabled", *_LIST_KEYS} | {
    f"add_{k}" for k in _LIST_KEYS
}


def _strings(value: Any, key: str, rid: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"규칙 {rid} 의 {key} 는 문자열 목록이어야 합니다", path=where or None)
    return list(value)


def _apply(rule: Rule, spec: dict[str, Any], where: str) -> None:
    rid = rule.id
    unknown = set(spec) - _KNOWN
    if unknown:
        raise ConfigError(
            f"규칙 {rid} 에 모르는 항목이 있습니다: {', '.join(sorted(unknown))}", path=where or None
        )
    for key in ("name", "message"):
        if key in spec:
            setattr(rule, key, str(spec[key]))
    if "enabled" in spec:
        rule.enabled = bool(spec["enabled"])
    if "years" in spec:
        y = spec["years"]
        if not (isinstance(y, list) and len(y) == 2 and all(isinstance(v, int) for v in y)):
            raise ConfigError(f"규칙 {rid} 의 years 는 [처음, 끝] 두 정수여야 합니다", path=where or None)
        rule.years = (y[0], y[1])
    for key in _LIST_KEYS:
        if key in spec:
            setattr(rule, key, _strings(spec[key], key, rid, where))
        if f"add_{key}" in spec:
            getattr(rule, key).extend(_strings(spec[f"add_{key}"], f"add_{key}", rid, where))
    for f in rule.fields:
        if f not in FIELDS:
            raise ConfigError(f"규칙 {rid} 의 fields 에 모르는 영역 '{f}' 가 있습니다", path=where or None)
    if "near" in spec:
        rule.near = [
            Near(
                a=_strings(n.get("a", []), "near.a", rid, where),
                b=_strings(n.get("b", []), "near.b", rid, where),
                window=int(n.get("window", 3)),
                order=str(n.get("order", "any")),
                a_then=_strings(n.get("a_then", []), "near.a_then", rid, where),
            )
            for n in spec["near"]
        ]
    if "institution" in spec:
        inst = spec["institution"]
        rule.suffixes = _strings(inst.get("suffixes", []), "institution.suffixes", rid, where)
        rule.generic = _strings(inst.get("generic", []), "institution.generic", rid, where)


def load_rules(path: str | Path | None = None, *, school: dict[str, Any] | None = None) -> list[Rule]:
    """The shipped rules with a school's rules file merged over them (same id: keys replace, `add_…`
    keys append, `enabled = false` switches a rule off; new ids are added)."""
    shipped = _shipped("forbidden_rules.toml")
    rules: dict[str, Rule] = {}
    for spec in shipped.get("rule", []):
        r = Rule(id=spec["id"], name="", message="")
        _apply(r, spec, "forbidden_rules.toml")
        rules[r.id] = r
    doc = school if school is not None else read_rules_file(path)
    where = str(path or "")
    for spec in doc.get("rule", []):
        rid = spec.get("id")
        if not isinstance(rid, str) or not rid:
            raise ConfigError("규칙마다 id 가 있어야 합니다", path=where or None)
        if rid not in rules:
            if "name" not in spec or "message" not in spec:
                raise ConfigError(f"새 규칙 {rid} 에는 name 과 message 가 있어야 합니다", path=where or None)
            rules[rid] = Rule(id=rid, name="", message="")
        _apply(rules[rid], spec, where)
    return [r for r in rules.values() if r.enabled]
