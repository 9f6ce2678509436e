"""Content model v1: a branch profile and the taxonomy, as pydantic models.

Field titles and descriptions are Chinese: they become the JSON Schema editors show
(`branches/profile.schema.json`). Values arrive as strings from the strict YAML loader
and are converted here, so the rules for every value live in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
QUALIFIERS = ("余", "多", "近", "约", "超")
# Newspapers write 1400余名 / 20多个 but 近3000人次 / 约200户 / 超500人.
QUALIFIERS_BEFORE = ("近", "约", "超")
NO_CONSENT = "未同意"  # Photo.consent: the photo is kept in the repository, never published
MAX_DIGITS = 15  # beyond any count we publish; also keeps int(str) far from Python's 4300-digit limit


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_optional_is_unset(cls, value: Any, info: ValidationInfo) -> Any:
        """An optional field written as an empty string (`short_name: ""`, `qualifier: ''`:
        what the web editor saves for a cleared field) is not filled in: its default. A
        required field stays empty, and is reported as such."""
        if not isinstance(value, str) or value.strip() or info.field_name is None:
            return value
        field = cls.model_fields[info.field_name]
        return value if field.is_required() else field.get_default(call_default_factory=True)


# --- value types -----------------------------------------------------------------------


class PartialDate(str):
    """A date as precise as the source: 2024, 2024-10 or 2024-10-25 (kept as written)."""

    __slots__ = ()

    @property
    def sort_key(self) -> str:
        return str(self)

    @property
    def year(self) -> int:
        return int(self[:4])

    def display(self) -> str:
        parts = self.split("-")
        units = ("年", "月", "日")
        return "".join(f"{int(p)}{u}" for p, u in zip(parts, units, strict=False))


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _to_partial_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return PartialDate(value.isoformat())
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "日期应写成 2024-10-25、2024-10 或 2024。", {})
    text = unicodedata.normalize("NFKC", value).strip()
    text = re.sub(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$", _cn_date, text)
    m = _DATE_RE.match(text.replace("/", "-").replace(".", "-"))
    if not m:
        raise PydanticCustomError(
            "date_format", "日期“{value}”格式不对：请写成 2024-10-25、2024-10 或 2024。", {"value": value}
        )
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise PydanticCustomError(
            "date_invalid", "日期“{value}”不存在：请核对年、月、日。", {"value": value}
        ) from None
    out = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
    return PartialDate(out)


def _cn_date(m: re.Match[str]) -> str:
    return "-".join(g for g in m.groups() if g)


DateStr = Annotated[
    PartialDate,
    PlainValidator(_to_partial_date),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "examples": ["2024-10-25", "2024-10", "2024"],
        }
    ),
]


def _to_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise PydanticCustomError("number_type", "数值应为一个数字。", {})
    if not isinstance(value, str):
        value = str(value) if abs(value) < 10**MAX_DIGITS else "9" * (MAX_DIGITS + 1)
    text = unicodedata.normalize("NFKC", value).strip()
    for q in QUALIFIERS:
        if q in text:
            raise PydanticCustomError(
                "number_qualifier",
                "数值只写数字：“{value}”里的“{q}”请写到 qualifier 字段（qualifier: {q}）。",
                {"value": value, "q": q},
            )
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        raise PydanticCustomError(
            "number_comma",
            "数值“{value}”不要加千位分隔符：请写成 {plain}。",
            {"value": value, "plain": text.replace(",", "")},
        )
    if len(re.sub(r"\D", "", text)) > MAX_DIGITS:
        raise PydanticCustomError(
            "number_too_long",
            "数值“{value}”超过 {n} 位数字：请核对，数据卡片只写统计数字。",
            {"value": value if len(value) <= 24 else value[:20] + "……", "n": MAX_DIGITS},
        )
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        hint = "，单位请写到 unit 字段" if re.search(r"\d", text) else ""
        raise PydanticCustomError(
            "number_format",
            "数值“{value}”不是数字：请只写阿拉伯数字，如 1400 或 3.5{hint}。",
            {"value": value, "hint": hint},
        )
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - regex above guarantees a decimal
        raise PydanticCustomError("number_format", "数值“{value}”不是数字。", {"value": value}) from None
    return int(number) if number == number.to_integral_value() and "." not in text else number


Number = Annotated[
    int | Decimal,
    BeforeValidator(_to_number),
    PlainSerializer(lambda v: int(v) if isinstance(v, int) else float(v), return_type=float),
    WithJsonSchema({"type": "number"}),
]


def _text(max_length: int, *, title: str, description: str, optional: bool = False) -> Any:
    if optional:
        return Field(default=None, min_length=1, max_length=max_length, title=title, description=description)
    return Field(min_length=1, max_length=max_length, title=title, description=description)


# --- branch profile ----------------------------------------------------------------------


class Brand(_Model):
    """党建品牌。"""

    model_config = ConfigDict(title="党建品牌")

    name: str = _text(30, title="品牌名称", description="党建品牌的名称，如“五心阳光”“书香政协”。")
    slogan: str | None = _text(
        80,
        title="品牌口号",
        description="品牌的核心理念或口号，如“一核引领、多元共治、精准赋能、精细服务”。",
        optional=True,
    )
    logo: str | None = _text(
        120,
        title="品牌标识",
        description="品牌标识图片，放在本组织文件夹内的相对路径，如 logo.png。可不填。",
        optional=True,
    )


class Figure(_Model):
    """数据卡片上的一项关键数字，如“1400余名党员”。"""

    model_config = ConfigDict(title="关键数字")

    label: str = _text(24, title="说明", description="这个数字统计的是什么，如“机关党员参与志愿服务”。")
    value: Number = Field(
        title="数值", description="只写阿拉伯数字，如 1400 或 3.5；“余”“多”等写到 qualifier。"
    )
    qualifier: Literal["余", "多", "近", "约", "超"] | None = Field(
        default=None,
        title="约数词",
        description="报道中的约数写法：余、多（写在数字后，如 1400余名）；近、约、超（写在数字前，如 近3000人次）。",
    )
    unit: str | None = _text(
        8, title="单位", description="量词或单位，如 名、个、支、场、户、人次、万元。", optional=True
    )
    as_of: DateStr | None = Field(
        default=None, title="统计时间", description="这个数字截至何时，如 2024-10 或 2024-10-25。"
    )
    metric: str | None = _text(
        20,
        title="汇总指标",
        description="取自 taxonomy.yml 的 metrics，如“党员人数”。写了指标的数字才参与全站和各区域的汇总；不写只展示、不相加。",
        optional=True,
    )

    def display_number(self) -> str:
        """The number as a newspaper prints it: 1400余名, 近3000人次, 3.5万元."""
        number = format(self.value, "f") if isinstance(self.value, Decimal) else str(self.value)
        q = self.qualifier or ""
        unit = self.unit or ""
        if q in QUALIFIERS_BEFORE:
            return f"{q}{number}{unit}"
        return f"{number}{q}{unit}"


class Honor(_Model):
    """获得的荣誉。"""

    model_config = ConfigDict(title="荣誉")

    title: str = _text(60, title="荣誉名称", description="荣誉称号全称，如“呼和浩特市坚强堡垒示范支部”。")
    date: DateStr | None = Field(
        default=None, title="授予时间", description="如 2024-10-18、2024-10 或 2024。"
    )
    by: str | None = _text(
        40, title="授予单位", description="颁发或命名的单位，如“中共呼和浩特市委”。", optional=True
    )
    level: Literal["国家级", "省级", "市级", "县级", "乡镇级"] | None = Field(
        default=None,
        title="荣誉级别",
        description="国家级、省级（含自治区）、市级、县级（含区、旗）、乡镇级（含街道）。不填则按授予单位和荣誉名称推断。",
    )


class Photo(_Model):
    """一张照片及其图片说明。"""

    model_config = ConfigDict(title="照片")

    file: str = _text(120, title="文件", description="照片在本组织文件夹内的相对路径，如 photos/xunluo.jpg。")
    caption: str = _text(
        120, title="图片说明", description="照片内容的说明，一句话，如“义务巡逻队在幼儿园周边护学”。"
    )
    credit: str = _text(30, title="摄影", description="拍摄者署名，如“本报记者 祁晓燕”；示意图写“示意图”。")
    date: DateStr | None = Field(default=None, title="拍摄时间", description="如 2024-09-02。")
    alt: str | None = _text(
        120, title="替代文字", description="给读屏软件的文字描述；不填则使用图片说明。", optional=True
    )
    consent: Literal["已同意", "不涉及", "未同意"] | None = Field(
        default=None,
        title="肖像同意",
        description=(
            "照片里认得出的人是否同意刊登：已同意；不涉及（没有认得出的人，或是示意图）；"
            "未同意的照片不发布（网站和印刷版都没有），取得同意后再改。"
        ),
    )


class Source(_Model):
    """信息来源，如报道这一案例的报纸。"""

    model_config = ConfigDict(title="来源")

    title: str = _text(60, title="来源名称", description="如“呼和浩特日报”。")
    date: DateStr | None = Field(default=None, title="日期", description="刊发日期，如 2024-10-25。")
    page: str | None = _text(20, title="版次", description="如“第3版”。", optional=True)
    url: str | None = Field(
        default=None,
        max_length=300,
        pattern=r"^(https?://)",
        title="链接",
        description="原文链接，只能以 http:// 或 https:// 开头。",
    )


class Profile(_Model):
    """一个党组织的档案（branches/<slug>/profile.yml）。"""

    model_config = ConfigDict(title="党组织档案")

    slug: str = Field(
        pattern=SLUG_RE.pattern,
        title="网址名",
        description="与文件夹同名，只用小写字母、数字和连字符，如 yangguang-shequ；决定页面网址，发布后不要再改。",
    )
    name: str = _text(60, title="党组织全称", description="如“回民区光明路街道阳光社区党委”。")
    short_name: str | None = _text(
        30, title="简称", description="用于卡片和列表，如“阳光社区党委”。可不填。", optional=True
    )
    category: str = _text(20, title="组织类别", description="取自 taxonomy.yml 的 categories，如“社区”。")
    region: str = _text(
        80,
        title="所属区域",
        description="taxonomy.yml 区域树中的路径，用 / 分隔，如“呼和浩特市/回民区/光明路街道”。",
    )
    brand: Brand = Field(title="党建品牌", description="党建品牌的名称、口号和标识。")
    summary: str = _text(
        300, title="简介", description="一两句话介绍这个党组织和它的品牌，用于卡片、分享和印刷版导语。"
    )
    themes: list[str] = Field(
        default_factory=list,
        max_length=8,
        title="工作主题",
        description="取自 taxonomy.yml 的 themes，可填多个。",
    )
    figures: list[Figure] = Field(
        default_factory=list, max_length=12, title="关键数字", description="数据卡片，每项一个数字。"
    )
    honors: list[Honor] = Field(
        default_factory=list, max_length=40, title="荣誉", description="获得的荣誉称号。"
    )
    photos: list[Photo] = Field(
        default_factory=list, max_length=40, title="照片", description="照片及图片说明。"
    )
    sources: list[Source] = Field(
        default_factory=list, max_length=20, title="来源", description="案例信息的出处，如报纸名称和日期。"
    )
    updated: DateStr = Field(title="更新日期", description="档案最近一次核实更新的日期，如 2024-10-25。")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Update(_Model):
    """一条动态（简讯）的文件头：branches/<slug>/updates/*.md 开头两行“---”之间的部分。"""

    model_config = ConfigDict(title="动态（简讯）")

    date: DateStr = Field(
        title="日期",
        description="活动或消息的日期，尽量精确到日，如 2024-10-18；只知道月份或年份时写 2024-10 或 2024。",
    )
    title: str = _text(60, title="标题", description="一句话标题，如“友好村党总支获评市级坚强堡垒示范支部”。")
    photos: list[Photo] = Field(
        default_factory=list,
        max_length=9,
        title="照片",
        description="这条动态的照片，写法与档案的 photos 相同；照片文件放在本组织文件夹内，如 updates/xunluo.jpg。",
    )


# --- taxonomy ---------------------------------------------------------------------------


class Term(_Model):
    """受控词表中的一项（组织类别或工作主题）。"""

    name: str = _text(20, title="名称", description="显示名，也是网址的一部分。")
    description: str | None = _text(200, title="说明", description="一句话解释。", optional=True)


class Metric(_Model):
    """可汇总的指标：档案里写了同一指标的数字才会相加。"""

    name: str = _text(20, title="名称", description="如“党员人数”。")
    unit: str = _text(8, title="单位", description="汇总时使用的单位，如 名、支、人次、件、万元。")
    description: str | None = _text(200, title="说明", description="统计口径，一句话。", optional=True)


class TaxonomyFile(_Model):
    """branches/taxonomy.yml：区域树、组织类别、工作主题、汇总指标。"""

    model_config = ConfigDict(title="受控词表")

    regions: dict[str, Any] = Field(
        title="区域树",
        description="嵌套的映射：键是区域名，值是下级区域（映射）或下级区域名的列表。",
    )
    categories: list[Term] = Field(min_length=1, title="组织类别", description="如 社区、村、机关。")
    themes: list[Term] = Field(min_length=1, title="工作主题", description="如 基层治理、志愿服务。")
    metrics: list[Metric] = Field(
        default_factory=list,
        title="汇总指标",
        description="档案 figures 中 metric 可取的指标及其单位，如 党员人数（名）。",
    )


def profile_json_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "profile.schema.json"
    return schema
