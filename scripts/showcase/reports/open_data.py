"""Open-data exports of all branches: /data/branches.json, .csv and .xlsx (DESIGN §5).

Framework-free: `export()` takes the loaded branches and returns the files' bytes; the plugin
only publishes them. The column lists below are the published contract (README “开放数据”):
columns may be added at the end, never renamed, reordered or removed without raising
SCHEMA_VERSION.

- CSV: one row per branch, Chinese headers, UTF-8 with a BOM (Excel in China otherwise reads
  it as GBK), CRLF line ends (RFC 4180).
- XLSX: sheets 党组织 (one row per branch), 关键数字 (one row per figure), 荣誉 (one row per
  honour), 字段说明 (the column lists); figures and honours are keyed by the branch's slug.
- JSON: the same data with English keys, themes as an array, figures and honours nested.

Every output is deterministic: rows sorted by slug, no wall-clock time anywhere (the only
timestamp comes from SOURCE_DATE_EPOCH), and the XLSX zip rewritten with fixed entry times.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import posixpath
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from showcase import urls
from showcase.atomic import atomic_write
from showcase.content.load import Branch
from showcase.content.model import Figure, Honor

SCHEMA_VERSION = 1
JSON_PATH = "data/branches.json"
CSV_PATH = "data/branches.csv"
XLSX_PATH = "data/branches.xlsx"
THEME_SEPARATOR = "、"
# A spreadsheet treats a cell starting with one of these as a formula (OWASP “CSV injection”).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_BRANCHES = "党组织"
SHEET_FIGURES = "关键数字"
SHEET_HONORS = "荣誉"
SHEET_COLUMNS = "字段说明"
# Earliest time a zip entry can carry; also the stamp when there is no data at all.
ZIP_EPOCH = dt.datetime(1980, 1, 1)

Cell = str | int | Decimal | None
Value = Cell | list[str]


@dataclasses.dataclass(frozen=True)
class Column:
    key: str  # English key: JSON key, stable identifier
    header: str  # Chinese header in the CSV and the sheets
    description: str  # meaning, for README and the 字段说明 sheet
    width: int = 14  # column width in the sheet (characters)


BRANCH_COLUMNS: tuple[Column, ...] = (
    Column("slug", "网址名", "党组织的网址名（唯一、稳定），页面网址 /branches/<网址名>/", 24),
    Column("name", "党组织全称", "党组织全称", 36),
    Column("short_name", "简称", "简称，可为空", 20),
    Column("category", "组织类别", "组织类别，取自 taxonomy.yml"),
    Column("region", "所属区域", "区域完整路径，用 / 分隔，如 呼和浩特市/回民区/光明路街道", 36),
    Column("region_city", "市", "区域第一级（市），取自区域路径"),
    Column("region_county", "旗县区", "区域第二级（旗县区），区域路径不到这一级时为空"),
    Column("region_township", "街道乡镇", "区域第三级（街道、乡镇），区域路径不到这一级时为空"),
    Column("brand_name", "党建品牌", "党建品牌名称", 18),
    Column("brand_slogan", "品牌口号", "品牌口号，可为空", 36),
    Column("summary", "简介", "一两句话简介", 60),
    Column("themes", "工作主题", "工作主题；CSV 与 XLSX 中用“、”连接，JSON 中为数组", 30),
    Column("figure_count", "关键数字数", "关键数字（数据卡片）的项数", 10),
    Column("honor_count", "荣誉数", "荣誉的项数", 10),
    Column("photo_count", "图片数", "图片的张数", 10),
    Column("updated", "更新日期", "档案最近核实更新的日期，如 2024-10-25（可只到年或月）", 12),
    Column(
        "url",
        "页面网址",
        "党组织页面的网址；站点配置了 site_url 时为完整网址，否则为以 / 开头的站内路径",
        48,
    ),
)

# Figures and honours in the sheets start with these, so every row names its branch.
KEY_COLUMNS: tuple[Column, ...] = (
    Column("slug", "网址名", "所属党组织的网址名，对应“党组织”表的网址名", 24),
    Column("name", "党组织全称", "所属党组织的全称", 36),
    Column("seq", "序号", "在该党组织档案中的顺序，从 1 开始", 6),
)

FIGURE_COLUMNS: tuple[Column, ...] = (
    Column("label", "说明", "这个数字统计的是什么", 28),
    Column("value", "数值", "数字本身（数值类型，不含约数词和单位）", 12),
    Column("qualifier", "约数词", "余、多、近、约、超 之一，可为空", 8),
    Column("unit", "单位", "量词或单位，如 名、支、人次，可为空", 8),
    Column("as_of", "统计时间", "数字截至的日期，如 2024-10，可为空", 12),
    Column("metric", "汇总指标", "参与汇总的指标名（taxonomy.yml 的 metrics），可为空", 14),
    Column("display", "显示文字", "网页上显示的写法，如 1400余名、近3000人次", 16),
)

HONOR_COLUMNS: tuple[Column, ...] = (
    Column("title", "荣誉名称", "荣誉称号全称", 40),
    Column("date", "授予时间", "如 2024-10-18，可只到年或月，可为空", 12),
    Column("by", "授予单位", "颁发或命名的单位，可为空", 24),
    Column("level", "荣誉级别", "档案中填写的级别（国家级、省级、市级、县级、乡镇级），未填写时为空", 10),
)


def export(branches: Iterable[Branch], site_url: str = "", *, epoch: int | None = None) -> dict[str, bytes]:
    """The three open-data files of `branches`, by their site path.

    `site_url` makes page URLs absolute (empty: root-relative “/branches/<slug>/”).
    `epoch` is the build time in seconds (default: SOURCE_DATE_EPOCH, else no build time
    is published, so that one input always gives the same bytes)."""
    ordered = sorted(branches, key=lambda b: b.slug)
    if epoch is None:
        epoch = source_date_epoch()
    rows = [_branch_row(b, site_url) for b in ordered]
    data_updated = max((str(b.profile.updated) for b in ordered), default=None)
    generated = dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None) if epoch is not None else None
    return {
        JSON_PATH: _json(ordered, rows, site_url, generated, data_updated),
        CSV_PATH: _csv(rows),
        XLSX_PATH: _xlsx(ordered, rows, generated or _date_time(data_updated)),
    }


def cached_export(branches: Sequence[Branch], site_url: str, cache_dir: Path) -> dict[str, bytes]:
    """`export`, kept in `cache_dir/data/` under a digest of everything it reads: the
    branches' sources, the site URL, the build time and this module's code. Writing the
    workbook takes ~1.2 s at 1,000 branches, a fifth of a warm rebuild."""
    epoch = source_date_epoch()
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(json.dumps([SCHEMA_VERSION, site_url, epoch, metadata.version("openpyxl")]).encode())
    for branch in sorted(branches, key=lambda b: b.slug):
        h.update(b"\0" + branch.slug.encode() + b"\0" + branch.digest.encode())
    folder = cache_dir / "data" / h.hexdigest()[:32]
    names = (JSON_PATH, CSV_PATH, XLSX_PATH)
    try:
        return {name: (folder / posixpath.basename(name)).read_bytes() for name in names}
    except OSError:
        pass
    files = export(branches, site_url, epoch=epoch)
    if folder.parent.is_dir():  # one entry is enough: drop the ones of earlier inputs
        shutil.rmtree(folder.parent)
    folder.mkdir(parents=True)
    for name in names:
        atomic_write(folder / posixpath.basename(name), files[name])
    return files


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value else None


# --- rows ------------------------------------------------------------------------------


def page_url(slug: str, site_url: str) -> str:
    path = urls.branch(slug)
    return urls.absolute(site_url, path) or f"/{path}"


def _branch_row(branch: Branch, site_url: str) -> dict[str, Value]:
    p = branch.profile
    levels = [*branch.region.path, None, None, None]
    return {
        "slug": p.slug,
        "name": p.name,
        "short_name": p.short_name,
        "category": p.category,
        "region": branch.region.key,
        "region_city": levels[0],
        "region_county": levels[1],
        "region_township": levels[2],
        "brand_name": p.brand.name,
        "brand_slogan": p.brand.slogan,
        "summary": p.summary,
        "themes": list(p.themes),
        "figure_count": len(p.figures),
        "honor_count": len(p.honors),
        "photo_count": len(p.photos),
        "updated": str(p.updated),
        "url": page_url(p.slug, site_url),
    }


def _figure_row(figure: Figure) -> dict[str, Cell]:
    # `metric` and `level` arrived later in the model; getattr keeps older models working.
    metric = getattr(figure, "metric", None)
    return {
        "label": figure.label,
        "value": figure.value,
        "qualifier": figure.qualifier,
        "unit": figure.unit,
        "as_of": str(figure.as_of) if figure.as_of is not None else None,
        "metric": str(metric) if metric is not None else None,
        "display": figure.display_number(),
    }


def _honor_row(honor: Honor) -> dict[str, Cell]:
    level = getattr(honor, "level", None)
    return {
        "title": honor.title,
        "date": str(honor.date) if honor.date is not None else None,
        "by": honor.by,
        "level": str(level) if level is not None else None,
    }


def _keyed(branch: Branch, seq: int, row: dict[str, Cell]) -> dict[str, Cell]:
    return {"slug": branch.slug, "name": branch.profile.name, "seq": seq, **row}


def _figure_rows(branches: Sequence[Branch]) -> list[dict[str, Cell]]:
    return [_keyed(b, i, _figure_row(f)) for b in branches for i, f in enumerate(b.profile.figures, start=1)]


def _honor_rows(branches: Sequence[Branch]) -> list[dict[str, Cell]]:
    return [_keyed(b, i, _honor_row(h)) for b in branches for i, h in enumerate(b.profile.honors, start=1)]


def _flat(value: Value) -> Cell:
    return THEME_SEPARATOR.join(value) if isinstance(value, list) else value


# --- JSON ------------------------------------------------------------------------------


def _json_value(value: Value) -> Any:
    # Decimals are numbers in JSON too (3.5, not "3.5"); whole numbers stay integers.
    return float(value) if isinstance(value, Decimal) else value


def _column_docs(columns: Sequence[Column]) -> list[dict[str, str]]:
    return [{"key": c.key, "header": c.header, "description": c.description} for c in columns]


def _json(
    branches: Sequence[Branch],
    rows: list[dict[str, Value]],
    site_url: str,
    generated: dt.datetime | None,
    data_updated: str | None,
) -> bytes:
    records = []
    for branch, row in zip(branches, rows, strict=True):
        record = {k: _json_value(v) for k, v in row.items()}
        record["figures"] = [
            {k: _json_value(v) for k, v in _figure_row(f).items()} for f in branch.profile.figures
        ]
        record["honors"] = [
            {k: _json_value(v) for k, v in _honor_row(h).items()} for h in branch.profile.honors
        ]
        records.append(record)
    doc = {
        "meta": {
            "title": "党组织开放数据",
            "schema_version": SCHEMA_VERSION,
            "generated_at": generated.isoformat() + "Z" if generated else None,
            "data_updated": data_updated,
            "site_url": site_url or None,
            "count": len(records),
            "columns": {
                "branches": _column_docs(BRANCH_COLUMNS),
                "figures": _column_docs(FIGURE_COLUMNS),
                "honors": _column_docs(HONOR_COLUMNS),
            },
        },
        "branches": records,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- CSV -------------------------------------------------------------------------------


def neutralise_csv(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_csv(value)
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _csv(rows: list[dict[str, Value]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in BRANCH_COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(_flat(row[c.key])) for c in BRANCH_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX ------------------------------------------------------------------------------


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


def _xlsx(branches: Sequence[Branch], rows: list[dict[str, Value]], moment: dt.datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET_BRANCHES
    _sheet(ws, BRANCH_COLUMNS, ({k: _flat(v) for k, v in r.items()} for r in rows))
    _sheet(wb.create_sheet(SHEET_FIGURES), KEY_COLUMNS + FIGURE_COLUMNS, _figure_rows(branches))
    _sheet(wb.create_sheet(SHEET_HONORS), KEY_COLUMNS + HONOR_COLUMNS, _honor_rows(branches))
    docs = [
        {"sheet": sheet, "key": c.key, "header": c.header, "description": c.description}
        for sheet, columns in (
            (SHEET_BRANCHES, BRANCH_COLUMNS),
            (SHEET_FIGURES, KEY_COLUMNS + FIGURE_COLUMNS),
            (SHEET_HONORS, KEY_COLUMNS + HONOR_COLUMNS),
        )
        for c in columns
    ]
    doc_columns = (
        Column("sheet", "工作表", "", 10),
        Column("header", "列名", "", 14),
        Column("key", "英文键（JSON）", "", 16),
        Column("description", "含义", "", 80),
    )
    _sheet(wb.create_sheet(SHEET_COLUMNS), doc_columns, docs)

    props = wb.properties
    props.title = "党组织开放数据"
    props.creator = "showcase"
    props.language = "zh-CN"
    out = io.BytesIO()
    wb.save(out)  # stamps docProps/core.xml and every zip entry with the current time
    props.created = props.modified = moment
    return _normalise_zip(out.getvalue(), moment, {"docProps/core.xml": tostring(props.to_tree())})


def _date_time(partial: str | None) -> dt.datetime:
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
