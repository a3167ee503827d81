"""Fill xlsx templates: placeholders, table regions, per-item sheets, print setup, encryption."""

from __future__ import annotations

import copy
import difflib
import io
import math
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import ReportError
from ..fileio import check_writable, write_bytes_atomic

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w]*)\s*\}\}")
_TABLE_CELL = re.compile(r"^\{\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\}\}$")
_GRID_CELL = re.compile(r"^\{\{\s*([A-Za-z_]\w*):grid\s*\}\}$")
# Excel refuses these control characters in cell text; XML has no place for lone surrogates
# or U+FFFE/U+FFFF (openpyxl would stop with an English error on them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

HIGHLIGHT_FONT = InlineFont(color="FFC00000", b=True)


def template_dirs() -> list[Path]:
    """Where templates are looked up: $SCHOOLAUTO_TEMPLATES, the source tree, the installed copy."""
    dirs = []
    env = os.environ.get("SCHOOLAUTO_TEMPLATES")
    if env:
        dirs.append(Path(env))
    here = Path(__file__).resolve()
    dirs.append(here.parents[2] / "templates")  # running from a checkout
    dirs.append(here.parents[1] / "_templates")  # installed wheel
    return dirs


def find_template(name: str | Path) -> Path:
    """A template given by path, or by file name in the template folders."""
    p = Path(name)
    if p.suffix and p.exists():
        return p
    filename = p.name if p.suffix else f"{p.name}.xlsx"
    for d in template_dirs():
        candidate = d / filename
        if candidate.exists():
            return candidate
    raise ReportError(
        f"보고서 서식 파일 {filename} 을(를) 찾을 수 없습니다",
        hint="templates 폴더에 서식 파일이 있는지, SCHOOLAUTO_TEMPLATES 설정을 확인하세요",
    )


def safe_text(value: str) -> str:
    return _ILLEGAL.sub("", value)


@dataclass
class Cell:
    """A value with optional emphasis, for cells a teacher should notice (chronic non-submitters)."""

    value: Any
    fill: str | None = None  # RGB hex, e.g. "FFF4CCCC"
    bold: bool | None = None
    color: str | None = None  # font colour, RGB hex


def diff_rich_text(text: str, other: str) -> CellRichText | str:
    """`text` with the characters that differ from `other` in bold red (for printed comparison)."""
    text = safe_text(text)
    if text == other:
        return text
    sm = difflib.SequenceMatcher(a=text, b=other, autojunk=False)
    blocks: list[str | TextBlock] = []
    for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
        piece = text[i1:i2]
        if not piece:
            continue
        if tag == "equal":
            blocks.append(piece)
        else:
            blocks.append(TextBlock(HIGHLIGHT_FONT, piece))
    if not any(isinstance(b, TextBlock) for b in blocks):
        return text
    return CellRichText(blocks)


LINE_HEIGHT_PT = 14.5


_CHAR_WIDTHS: dict[str, float] = {}


def _char_width(ch: str) -> float:
    w = 1.7 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0
    _CHAR_WIDTHS[ch] = w
    return w


def _display_width(text: str) -> float:
    """Width in Excel's character units: Hangul, CJK and full-width forms are about 1.7 digits wide."""
    if text.isascii():
        return float(len(text))
    widths = _CHAR_WIDTHS
    return sum(widths.get(ch) or _char_width(ch) for ch in text)


def _wrapped_lines(value: Any, column_width: float) -> int:
    """How many lines a wrapped cell needs in a column of that width (an estimate that errs high)."""
    if value is None:
        return 1
    text = str(value.value if isinstance(value, Cell) else value)
    usable = max(column_width, 1.0)
    # No character is wider than 1.7: a line that short fits without measuring it.
    fits = (usable - 1e-6) / 1.7
    return sum(
        1 if len(line) <= fits else max(1, math.ceil(_display_width(line) / usable))
        for line in text.split("\n")
    )


