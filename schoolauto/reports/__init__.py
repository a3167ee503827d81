"""The xlsx report engine every module shares, and the machine outputs (JSON, CSV).

Templates are real workbooks in `templates/` that a teacher can restyle in Excel. The engine
fills `{{name}}` placeholders anywhere, and table regions marked by a row of `{{table.field}}`
cells (that row's styles are copied to every data row). See `templates/README.md`.
"""

from .engine import (
    Cell,
    TemplateReport,
    diff_rich_text,
    find_template,
    safe_text,
)

__all__ = ["Cell", "TemplateReport", "diff_rich_text", "find_template", "safe_text"]
