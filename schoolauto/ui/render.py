"""HTML for the page's tables: the report's own character highlighting, as coloured spans."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

HIGHLIGHT = "color:#c00000;font-weight:700"
TABLE_CSS = (
    "<style>.sa-table{border-collapse:collapse;width:100%;font-size:0.9rem}"
    ".sa-table th,.sa-table td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}"
    ".sa-table th{background:#f3f5f9}.sa-table td:nth-child(-n+4){white-space:nowrap}.sa-hl{"
    + HIGHLIGHT
    + "}</style>"
)


def diff_html(text: str, other: str) -> str:
    """`text` with the characters that differ from `other` in red bold (the xlsx report's diff)."""
    from ..reports import diff_rich_text

    rich = diff_rich_text(text, other)
    if isinstance(rich, str):
        return html.escape(rich)
    parts = []
    for block in rich:
        if isinstance(block, str):
            parts.append(html.escape(block))
        else:
            parts.append(f'<span class="sa-hl">{html.escape(block.text)}</span>')
    return "".join(parts)


def span_html(text: str, start: int | None, end: int | None) -> str:
    """`text` with [start, end) in red bold; an open end marks everything past `start` (a length limit)."""
    if start is None:
        return html.escape(text)
    start = max(0, min(len(text), start))
    stop = len(text) if end is None else max(start, min(len(text), end))
    return (
        html.escape(text[:start])
        + f'<span class="sa-hl">{html.escape(text[start:stop])}</span>'
        + html.escape(text[stop:])
    )


def table_html(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, raw_columns: set[int] | None = None
) -> str:
    """A plain HTML table; cells in `raw_columns` are already HTML, the rest are escaped."""
    raw = raw_columns or set()
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            text = "" if v is None else str(v)
            cells.append(f"<td>{text if i in raw else html.escape(text).replace(chr(10), '<br>')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'{TABLE_CSS}<table class="sa-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