def _set_value(cell: XlCell, value: Any) -> None:
    """Write a value; text that looks like a formula stays text (no formula injection)."""
    style: Cell | None = None
    if isinstance(value, Cell):
        style, value = value, value.value
    if isinstance(value, CellRichText):
        cell.value = value
    elif isinstance(value, str):
        value = safe_text(value)
        if value in ERROR_CODES:
            cell.value = value  # openpyxl's own typing ('#N/A' is an error value), as before
        else:
            # What `cell.value = value` does for text, without its second scan for illegal
            # characters (safe_text removed them); text that looks like a formula stays text.
            cell._value = value[:32767]
            cell.data_type = "s"
    else:
        cell.value = value
    if style is not None and (style.fill or style.bold is not None or style.color):
        # Rows share their template's style arrays (see `_fill_table`); setting a font or fill
        # changes the array in place, so an emphasised cell gets its own copy first.
        if cell._style is not None:
            cell._style = copy.copy(cell._style)
        if style.fill:
            cell.fill = PatternFill("solid", fgColor=style.fill)
        if style.bold is not None or style.color:
            font = copy.copy(cell.font)
            cell.font = Font(
                name=font.name,
                size=font.size,
                bold=style.bold if style.bold is not None else font.bold,
                italic=font.italic,
                color=style.color or font.color,
            )


