"""The open-data workbook, /data/branches.xlsx: one sheet per column list, written with
openpyxl and rewritten with fixed zip entry times, so one input always gives the same bytes.

Sheets: 党组织 (one row per branch), 关键数字 (one row per figure), 荣誉 (one row per honour)
and 字段说明 (the column lists); figures and honours are keyed by the branch's slug.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from showcase.reports.open_data_columns import (
    BRANCH_COLUMNS,
    FIGURE_COLUMNS,
    FORMULA_START,
    HONOR_COLUMNS,
    KEY_COLUMNS,
    Cell,
    Column,
)

SHEET_BRANCHES = "党组织"
SHEET_FIGURES = "关键数字"
SHEET_HONORS = "荣誉"
SHEET_COLUMNS = "字段说明"
# Earliest time a zip entry can carry; also the stamp when there is no data at all.
ZIP_EPOCH = dt.datetime(1980, 1, 1)

Rows = Iterable[Mapping[str, Cell]]


def _put(ws: Worksheet, row: int, col: int, value: Cell) -> None:
    if value is None:
        return
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)  # openpyxl refuses control characters
        cell.value = text
        # openpyxl turns "=…" into a formula and "#N/A" into an error value: keep text text.
        cell.data_type = "s"
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    else:
        cell.value = float(value) if isinstance(value, Decimal) else value


def _sheet(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Mapping[str, Cell]]) -> None:
    bold = Font(bold=True)
    for col, column in enumerate(columns, start=1):
        _put(ws, 1, col, column.header)
        ws.cell(row=1, column=col).font = bold
        ws.column_dimensions[get_column_letter(col)].width = column.width
    n = 1
    for n, row in enumerate(rows, start=2):
        for col, column in enumerate(columns, start=1):
            _put(ws, n, col, row[column.key])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n}"


def _column_sheet_rows() -> list[dict[str, Cell]]:
    """The 字段说明 sheet: every column of the other sheets, with its meaning."""
    return [
        {"sheet": sheet, "key": c.key, "header": c.header, "description": c.description}
        for sheet, columns in (
            (SHEET_BRANCHES, BRANCH_COLUMNS),
            (SHEET_FIGURES, KEY_COLUMNS + FIGURE_COLUMNS),
            (SHEET_HONORS, KEY_COLUMNS + HONOR_COLUMNS),
        )
        for c in columns
    ]


def workbook(branches: Rows, figures: Rows, honors: Rows, moment: dt.datetime) -> bytes:
    """The workbook's bytes: rows keyed by column key (branch rows flat, themes joined);
    `moment` stamps the document properties and every zip entry."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET_BRANCHES
    _sheet(ws, BRANCH_COLUMNS, branches)
    _sheet(wb.create_sheet(SHEET_FIGURES), KEY_COLUMNS + FIGURE_COLUMNS, figures)
    _sheet(wb.create_sheet(SHEET_HONORS), KEY_COLUMNS + HONOR_COLUMNS, honors)
    doc_columns = (
        Column("sheet", "工作表", "", 10),
        Column("header", "列名", "", 14),
        Column("key", "英文键（JSON）", "", 16),
        Column("description", "含义", "", 80),
    )
    _sheet(wb.create_sheet(SHEET_COLUMNS), doc_columns, _column_sheet_rows())

    props = wb.properties
    props.title = "党组织开放数据"
    props.creator = "showcase"
    props.language = "zh-CN"
    out = io.BytesIO()
    wb.save(out)  # stamps docProps/core.xml and every zip entry with the current time
    props.created = props.modified = moment
    return _normalise_zip(out.getvalue(), moment, {"docProps/core.xml": tostring(props.to_tree())})


def moment_of(partial: str | None) -> dt.datetime:
    """The time a partial date (2024, 2024-10, 2024-10-25) starts; ZIP_EPOCH for none."""
    if not partial:
        return ZIP_EPOCH
    year, month, day = ([int(x) for x in partial.split("-")] + [1, 1])[:3]
    return dt.datetime(year, month, day)


def _normalise_zip(data: bytes, moment: dt.datetime, replace: dict[str, bytes]) -> bytes:
    """The same archive with fixed entry times and attributes (and some members replaced)."""
    m = max(moment, ZIP_EPOCH)
    stamp = (m.year, m.month, m.day, m.hour, m.minute, m.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # the default depends on the OS building the site
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, replace.get(info.filename) or src.read(info), compresslevel=6)
    return out.getvalue()
