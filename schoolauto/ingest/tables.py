"""Turn a school file into rows of text, and find the columns a job needs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputFileError, MissingColumnsError, PasswordError, PasswordNeededError
from ..fileio import os_reason

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt"}
_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# Files people pick by mistake: a picture, a PDF, an HWP document (HWP 5 is CFB, caught by calamine).
_NOT_TABLES = {
    b"%PDF": "PDF",
    b"\x89PNG": "그림(PNG)",
    b"\xff\xd8\xff": "그림(JPEG)",
    b"GIF8": "그림(GIF)",
    b"HWP Document": "한글(HWP)",
}


@dataclass
class Sheet:
    """One sheet of a file as text. `rows[i]` is the file's row `i + 1`; empty cells are ''."""

    path: Path
    name: str | None
    rows: list[list[str]]
    encoding: str | None = None

    @property
    def label(self) -> str:
        return self.path.name if self.name is None else f"{self.path.name}:{self.name}"


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files given directly, plus the spreadsheet files inside given folders (sorted, no temp files)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SPREADSHEET_SUFFIXES
                and not f.name.startswith(("~$", ".~lock", "."))
            )
            if not found:
                raise InputFileError("폴더에 읽을 표 파일(xlsx, xls, csv)이 없습니다", path=p)
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputFileError("파일이 없습니다", path=p, hint="경로를 확인하세요")
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _decrypt(data: bytes, path: Path, password: str | None) -> bytes:
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        if not office.is_encrypted():
            return data
    except (FileFormatError, Exception) as exc:  # noqa: BLE001 - an unknown CFB file is not ours to read
        if isinstance(exc, FileFormatError):
            return data
        return data
    if not password:
        # The command maps the field `password` to its own way of asking (a flag, a widget).
        raise PasswordNeededError(
            "암호가 걸린 파일입니다",
            path=path,
            field="password",
            hint="환경변수 SCHOOLAUTO_INPUT_PASSWORD 에 암호를 넣어 주세요",
        )
    out = io.BytesIO()
    try:
        office.load_key(password=password)
        office.decrypt(out)
    except (InvalidKeyError, DecryptionError) as exc:
        raise PasswordError(
            "암호가 맞지 않습니다", path=path, field="password", hint="암호를 확인하세요"
        ) from exc
    except Exception as exc:
        raise InputFileError(f"암호를 풀 수 없는 파일입니다 ({type(exc).__name__})", path=path) from exc
    return out.getvalue()