class TemplateReport:
    """One report being made from a template workbook."""

    def __init__(self, template: str | Path) -> None:
        self.template_path = find_template(template)
        try:
            self.wb: Workbook = load_workbook(self.template_path)
        except Exception as exc:
            raise ReportError(
                f"보고서 서식 파일을 열 수 없습니다 ({type(exc).__name__})", path=self.template_path
            ) from exc

    # ----- sheets -------------------------------------------------------------------------
    def sheet(self, name: str) -> Worksheet:
        if name not in self.wb.sheetnames:
            raise ReportError(f"서식에 '{name}' 시트가 없습니다", path=self.template_path)
        return self.wb[name]

    def copy_sheet(self, template_sheet: str, title: str) -> str:
        """A copy of a template sheet (styles, widths, print setup) under a new, Excel-safe title."""
        src = self.sheet(template_sheet)
        dst = self.wb.copy_worksheet(src)
        dst.title = self._unique_title(title)
        # copy_worksheet does not carry these over.
        dst.sheet_properties.pageSetUpPr = copy.copy(src.sheet_properties.pageSetUpPr)
        dst.page_setup.orientation = src.page_setup.orientation
        dst.page_setup.paperSize = src.page_setup.paperSize
        dst.page_setup.fitToWidth = src.page_setup.fitToWidth
        dst.page_setup.fitToHeight = src.page_setup.fitToHeight
        dst.print_options.horizontalCentered = src.print_options.horizontalCentered
        dst.freeze_panes = src.freeze_panes
        if src.print_title_rows:
            dst.print_title_rows = src.print_title_rows
        dst.auto_filter.ref = src.auto_filter.ref
        dst.sheet_view.zoomScale = src.sheet_view.zoomScale
        return dst.title

    def _unique_title(self, title: str) -> str:
        base = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'") or "시트"
        base = base[:31]
        candidate, n = base, 2
        while candidate in self.wb.sheetnames:
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
            n += 1
        return candidate

    def remove_sheet(self, name: str) -> None:
        self.wb.remove(self.sheet(name))

    # ----- placeholders -------------------------------------------------------------------
    def fill(self, values: Mapping[str, Any], sheets: Iterable[str] | None = None) -> None:
        """Replace `{{name}}` in every cell (a cell that is only a placeholder keeps the value's type)."""
        names = list(sheets) if sheets is not None else self.wb.sheetnames
        for sheet_name in names:
            ws = self.wb[sheet_name]
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if not isinstance(v, str) or "{{" not in v:
                        continue
                    whole = _PLACEHOLDER.fullmatch(v.strip())
                    if whole and whole.group(1) in values:
                        _set_value(cell, values[whole.group(1)])
                        continue

                    def sub(m: re.Match[str]) -> str:
                        key = m.group(1)
                        if key not in values:
                            return m.group(0)
                        val = values[key]
                        return "" if val is None else str(val.value if isinstance(val, Cell) else val)

                    _set_value(cell, _PLACEHOLDER.sub(sub, v))

    # ----- tables -------------------------------------------------------------------------
    def _find_marker(self, test: Any, what: str, sheet: str | None) -> tuple[str, int, int, Any]:
        """(sheet, row, column, match) of the one cell a marker test accepts; sheets in order."""
        names = [sheet] if sheet else self.wb.sheetnames
        found: list[tuple[str, int, int, Any]] = []
        for name in names:
            ws = self.sheet(name)
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "{{" in cell.value:
                        m = test(cell.value.strip())
                        if m:
                            found.append((name, cell.row, cell.column, m))
                            break
                if found and found[-1][0] == name:
                    break
        if not found:
            where = f"'{sheet}' 시트" if sheet else "어느 시트"
            raise ReportError(f"서식의 {where}에도 {what} 자리가 없습니다", path=self.template_path)
        if len({f[0] for f in found}) > 1:
            raise ReportError(
                f"서식의 여러 시트에 {what} 자리가 있습니다 ({', '.join(f[0] for f in found)})",
                path=self.template_path,
            )
        return found[0]

    def table_sheet(self, table: str) -> str:
        """The sheet holding the template row of `table`."""

        def test(v: str) -> Any:
            m = _TABLE_CELL.match(v)
            return m if m and m.group(1) == table else None

        return self._find_marker(test, f"표 '{table}'", None)[0]

    def table_row(self, sheet_name: str, table: str) -> tuple[int, dict[int, str]]:
        """The template row of `table` on a sheet and its columns (column index -> field)."""
        ws = self.sheet(sheet_name)
        for row in ws.iter_rows():
            fields: dict[int, str] = {}
            for cell in row:
                if isinstance(cell.value, str):
                    m = _TABLE_CELL.match(cell.value.strip())
                    if m and m.group(1) == table:
                        fields[cell.column] = m.group(2)
            if fields:
                return row[0].row, fields
        raise ReportError(
            f"서식의 '{sheet_name}' 시트에 표 '{table}' 자리가 없습니다", path=self.template_path
        )

    def fill_table(
        self,
        *args: Any,
        autofilter: bool = True,
        sheet: str | None = None,
    ) -> int:
        """Write rows from the template row of a table downward, each taking that row's styles.

        Call as `fill_table(table, rows)` (the sheet is the one whose cells carry the table's
        `{{table.field}}` markers, wherever a teacher moved them) or `fill_table(table, rows,
        sheet=name)` where several sheets were copied from one template sheet.
        The template row must be the last used row of its sheet. The row above it is the header:
        it is frozen, repeated on every printed page and (with `autofilter`) gets a filter.
        Returns the number of the last row written.
        """
        if len(args) == 3:  # the older form (sheet, table, rows)
            sheet, table, rows = args
        else:
            table, rows = args
        sheet_name = sheet or self.table_sheet(table)
        return self._fill_table(sheet_name, table, rows, autofilter=autofilter)

    def _fill_table(
        self, sheet_name: str, table: str, rows: Sequence[Mapping[str, Any]], *, autofilter: bool
    ) -> int:
        ws = self.sheet(sheet_name)
        start, fields = self.table_row(sheet_name, table)
        template_cells = {c: ws.cell(start, c) for c in range(1, ws.max_column + 1)}
        styles = {c: copy.copy(cell._style) for c, cell in template_cells.items()}
        height = ws.row_dimensions[start].height
        wrapped = {c for c, cell in template_cells.items() if cell.alignment.wrap_text}
        # Column widths are in digits of the 11-point default font; a smaller font fits more.
        widths = {
            c: (ws.column_dimensions[get_column_letter(c)].width or 8.43)
            * 11
            / (template_cells[c].font.sz or 11)
            for c in wrapped
        }
        if not rows:
            for c in fields:
                ws.cell(start, c).value = None
            last = start
        cells = ws._cells
        columns = [(c, style, fields.get(c)) for c, style in styles.items()]
        wrapped_columns = [(c, widths[c]) for c in sorted(wrapped)]
        for i, record in enumerate(rows):
            r = start + i
            for c, style, field_name in columns:
                cell = cells.get((r, c))
                if cell is None:
                    cell = cells[(r, c)] = XlCell(ws, row=r, column=c)
                # One style array per column, shared by every row: nothing mutates it in place
                # (`_set_value` copies it before emphasising a cell).
                cell._style = style
                if field_name is None:
                    continue
                value = record.get(field_name)
                if value is None:
                    cell._value = None
                    cell.data_type = "n"
                elif type(value) is str and value not in ERROR_CODES:
                    cell._value = safe_text(value)[:32767]  # as `_set_value` does, inlined
                    cell.data_type = "s"
                else:
                    _set_value(cell, value)
            lines = max((_wrapped_lines(cells[(r, c)].value, w) for c, w in wrapped_columns), default=1)
            if lines > 1:
                # Neither Excel nor LibreOffice reliably grows a row for wrapped text in a written
                # file; set the height so the printed rows never overlap.
                ws.row_dimensions[r].height = max(height or 0, lines * LINE_HEIGHT_PT)
            elif height is not None:
                ws.row_dimensions[r].height = height
            last = r
        if rows:
            ws._current_row = max(ws._current_row, start + len(rows) - 1)
        header = start - 1
        if header >= 1:
            if ws.freeze_panes is None:
                ws.freeze_panes = ws.cell(start, 1).coordinate
            ws.print_title_rows = f"{header}:{header}"
            if autofilter:
                first_col = min(fields)
                last_col = max(
                    max(fields), ws.max_column if ws.max_column <= max(fields) + 2 else max(fields)
                )
                ws.auto_filter.ref = (
                    f"{get_column_letter(first_col)}{header}:{get_column_letter(last_col)}{max(last, start)}"
                )
        ws.print_area = f"A1:{get_column_letter(ws.max_column)}{max(last, start)}"
        return last

    def grid_anchor(self, name: str, sheet: str | None = None) -> tuple[str, int, int]:
        """(sheet, row, column) of the `{{name:grid}}` marker cell."""

        def test(v: str) -> Any:
            m = _GRID_CELL.match(v)
            return m if m and m.group(1) == name else None

        found = self._find_marker(test, f"격자 '{name}'", sheet)
        return found[0], found[1], found[2]

    def fill_grid(
        self, name: str, grid: Sequence[Sequence[Any]], *, sheet: str | None = None, header_rows: int = 1
    ) -> tuple[str, int, int, int, int]:
        """Write a block whose width is only known at run time at the `{{name:grid}}` marker.

        The marker cell's style is used for the first `header_rows` rows; the style of the cell
        right below it (a `{{name:body}}` marker, if the template has one) for the rest. Returns
        (sheet, top, left, bottom, right) so a caller can set print areas around it.
        """
        sheet_name, top, left = self.grid_anchor(name, sheet)
        ws = self.sheet(sheet_name)
        head_style = copy.copy(ws.cell(top, left)._style)
        below = ws.cell(top + 1, left)
        body_marker = isinstance(below.value, str) and below.value.strip() == f"{{{{{name}:body}}}}"
        body_style = copy.copy(below._style) if body_marker else head_style
        if body_marker:
            below.value = None
        ws.cell(top, left).value = None
        width = max((len(r) for r in grid), default=1)
        for i, row in enumerate(grid):
            style = head_style if i < header_rows else body_style
            for j, value in enumerate(row):
                cell = ws.cell(top + i, left + j)
                cell._style = style  # shared; `_set_value` copies it before emphasising a cell
                _set_value(cell, value)
        bottom = top + max(len(grid), 1) - 1
        right = left + width - 1
        if header_rows and len(grid) > header_rows:
            ws.print_title_rows = f"{top}:{top + header_rows - 1}"
            if ws.freeze_panes is None:
                ws.freeze_panes = ws.cell(top + header_rows, left).coordinate
        return sheet_name, top, left, bottom, right

    def write_grid(
        self,
        sheet_name: str,
        top: int,
        left: int,
        grid: Sequence[Sequence[Any]],
        *,
        style_from: tuple[int, int] | None = None,
    ) -> None:
        """Write a block of values (for matrices whose width is only known at run time)."""
        ws = self.sheet(sheet_name)
        style = copy.copy(ws.cell(*style_from)._style) if style_from else None
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                cell = ws.cell(top + i, left + j)
                if style is not None:
                    cell._style = style  # shared; `_set_value` copies it before emphasising a cell
                _set_value(cell, value)

    # ----- saving -------------------------------------------------------------------------
    def to_bytes(self, password: str | None = None) -> bytes:
        buf = io.BytesIO()
        with _fast_rows():
            self.wb.save(buf)
        data = buf.getvalue()
        if password:
            from msoffcrypto.format.ooxml import OOXMLFile

            out = io.BytesIO()
            OOXMLFile(io.BytesIO(data)).encrypt(password, out)
            data = out.getvalue()
        return data

    def save(self, path: str | Path, *, overwrite: bool = False, password: str | None = None) -> Path:
        """Save atomically; with `password` the workbook is encrypted (Excel asks for it on opening)."""
        check_writable(path, overwrite=overwrite)
        return write_bytes_atomic(path, self.to_bytes(password), overwrite=overwrite)


