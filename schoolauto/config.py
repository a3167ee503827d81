"""Reading a TOML settings file the way teachers save it.

Windows Notepad saves UTF-8 with a byte-order mark, or CP949 ("ANSI" on a Korean Windows); both are
read. TOML wants a non-ASCII table name or key quoted (`[lms."우리학교"]`); what teachers type anyway
(`[lms.우리학교]`, `학교 = ...`) is accepted by quoting exactly those bare keys and parsing again — a
quoted key means what the bare one was meant to, and nothing else in the file is touched. Any other
mistake is one Korean message naming the file and the line.
"""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .fileio import os_reason

log = logging.getLogger(__name__)

ENCODINGS = ("utf-8", "cp949")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_HEADER = re.compile(r"^(\s*)(\[\[?)([^\[\]]+?)(\]\]?)(\s*(?:#.*)?)$")
_KEY = re.compile(r"^(\s*)([^\s=\"'#\[][^=\"'#]*?)(\s*=.*)$", re.DOTALL)
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")
_REASONS = {  # tomllib's messages in Korean (the rest: "문법이 틀렸습니다")
    "Invalid statement": "알아볼 수 없는 줄입니다",
    "Expected '=' after a key in a key/value pair": "키 다음에 '=' 가 있어야 합니다",
    "Invalid value": '값이 잘못되었습니다 (글자는 "따옴표" 안에 쓰세요)',
    "Invalid initial character for a key part": "키가 잘못된 글자로 시작합니다",
    "Cannot declare": "같은 표나 키가 두 번 나옵니다",
    "Cannot overwrite a value": "같은 키가 두 번 나옵니다",
    "Unterminated string": "따옴표가 닫히지 않았습니다",
    "Expected ']' at the end of a table declaration": "표 이름 끝에 ']' 가 없습니다",
    "Illegal character": "쓸 수 없는 글자가 있습니다",
}


def decode_config(data: bytes, path: str | Path) -> str:
    """Text of a settings file: UTF-8 (with or without BOM), else CP949."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigError(
        "설정 파일의 글자를 읽을 수 없습니다 (UTF-8 이나 CP949 가 아닙니다)",
        path=path,
        hint="메모장에서 '다른 이름으로 저장' → 인코딩 UTF-8 로 저장하세요",
    )


def _quote_part(part: str) -> str:
    stripped = part.strip()
    if not stripped or _BARE.match(stripped) or stripped[0] in "\"'":
        return part
    if any(ch in stripped for ch in "\"'\\\n\t ") or any(ord(ch) < 0x20 for ch in stripped):
        return part  # not a plain word: leave it for the parser to reject
    return part.replace(stripped, f'"{stripped}"')


def _quote_path(key: str) -> str:
    if any(ch in key for ch in "\"'"):
        return key  # already (partly) quoted: dotted splitting would be unsafe
    return ".".join(_quote_part(p) for p in key.split("."))


def quote_bare_keys(text: str) -> str:
    """`text` with bare non-ASCII keys in table headers and key positions quoted; values untouched."""
    out: list[str] = []
    in_multiline: str | None = None
    depth = 0  # inside a multi-line array or inline table (values, never keys)
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        if in_multiline:
            if body.count(in_multiline) % 2 == 1:
                in_multiline = None
            out.append(line)
            continue
        if depth == 0:
            m = _HEADER.match(body)
            if m:
                body = m.group(1) + m.group(2) + _quote_path(m.group(3)) + m.group(4) + m.group(5)
            else:
                k = _KEY.match(body)
                if k:
                    body = (
                        k.group(1) + _quote_path(k.group(2).rstrip()) + k.group(2)[len(k.group(2).rstrip()) :]
                    )
                    body += k.group(3)
        value = body.split("=", 1)[1] if "=" in body and depth == 0 else body
        for quote in ('"""', "'''"):
            if value.count(quote) % 2 == 1:
                in_multiline = quote
        plain = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'|#.*$', "", value)
        depth = max(0, depth + plain.count("[") + plain.count("{") - plain.count("]") - plain.count("}"))
        if _HEADER.match(line.rstrip("\r\n")) and depth:
            depth = 0
        out.append(body + end)
    return "".join(out)


def _error(exc: tomllib.TOMLDecodeError, path: str | Path, text: str) -> ConfigError:
    message = str(exc)
    m = _WHERE.search(message)
    row = int(m.group(1)) if m else None
    reason = next((ko for en, ko in _REASONS.items() if message.startswith(en)), "문법이 틀렸습니다")
    lines = text.splitlines()
    shown = ""
    if row is not None and 0 < row <= len(lines) and lines[row - 1].strip():
        snippet = lines[row - 1].strip()
        shown = f": {snippet[:60]}{'…' if len(snippet) > 60 else ''}"
    return ConfigError(
        f"설정 파일의 TOML {reason}{shown}",
        path=path,
        row=row,
        hint='글자 값은 "따옴표" 안에, 표 이름은 [lms."우리학교"] 처럼 쓰세요',
    )


def parse_config(text: str, path: str | Path) -> dict[str, Any]:
    """Parse TOML text; bare non-ASCII keys are quoted and the text parsed again."""
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml")):
        raise ConfigError(
            "TOML 설정 파일이 아니라 웹 페이지(HTML)나 XML 입니다",
            path=path,
            hint="메모장으로 schoolauto.toml 을 새로 만드세요 (README 의 예를 보세요)",
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        first = exc
    fixed = quote_bare_keys(text)
    if fixed != text:
        try:
            data = tomllib.loads(fixed)
        except tomllib.TOMLDecodeError:
            pass
        else:
            log.info("설정 파일의 따옴표 없는 한글 키를 따옴표로 감싸 읽었습니다: %s", Path(path).name)
            return data
    raise _error(first, path, text) from None


def read_config(path: str | Path) -> dict[str, Any]:
    """A TOML settings file as a dict (UTF-8, UTF-8 with BOM or CP949; bare Korean keys accepted)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError("설정 파일이 없습니다", path=p) from None
    except IsADirectoryError:
        raise ConfigError("설정 파일이 아니라 폴더입니다", path=p) from None
    except OSError as exc:
        raise ConfigError(f"설정 파일을 열 수 없습니다 ({os_reason(exc)})", path=p) from exc
    return parse_config(decode_config(data, p), p)


__all__ = ["decode_config", "parse_config", "quote_bare_keys", "read_config"]