def _read_calamine(data: bytes, path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in wb.sheet_names:
            ws = wb.get_sheet_by_name(name)
            rows = [[_cell_text(v) for v in row] for row in ws.to_python(skip_empty_area=False)]
            sheets.append(Sheet(path=path, name=name, rows=rows))
    except Exception as exc:
        raise InputFileError(
            "엑셀 파일을 읽을 수 없습니다: 파일이 손상되었거나 엑셀 형식이 아닙니다",
            path=path,
            hint="엑셀에서 열어 다른 이름으로(xlsx) 저장한 뒤 다시 시도하세요",
        ) from exc
    return sheets


class _HtmlTables(HTMLParser):
    """Tables in an HTML file saved as .xls (some school systems export this way)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self._cell)).strip()
            self._row.append(text)
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


_CONVERT_HINT = "엑셀에서 'CSV UTF-8' 형식으로 다시 저장하세요"


def _utf16_without_bom(data: bytes) -> str | None:
    """'UTF-16LE'/'UTF-16BE' when every other byte of the start is mostly NUL (text saved as UTF-16)."""
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "UTF-16LE"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "UTF-16BE"
    return None


def _japanese_share(text: str) -> float:
    """Share of kana and CJK ideographs among the non-ASCII letters (half-width kana excluded:
    Korean CP949 bytes read as CP932 turn into them)."""
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    if not letters:
        return 0.0
    japanese = sum(1 for ch in letters if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    return japanese / len(letters)


def _looks_like_shift_jis(data: bytes, cp949_text: str | None) -> bool:
    """Japanese text saved as Shift-JIS: it decodes as CP932 into kana and kanji, and as CP949 (if at all)
    mostly into the rare Hangul of CP949's extension (real Korean files use KS X 1001's 2,350)."""
    try:
        sjis = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    if _japanese_share(sjis) < 0.6:
        return False
    if cp949_text is None:
        return True
    wide = [ch for ch in cp949_text if ord(ch) > 0x7F]
    if not wide:
        return False
    rare = 0
    for ch in wide:
        code = ch.encode("cp949")
        # KS X 1001 (EUC-KR) has both bytes in A1-FE; anything else is CP949's extension.
        if len(code) != 2 or code[0] < 0xA1 or code[1] < 0xA1:
            rare += 1
    return rare / len(wide) > 0.25


def _decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Detect UTF-8 (with or without BOM), UTF-16 with BOM, or CP949/EUC-KR. Never guess silently.

    UTF-16 without a BOM and Japanese Shift-JIS are recognised and refused by name, instead of
    being read as CP949 into garbled column names.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        utf16 = _utf16_without_bom(data)
        if utf16:
            raise InputFileError(
                f"{utf16}(BOM 없음) 인코딩으로 저장된 파일은 지원하지 않습니다",
                path=path,
                hint=_CONVERT_HINT,
            )
        encodings = ["utf-8", "cp949"]
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "cp949" and _looks_like_shift_jis(data, text):
            break
        return text, enc
    if encodings[-1] == "cp949" and _looks_like_shift_jis(data, _cp949_or_none(data)):
        raise InputFileError(
            "일본어(Shift-JIS) 인코딩으로 저장된 파일로 보입니다: 지원하지 않습니다",
            path=path,
            hint=_CONVERT_HINT,
        )
    raise InputFileError(
        "글자 인코딩을 알 수 없습니다: UTF-8 도 CP949(EUC-KR)도 아닙니다",
        path=path,
        hint=_CONVERT_HINT,
    )


def _cp949_or_none(data: bytes) -> str | None:
    try:
        return data.decode("cp949")
    except UnicodeDecodeError:
        return None


# A cell may be longer than the csv module's default limit (131,072 characters); no cell can be
# longer than the file itself, so the limit only needs to cover the largest file read so far.
_CSV_LIMIT_LOCK = threading.Lock()


def _allow_fields_up_to(size: int) -> None:
    with _CSV_LIMIT_LOCK:
        if csv.field_size_limit() < size:
            csv.field_size_limit(min(size, sys.maxsize))


def _read_csv(text: str, path: Path, encoding: str) -> Sheet:
    sample = text[:4096]
    delimiter = ","
    if path.suffix.lower() == ".tsv" or (sample.count("\t") > sample.count(",")):
        delimiter = "\t"
    elif sample.count(";") > sample.count(",") and sample.count(";") > 2:
        delimiter = ";"
    _allow_fields_up_to(len(text) + 1)
    try:
        rows = [
            [c.strip() for c in r] for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise InputFileError(f"CSV 형식이 올바르지 않습니다 ({exc})", path=path) from exc
    return Sheet(path=path, name=None, rows=rows, encoding=encoding)


def read_sheets(path: str | Path, *, password: str | None = None) -> list[Sheet]:
    """Every sheet of `path` as text rows. The file is opened read-only and never modified."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError("파일이 없습니다", path=p) from exc
    except IsADirectoryError as exc:
        raise InputFileError("파일이 아니라 폴더입니다", path=p) from exc
    except OSError as exc:
        raise InputFileError(f"파일을 열 수 없습니다 ({os_reason(exc)})", path=p) from exc
    if not data.strip():
        raise InputFileError("빈 파일입니다", path=p, hint="내용이 있는 파일을 주세요")
    for magic, kind in _NOT_TABLES.items():
        if data.startswith(magic):
            raise InputFileError(
                f"표 파일이 아닙니다 ({kind} 파일)", path=p, hint="xlsx, xls, csv 파일을 주세요"
            )
    if data.startswith(_CFB_MAGIC):
        data = _decrypt(data, p, password)
    if data.startswith((_ZIP_MAGIC, _CFB_MAGIC)):
        sheets = _read_calamine(data, p)
    else:
        text, encoding = _decode_text(data, p)
        head = text.lstrip()[:512].lower()
        if head.startswith(("<html", "<!doctype", "<table", "<?xml", "<meta")) or "<table" in head:
            parser = _HtmlTables()
            parser.feed(text)
            if not parser.tables:
                raise InputFileError("HTML 파일 안에 표가 없습니다", path=p)
            sheets = [
                Sheet(path=p, name=f"표{i + 1}", rows=t, encoding=encoding)
                for i, t in enumerate(parser.tables)
            ]
        else:
            if "\x00" in text[:1024]:
                raise InputFileError(
                    "표 파일이 아닙니다 (이진 파일)", path=p, hint="xlsx, xls, csv 파일을 주세요"
                )
            sheets = [_read_csv(text, p, encoding)]
    if not any(any(c for c in row) for s in sheets for row in s.rows):
        raise InputFileError("빈 파일입니다: 내용이 있는 셀이 없습니다", path=p)
    return sheets


@lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """'성  명' -> '성명', '학 년' -> '학년', full-width forms folded, brackets and punctuation dropped."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u3000·.:/()\[\]<>\-_*※]+", "", t).lower()


@dataclass(frozen=True)
class ColumnSpec:
    """A wanted column: its key, the header names it may have, and whether the job needs it."""

    key: str
    names: tuple[str, ...]
    required: bool = True
    label: str = ""

    @property
    def display(self) -> str:
        return self.label or self.names[0]

    def matches(self, header: str) -> bool:
        h = normalize_header(header)
        return any(h == normalize_header(n) for n in self.names)


@dataclass
class HeaderMatch:
    sheet: Sheet
    header_index: int  # 0-based index into sheet.rows
    columns: dict[str, int]  # key -> 0-based column index
    header_row: list[str] = field(default_factory=list)

    @property
    def header_row_number(self) -> int:
        return self.header_index + 1

    def is_repeated_header(self, row: Sequence[str]) -> bool:
        """The header again (page breaks): all but at most one of the mapped cells read the same."""
        allowed_misses = len(self.columns) - max(2, len(self.columns) - 1)
        misses = 0
        for i in self.columns.values():
            cell = row[i] if i < len(row) else ""
            if not cell or normalize_header(cell) != normalize_header(self.header_row[i]):
                misses += 1
                if misses > allowed_misses:
                    return False
        return True


def _score_row(row: Sequence[str], specs: Sequence[ColumnSpec]) -> dict[str, int]:
    found: dict[str, int] = {}
    for spec in specs:
        for i, cell in enumerate(row):
            if cell and spec.matches(cell) and i not in found.values():
                found[spec.key] = i
                break
    return found


def locate_columns(
    sheet: Sheet, specs: Sequence[ColumnSpec], *, search_rows: int = 40, raise_missing: bool = True
) -> HeaderMatch | None:
    """Find the header row (title rows above it are skipped) and where each wanted column is."""
    best: tuple[int, int, dict[str, int]] | None = None
    required = [s for s in specs if s.required]
    for idx, row in enumerate(sheet.rows[:search_rows]):
        found = _score_row(row, specs)
        n_req = sum(1 for s in required if s.key in found)
        score = (n_req, len(found))
        if found and (best is None or score > (best[0], len(best[2]))):
            best = (n_req, idx, found)
        if n_req == len(required) and len(found) == len(specs):
            break
    if best is not None and best[0] == len(required):
        idx = best[1]
        return HeaderMatch(sheet=sheet, header_index=idx, columns=best[2], header_row=list(sheet.rows[idx]))
    if not raise_missing:
        return None
    # Name what was found and what is needed, from the row that looked most like a header.
    if best is not None:
        idx = best[1]
    else:
        idx = next((i for i, r in enumerate(sheet.rows[:search_rows]) if sum(1 for c in r if c) >= 2), 0)
    found_names = [c for c in (sheet.rows[idx] if sheet.rows else []) if c]
    missing = [s.display for s in required if best is None or s.key not in best[2]]
    found_text = ", ".join(found_names[:15]) if found_names else "(없음)"
    raise MissingColumnsError(
        f"필요한 열이 없습니다: {', '.join(missing)} / 찾은 열: {found_text}",
        path=sheet.path,
        sheet=sheet.name,
        hint=f"필요한 열: {', '.join(s.display for s in required)}",
    )


@dataclass
class Record:
    """One data row: its values by key, its 1-based row number in the file, and where it came from."""

    values: dict[str, str]
    row: int
    sheet: Sheet

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


def iter_records(match: HeaderMatch) -> Iterator[Record]:
    """Data rows below the header, skipping blank rows and headers repeated at page breaks."""
    rows = match.sheet.rows
    for idx in range(match.header_index + 1, len(rows)):
        row = rows[idx]
        if not any(c for c in row):
            continue
        if match.is_repeated_header(row):
            continue
        values = {k: (row[i] if i < len(row) else "") for k, i in match.columns.items()}
        yield Record(values=values, row=idx + 1, sheet=match.sheet)


def read_table(path: str | Path, specs: Sequence[ColumnSpec], *, password: str | None = None) -> list[Record]:
    """The records of the first sheet of `path` that has all required columns."""
    sheets = read_sheets(path, password=password)
    first_error: MissingColumnsError | None = None
    for sheet in sheets:
        try:
            match = locate_columns(sheet, specs)
        except MissingColumnsError as exc:
            first_error = first_error or exc
            continue
        assert match is not None
        return list(iter_records(match))
    assert first_error is not None
    raise first_error