# ----- a faster sheet writer ---------------------------------------------------------------
# openpyxl writes each cell through a nested `xf.element` context (about 10 µs a cell), which
# made writing a 10,000-finding report take longer than finding them. While a report is saved,
# a sheet made only of plain cells (text, numbers, booleans, rich text, empty) has its rows
# written as XML text; any other sheet (formulas, dates, errors, hyperlinks, comments) goes
# through openpyxl's own writer. The XML equals openpyxl's, canonically (a test checks it).
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PLAIN_TYPES = frozenset({"s", "n", "b"})
_save_lock = threading.Lock()


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text  # as lxml does, so it survives parsing


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


def _t(text: str, always_check: bool) -> str:
    """`<t>` as openpyxl writes it: xml:space="preserve" when the text has outer spaces."""
    stripped = text.strip()
    keep = (text != stripped) if always_check else (stripped and text != stripped)
    return f'<t xml:space="preserve">{_esc(text)}</t>' if keep else f"<t>{_esc(text)}</t>"


class _RowsXml:
    """A sheet's `<row>` elements as XML text, written the way openpyxl's lxml writer does."""

    def __init__(self) -> None:
        from openpyxl.compat import safe_string

        self.safe_string = safe_string
        self.fonts: dict[int, tuple[Any, str]] = {}  # id(font) -> (font, its <rPr>), font kept alive
        self.style_ids: dict[int, tuple[Any, str]] = {}  # id(style array) -> (array, its id)
        self.letters: dict[int, str] = {}

    @staticmethod
    def plain(row: list[XlCell]) -> bool:
        """Only text, numbers, booleans, rich text and empty cells (no formulas, dates, links)."""
        for cell in row:
            dtype = cell.data_type
            if (
                dtype not in _PLAIN_TYPES
                or cell._comment is not None
                or cell._hyperlink is not None
                or (dtype != "s" and cell._value is not None and not isinstance(cell._value, (int, float)))
            ):
                return False
        return True

    def rich(self, value: CellRichText) -> str:
        from lxml.etree import tostring

        parts = ["<is>"]
        for block in value:
            if isinstance(block, TextBlock):
                entry = self.fonts.get(id(block.font))
                if entry is None or entry[0] is not block.font:
                    rpr = tostring(block.font.to_tree(tagname="rPr"), encoding="unicode")
                    entry = self.fonts[id(block.font)] = (block.font, rpr)
                parts.append(f"<r>{entry[1]}{_t(block.text, False)}</r>")
            else:
                parts.append(f"<r>{_t(block, False)}</r>")
        parts.append("</is>")
        return "".join(parts)

    def row(self, ws: Worksheet, row: list[XlCell], row_idx: int, parts: list[str]) -> None:
        attrs = {"r": f"{row_idx}"}
        attrs.update(ws.row_dimensions.get(row_idx, {}))
        parts.append("<row" + "".join(f' {k}="{_esc_attr(str(v))}"' for k, v in attrs.items()) + ">")
        letters, style_ids = self.letters, self.style_ids
        for cell in row:
            value = cell._value
            style = cell._style
            styled = style is not None and any(style)
            if value is None and not styled:
                continue
            column = cell.column
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            head = f'<c r="{letter}{row_idx}"'
            if styled:
                entry = style_ids.get(id(style))
                if entry is None or entry[0] is not style:
                    entry = style_ids[id(style)] = (style, f"{cell.style_id}")
                head += f' s="{entry[1]}"'
            dtype = cell.data_type
            head += ' t="inlineStr">' if dtype == "s" else f' t="{dtype}">'
            if value is None or value == "":
                parts.append(head + "</c>")
            elif dtype == "s":
                if isinstance(value, CellRichText):
                    parts.append(f"{head}{self.rich(value)}</c>")
                elif isinstance(value, str):
                    parts.append(f"{head}<is>{_t(value, True)}</is></c>")
                else:
                    parts.append(f"{head}<is /></c>")
            else:
                parts.append(f"{head}<v>{_esc(self.safe_string(value))}</v></c>")
        parts.append("</row>")


