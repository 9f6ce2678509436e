"""Open-data exports of all branches: /data/branches.json, .csv and .xlsx (DESIGN §5).

Framework-free: `export()` takes the loaded branches and returns the files' bytes; the plugin
only publishes them. The columns are the published contract (open_data_columns.py).

- CSV: one row per branch, Chinese headers, UTF-8 with a BOM (Excel in China otherwise reads
  it as GBK), CRLF line ends (RFC 4180).
- XLSX: sheets 党组织, 关键数字, 荣誉 and 字段说明 (open_data_xlsx.py).
- JSON: the same data with English keys, themes as an array, figures and honours nested.

Every output is deterministic: rows sorted by slug, no wall-clock time anywhere (the only
timestamp comes from SOURCE_DATE_EPOCH), and the XLSX zip rewritten with fixed entry times.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import posixpath
import shutil
from collections.abc import Iterable, Sequence
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from showcase import urls
from showcase.atomic import atomic_write
from showcase.content.load import Branch
from showcase.content.model import Figure, Honor
from showcase.reports import open_data_columns, open_data_xlsx
from showcase.reports.open_data_columns import (
    BRANCH_COLUMNS,
    FIGURE_COLUMNS,
    FORMULA_START,
    HONOR_COLUMNS,
    SCHEMA_VERSION,
    THEME_SEPARATOR,
    Cell,
    Column,
    Value,
)
from showcase.reports.open_data_xlsx import moment_of, workbook

JSON_PATH = "data/branches.json"
CSV_PATH = "data/branches.csv"
XLSX_PATH = "data/branches.xlsx"
# The code whose output the cache keeps: a change to any of it makes new files.
_CODE = (Path(__file__), Path(open_data_columns.__file__), Path(open_data_xlsx.__file__))


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
        XLSX_PATH: workbook(
            ({k: _flat(v) for k, v in r.items()} for r in rows),
            _figure_rows(ordered),
            _honor_rows(ordered),
            generated or moment_of(data_updated),
        ),
    }


def cached_export(branches: Sequence[Branch], site_url: str, cache_dir: Path) -> dict[str, bytes]:
    """`export`, kept in `cache_dir/data/` under a digest of everything it reads: the
    branches' sources, the site URL, the build time and the exports' code. Writing the
    workbook takes ~1.2 s at 1,000 branches, a fifth of a warm rebuild."""
    epoch = source_date_epoch()
    h = hashlib.sha256()
    for code in _CODE:
        h.update(code.read_bytes())
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
