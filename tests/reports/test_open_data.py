"""Open-data exports /data/branches.{json,csv,xlsx}: checked against the profiles as read
independently of the package (plain YAML strings), and read back with csv, json and openpyxl."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import ROOT, BuiltSite
from showcase.content.load import Branch, Project, load_project
from showcase.reports import open_data

SITE_URL = "https://dangjian.example.org/"  # mkdocs.yml
EPOCH = 1729814400  # 2024-10-25T00:00:00Z
BRANCH_DIRS = sorted(p.parent for p in (ROOT / "branches").glob("*/profile.yml"))

# The published contract, written out here rather than taken from the module.
BRANCH_HEADERS = [
    "网址名",
    "党组织全称",
    "简称",
    "组织类别",
    "所属区域",
    "市",
    "旗县区",
    "街道乡镇",
    "党建品牌",
    "品牌口号",
    "简介",
    "工作主题",
    "关键数字数",
    "荣誉数",
    "图片数",
    "更新日期",
    "页面网址",
]
BRANCH_KEYS = [
    "slug",
    "name",
    "short_name",
    "category",
    "region",
    "region_city",
    "region_county",
    "region_township",
    "brand_name",
    "brand_slogan",
    "summary",
    "themes",
    "figure_count",
    "honor_count",
    "photo_count",
    "updated",
    "url",
]
FIGURE_HEADERS = [
    "网址名",
    "党组织全称",
    "序号",
    "说明",
    "数值",
    "约数词",
    "单位",
    "统计时间",
    "汇总指标",
    "显示文字",
]
FIGURE_KEYS = ["label", "value", "qualifier", "unit", "as_of", "metric", "display"]
HONOR_HEADERS = ["网址名", "党组织全称", "序号", "荣誉名称", "授予时间", "授予单位", "荣誉级别"]
HONOR_KEYS = ["title", "date", "by", "level"]
SHEETS = ["党组织", "关键数字", "荣誉", "字段说明"]


def source(folder: Path) -> dict[str, Any]:
    """The profile as plain strings, read independently of the package's loader."""
    data: dict[str, Any] = yaml.load((folder / "profile.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    return data


SOURCES = {s["slug"]: s for s in map(source, BRANCH_DIRS)}


def newspaper_number(figure: dict[str, str]) -> str:
    q, unit = figure.get("qualifier", ""), figure.get("unit", "")
    if q in ("近", "约", "超"):
        return f"{q}{figure['value']}{unit}"
    return f"{figure['value']}{q}{unit}"


@pytest.fixture(scope="module")
def project() -> Project:
    loaded = load_project(ROOT)
    assert not loaded.errors
    assert len(loaded.branches) == len(BRANCH_DIRS)
    return loaded


@pytest.fixture(scope="module")
def files(project: Project) -> dict[str, bytes]:
    return open_data.export(project.branches, SITE_URL, epoch=EPOCH)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(wb: openpyxl.Workbook, name: str) -> list[list[Any]]:
    return [[c.value for c in row] for row in wb[name].iter_rows()]


def newest_date(partial: str) -> list[int]:
    return ([int(x) for x in partial.split("-")] + [1, 1])[:3]


def with_profile(branch: Branch, **changes: Any) -> Branch:
    return dataclasses.replace(branch, profile=branch.profile.model_copy(update=changes))


# --- the three files ---------------------------------------------------------------------------


def test_exports_exactly_the_published_paths(files: dict[str, bytes]) -> None:
    assert sorted(files) == ["data/branches.csv", "data/branches.json", "data/branches.xlsx"]


def test_csv_has_bom_documented_header_and_one_row_per_branch(files: dict[str, bytes]) -> None:
    data = files["data/branches.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    assert not data[3:].startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    rows = read_csv(data)
    assert rows[0] == BRANCH_HEADERS
    body = rows[1:]
    assert [r[0] for r in body] == sorted(SOURCES)  # one row per branch, by slug
    for row in body:
        assert len(row) == len(BRANCH_HEADERS)
        cell = dict(zip(BRANCH_HEADERS, row, strict=True))
        src = SOURCES[cell["网址名"]]
        levels = src["region"].strip("/").split("/")
        assert cell["党组织全称"] == src["name"]
        assert cell["简称"] == src.get("short_name", "")
        assert cell["组织类别"] == src["category"]
        assert cell["所属区域"] == src["region"].strip("/")
        assert [cell["市"], cell["旗县区"], cell["街道乡镇"]] == [*levels, "", ""][:3]
        assert cell["党建品牌"] == src["brand"]["name"]
        assert cell["品牌口号"] == src["brand"].get("slogan", "")
        assert cell["简介"] == src["summary"].strip()
        assert cell["工作主题"] == "、".join(src.get("themes", []))
        assert cell["关键数字数"] == str(len(src.get("figures", [])))
        assert cell["荣誉数"] == str(len(src.get("honors", [])))
        assert cell["图片数"] == str(len(src.get("photos", [])))
        assert cell["更新日期"] == src["updated"]
        assert cell["页面网址"] == f"https://dangjian.example.org/branches/{src['slug']}/"


def test_json_values_equal_the_profiles(files: dict[str, bytes]) -> None:
    raw = files["data/branches.json"]
    assert "回民区".encode() in raw  # UTF-8 text, not \\u escapes
    doc = json.loads(raw)
    meta = doc["meta"]
    assert meta["schema_version"] == 1
    assert meta["generated_at"] == "2024-10-25T00:00:00Z"
    assert meta["count"] == len(SOURCES)
    assert [c["key"] for c in meta["columns"]["branches"]] == BRANCH_KEYS
    assert [c["header"] for c in meta["columns"]["branches"]] == BRANCH_HEADERS
    assert [c["key"] for c in meta["columns"]["figures"]] == FIGURE_KEYS
    assert [c["key"] for c in meta["columns"]["honors"]] == HONOR_KEYS
    assert all(c["description"] for cols in meta["columns"].values() for c in cols)

    records = doc["branches"]
    assert [r["slug"] for r in records] == sorted(SOURCES)
    decimals = 0
    for record in records:
        src = SOURCES[record["slug"]]
        assert list(record) == [*BRANCH_KEYS, "figures", "honors"]
        assert record["name"] == src["name"]
        assert record["short_name"] == src.get("short_name")
        assert record["region"] == src["region"].strip("/")
        assert record["brand_slogan"] == src["brand"].get("slogan")
        assert record["themes"] == src.get("themes", [])
        assert record["photo_count"] == len(src.get("photos", []))
        assert record["url"] == f"{SITE_URL}branches/{src['slug']}/"
        figures = src.get("figures", [])
        assert len(record["figures"]) == len(figures)
        for got, want in zip(record["figures"], figures, strict=True):
            assert list(got) == FIGURE_KEYS
            assert isinstance(got["value"], int | float) and not isinstance(got["value"], bool)
            assert got["value"] == float(want["value"])
            decimals += "." in want["value"]
            assert got["label"] == want["label"]
            assert got["qualifier"] == want.get("qualifier")
            assert got["unit"] == want.get("unit")
            assert got["metric"] == want.get("metric")
            assert got["display"] == newspaper_number(want)
        honors = src.get("honors", [])
        assert [h["title"] for h in record["honors"]] == [h["title"] for h in honors]
        assert [h["by"] for h in record["honors"]] == [h.get("by") for h in honors]
        assert [h["level"] for h in record["honors"]] == [h.get("level") for h in honors]
    assert decimals, "the sample should have a figure like 3.1万亩"


def test_xlsx_reads_back(files: dict[str, bytes]) -> None:
    wb = read_xlsx(files["data/branches.xlsx"])
    assert wb.sheetnames == SHEETS
    branches = sheet_rows(wb, "党组织")
    assert branches[0] == BRANCH_HEADERS
    assert [r[0] for r in branches[1:]] == sorted(SOURCES)

    figures = sheet_rows(wb, "关键数字")
    assert figures[0] == FIGURE_HEADERS
    want_figures = [
        (slug, i, f) for slug in sorted(SOURCES) for i, f in enumerate(SOURCES[slug].get("figures", []), 1)
    ]
    assert len(figures) - 1 == len(want_figures) > 0
    for row, (slug, seq, want) in zip(figures[1:], want_figures, strict=True):
        cell = dict(zip(FIGURE_HEADERS, row, strict=True))
        assert (cell["网址名"], cell["党组织全称"], cell["序号"]) == (slug, SOURCES[slug]["name"], seq)
        assert cell["说明"] == want["label"]
        assert isinstance(cell["数值"], int | float) and cell["数值"] == float(want["value"])
        assert cell["约数词"] == want.get("qualifier")
        assert cell["显示文字"] == newspaper_number(want)
    value_col = FIGURE_HEADERS.index("数值") + 1
    assert {wb["关键数字"].cell(row=r, column=value_col).data_type for r in range(2, len(figures) + 1)} == {
        "n"
    }

    honors = sheet_rows(wb, "荣誉")
    assert honors[0] == HONOR_HEADERS
    want_honors = [(slug, h) for slug in sorted(SOURCES) for h in SOURCES[slug].get("honors", [])]
    assert len(honors) - 1 == len(want_honors) > 0
    assert [(r[0], r[3]) for r in honors[1:]] == [(slug, h["title"]) for slug, h in want_honors]

    docs = sheet_rows(wb, "字段说明")
    assert [r[:2] for r in docs[1:] if r[0] == "党组织"] == [["党组织", h] for h in BRANCH_HEADERS]


def test_numbers_keep_their_decimals_everywhere(project: Project) -> None:
    branch = project.branches[0]
    figure = branch.profile.figures[0].model_copy(update={"value": Decimal("1.38"), "qualifier": "近"})
    out = open_data.export([with_profile(branch, figures=[figure])], "")
    assert json.loads(out["data/branches.json"])["branches"][0]["figures"][0]["value"] == 1.38
    row = sheet_rows(read_xlsx(out["data/branches.xlsx"]), "关键数字")[1]
    assert row[4] == 1.38
    assert row[9] == f"近1.38{figure.unit or ''}"


# --- URLs -----------------------------------------------------------------------------------------


def test_without_site_url_page_urls_are_root_relative(project: Project) -> None:
    out = open_data.export(project.branches, "", epoch=EPOCH)
    records = json.loads(out["data/branches.json"])["branches"]
    assert [r["url"] for r in records] == [f"/branches/{slug}/" for slug in sorted(SOURCES)]
    assert read_csv(out["data/branches.csv"])[1][-1] == f"/branches/{sorted(SOURCES)[0]}/"


def test_site_url_with_a_path(project: Project) -> None:
    out = open_data.export(project.branches[:1], "https://example.org/dangjian", epoch=EPOCH)
    slug = project.branches[0].slug
    assert json.loads(out["data/branches.json"])["branches"][0]["url"] == (
        f"https://example.org/dangjian/branches/{slug}/"
    )


# --- untrusted text -------------------------------------------------------------------------------


def test_formula_looking_text_is_neutralised(project: Project) -> None:
    branch = project.branches[0]
    evil = with_profile(
        branch,
        summary='=HYPERLINK("http://evil.example/","点击领取")',
        short_name="#N/A",
        brand=branch.profile.brand.model_copy(update={"slogan": "@SUM(A1:A9)", "name": "+1-2"}),
        themes=["-3+4"],
    )
    out = open_data.export([evil], "")

    cell = dict(zip(BRANCH_HEADERS, read_csv(out["data/branches.csv"])[1], strict=True))
    assert cell["简介"] == '\'=HYPERLINK("http://evil.example/","点击领取")'
    assert cell["品牌口号"] == "'@SUM(A1:A9)"
    assert cell["党建品牌"] == "'+1-2"
    assert cell["工作主题"] == "'-3+4"
    assert cell["简称"] == "#N/A"

    wb = read_xlsx(out["data/branches.xlsx"])
    ws = wb["党组织"]
    by_header = {h: ws.cell(row=2, column=i) for i, h in enumerate(BRANCH_HEADERS, 1)}
    for header, text in [
        ("简介", evil.profile.summary),
        ("品牌口号", "@SUM(A1:A9)"),
        ("党建品牌", "+1-2"),
        ("简称", "#N/A"),
    ]:
        assert by_header[header].value == text
        assert by_header[header].data_type == "s", header
    assert by_header["简介"].quotePrefix and by_header["品牌口号"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(out["data/branches.xlsx"])) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
            assert 't="e"' not in xml, name

    # JSON is data, not a spreadsheet: the text stays as written.
    record = json.loads(out["data/branches.json"])["branches"][0]
    assert record["summary"] == evil.profile.summary
    assert record["themes"] == ["-3+4"]


# --- deterministic bytes --------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes(project: Project) -> None:
    first = open_data.export(project.branches, SITE_URL, epoch=EPOCH)
    second = open_data.export(list(reversed(project.branches)), SITE_URL, epoch=EPOCH)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first["data/branches.xlsx"])) as z:
        assert z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(2024, 10, 25, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode("utf-8")
    stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core)
    assert sorted(stamps) == [("created", "2024-10-25T00:00:00Z"), ("modified", "2024-10-25T00:00:00Z")]


def test_build_time_comes_from_source_date_epoch(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732147200")  # 2024-11-21
    out = open_data.export(project.branches, SITE_URL)
    assert json.loads(out["data/branches.json"])["meta"]["generated_at"] == "2024-11-21T00:00:00Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    unset = open_data.export(project.branches, SITE_URL)
    assert json.loads(unset["data/branches.json"])["meta"]["generated_at"] is None
    newest = max(s["updated"] for s in SOURCES.values())
    assert json.loads(unset["data/branches.json"])["meta"]["data_updated"] == newest
    with zipfile.ZipFile(io.BytesIO(unset["data/branches.xlsx"])) as z:
        # No build time: the entries carry the data's date, never the clock's.
        assert {i.date_time[:3] for i in z.infolist()} == {tuple(newest_date(newest))}


# --- the built site and the README ---------------------------------------------------------------


def test_built_site_publishes_the_files(sample_site: BuiltSite, project: Project) -> None:
    paths = {name: sample_site.dir / "data" / f"branches.{name}" for name in ("json", "csv", "xlsx")}
    for path in paths.values():
        assert path.is_file(), path
    records = json.loads(paths["json"].read_text("utf-8"))["branches"]
    assert [r["slug"] for r in records] == sorted(SOURCES)
    for record in records:
        assert record["url"].startswith(SITE_URL)
        page = sample_site.dir / record["url"].removeprefix(SITE_URL) / "index.html"
        assert page.is_file(), record["url"]
    rows = read_csv(paths["csv"].read_bytes())
    assert rows[0] == BRANCH_HEADERS and len(rows) == len(SOURCES) + 1
    assert read_xlsx(paths["xlsx"].read_bytes()).sheetnames == SHEETS
    # The published bytes are what the core makes of the same project (the same build time).
    expected = open_data.export(project.branches, SITE_URL)
    for name, path in paths.items():
        assert path.read_bytes() == expected[f"data/branches.{name}"], name


def test_readme_documents_every_column() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## 开放数据", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| *([^|]+?) *\| *`([a-z_]+)` *\|", section, re.M))
    for headers, keys in [
        (BRANCH_HEADERS, BRANCH_KEYS),
        (FIGURE_HEADERS[3:], FIGURE_KEYS),
        (HONOR_HEADERS[3:], HONOR_KEYS),
    ]:
        for header, key in zip(headers, keys, strict=True):
            assert (header, key) in rows, (header, key)


def test_cached_export_is_reused_until_a_branch_changes(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = open_data.cached_export(project.branches, SITE_URL, tmp_path)
    assert first == open_data.export(project.branches, SITE_URL)
    real_export = open_data.export

    def refuse(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        raise AssertionError("a warm build wrote the workbook again")

    monkeypatch.setattr(open_data, "export", refuse)
    assert open_data.cached_export(project.branches, SITE_URL, tmp_path) == first
    # A changed branch (new digest) or another site URL means new files.
    changed = [dataclasses.replace(project.branches[0], digest="0" * 64), *project.branches[1:]]
    monkeypatch.setattr(open_data, "export", real_export)
    again = open_data.cached_export(changed, "https://other.example.org/", tmp_path)
    assert b"https://other.example.org/" in again[open_data.CSV_PATH]
    assert len(list((tmp_path / "data").iterdir())) == 1  # the old entry was dropped