_MARKER = "schoolauto-rows-f3c9"


class _fast_rows:
    """While saving (with lxml): each sheet whose rows are all plain is written as text.

    `write_rows` puts a marker comment in `<sheetData>` and keeps the rows' XML; `write` swaps
    it in once openpyxl has finished the sheet's file. Sheets with anything else (formulas,
    dates, hyperlinks, comments) go through openpyxl's own writer.
    """

    def __enter__(self) -> None:
        import openpyxl
        from lxml.etree import Comment
        from openpyxl.worksheet._writer import WorksheetWriter

        _save_lock.acquire()
        self.originals = (WorksheetWriter.write_rows, WorksheetWriter.write)
        if not openpyxl.LXML:
            return
        original_rows, original_write = self.originals
        text = _RowsXml()

        def write_rows(self: Any) -> None:
            rows = self.rows()
            if not all(_RowsXml.plain(row) for _, row in rows):
                return original_rows(self)
            chunks: list[bytes] = []  # encoded a few hundred rows at a time, to keep memory low
            parts: list[str] = []
            for n, (row_idx, row) in enumerate(rows, start=1):
                text.row(self.ws, row, row_idx, parts)
                if n % 500 == 0:
                    chunks.append("".join(parts).encode("utf-8"))
                    parts.clear()
            chunks.append("".join(parts).encode("utf-8"))
            self._schoolauto_rows = chunks
            xf = self.xf.send(True)
            with xf.element("sheetData"):
                xf.write(Comment(_MARKER))
            self.xf.send(None)
            return None

        def write(self: Any) -> None:
            original_write(self)
            chunks = getattr(self, "_schoolauto_rows", None)
            if chunks is None:
                return
            marker = f"<!--{_MARKER}-->".encode()
            if isinstance(self.out, io.BytesIO):
                data = self.out.getvalue()
            else:
                with open(self.out, "rb") as f:
                    data = f.read()  # the sheet without its rows: a few kilobytes
            head, found, tail = data.partition(marker)
            if not found:  # cannot happen: the marker was written by `write_rows` above
                raise ReportError("보고서 시트를 쓰지 못했습니다 (내부 오류)")
            if isinstance(self.out, io.BytesIO):
                self.out = io.BytesIO(b"".join([head, *chunks, tail]))
            else:
                with open(self.out, "wb") as f:
                    f.write(head)
                    f.writelines(chunks)
                    f.write(tail)
            self._schoolauto_rows = None

        WorksheetWriter.write_rows = write_rows  # type: ignore[method-assign]
        WorksheetWriter.write = write  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        from openpyxl.worksheet._writer import WorksheetWriter

        WorksheetWriter.write_rows, WorksheetWriter.write = self.originals  # type: ignore[method-assign]
        _save_lock.release()
