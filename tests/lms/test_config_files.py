"""`schoolauto.config.read_config`: Notepad encodings, bare Korean keys, Korean errors with the line,
and every TOML example in the LMS docs parses as written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schoolauto.config import parse_config, quote_bare_keys, read_config
from schoolauto.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = '[lms.우리학교]\ndriver = "kolibri"  # 드라이버\nclasses = [\n  "2학년 1반",\n]\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_notepad_encodings(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "schoolauto.toml"
    p.write_bytes(EXAMPLE.encode(encoding))
    assert read_config(p) == {"lms": {"우리학교": {"driver": "kolibri", "classes": ["2학년 1반"]}}}


def test_undecodable_file(tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_bytes(b"\xff\xfe\x00[\x00l\x00m\x00s\x00]" + bytes(range(128, 256)))
    with pytest.raises(ConfigError, match="UTF-8 이나 CP949 가 아닙니다"):
        read_config(p)


def test_only_bare_keys_are_quoted() -> None:
    text = (
        "[lms.우리학교]\n"
        '학교 = "a = b [lms.x]"\n'
        'note = """\n[lms.여기]\n가 = 1\n"""\n'
        "[lms.우리학교.옵션]\n"
        "x.가 = 1\n"
        'arr = [\n  "다 = 라",\n]\n'
        '"이미" = 2\n'
    )
    fixed = quote_bare_keys(text)
    assert fixed == (
        '[lms."우리학교"]\n'
        '"학교" = "a = b [lms.x]"\n'
        'note = """\n[lms.여기]\n가 = 1\n"""\n'
        '[lms."우리학교"."옵션"]\n'
        'x."가" = 1\n'
        'arr = [\n  "다 = 라",\n]\n'
        '"이미" = 2\n'
    )
    data = parse_config(text, "s.toml")
    assert data["lms"]["우리학교"]["note"] == "[lms.여기]\n가 = 1\n"
    assert data["lms"]["우리학교"]["학교"] == "a = b [lms.x]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lms.a]\ndriver = kolibri\n", "파일 s.toml, 2행: 설정 파일의 TOML 값이 잘못되었습니다"),
        ("[lms.a\n", "파일 s.toml, 1행: 설정 파일의 TOML 표 이름 끝에 ']' 가 없습니다"),
        ('a = "x\n', "파일 s.toml, 1행: 설정 파일의 TOML "),
        ("[lms.a]\n[lms.a]\n", "파일 s.toml, 2행: 설정 파일의 TOML 같은 표나 키가 두 번 나옵니다"),
    ],
)
def test_errors_are_korean_with_the_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "s.toml")
    assert str(info.value).startswith(message), str(info.value)
    assert not re.search(r"[A-Za-z]{4,} (at|statement|value)", str(info.value))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"[].\"'=#\n 가나abc1-_{},", "\r\n", '"""', "[lms.", "우리"]), max_size=40).map(
        "".join
    )
)
def test_reader_never_fails_other_than_config_error(text: str) -> None:
    try:
        data = parse_config(text, "s.toml")
    except ConfigError:
        return
    assert isinstance(data, dict)
    # accepted text either parses as TOML itself, or only after quoting bare keys
    try:
        assert tomllib.loads(text) == data
    except tomllib.TOMLDecodeError:
        assert tomllib.loads(quote_bare_keys(text)) == data


def toml_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path == ROOT / "README.md":
        text = text[text.index("<!-- lms:start -->") : text.index("<!-- lms:end -->")]
    return re.findall(r"```toml\n(.*?)```", text, re.S)


@pytest.mark.parametrize("doc", ["README.md", "docs/lms.md", "drivers/README.md"])
def test_every_toml_example_in_the_lms_docs_is_valid_toml(doc: str) -> None:
    blocks = toml_blocks(ROOT / doc)
    assert blocks or doc == "drivers/README.md"
    for block in blocks:
        tomllib.loads(block)  # as written: no reliance on the bare-key leniency


def test_docs_quote_korean_lms_names() -> None:
    """Examples (code blocks, help texts) quote Korean names; the prose may show the unquoted form."""
    for doc in ("README.md", "docs/lms.md", "schoolauto/lms/config.py"):
        code = "".join(re.findall(r"```.*?```", (ROOT / doc).read_text(encoding="utf-8"), re.S))
        assert code and not re.search(r"\[lms\.[^\]\"]*[가-힣]", code), doc


def lms_command_lines() -> list[str]:
    lines = []
    for doc in ("README.md", "docs/lms.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        if doc == "README.md":
            text = text[text.index("<!-- lms:start -->") : text.index("<!-- lms:end -->")]
        for block in re.findall(r"```(?:sh|cron|bat)\n(.*?)```", text, re.S):
            for line in block.splitlines():
                if "schoolauto" in line and " lms " in line and not line.lstrip().startswith("#"):
                    lines.append(line)
    return lines


def test_every_lms_command_in_the_docs_parses() -> None:
    """Each documented command line is accepted by the real parser (options exist, values fit)."""
    import shlex

    from schoolauto.cli import build_parser

    lines = lms_command_lines()
    assert len(lines) >= 10
    parser = build_parser()
    for line in lines:
        m = re.search(r"schoolauto(?:\.exe)? (lms .*)$", line.replace("\\", "/"))
        assert m, line
        rest = m.group(1).split("   #")[0].strip()
        if rest.count('"') % 2:  # the end of a quoted schtasks /TR argument
            rest = rest[: rest.rindex('"')]
        args = parser.parse_args(shlex.split(rest))
        assert args.handler is not None, line
