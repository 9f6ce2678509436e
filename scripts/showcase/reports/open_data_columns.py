"""The columns of the open-data files: the published contract (README “开放数据”).

Columns may be added at the end, never renamed, reordered or removed without raising
SCHEMA_VERSION.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

SCHEMA_VERSION = 1
THEME_SEPARATOR = "、"
# A spreadsheet treats a cell starting with one of these as a formula (OWASP “CSV injection”).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

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
