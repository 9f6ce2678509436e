"""Unit tests for showcase.model and showcase.schema_errors: profile values and Chinese problems.

Profiles go through the real pipeline (yamlstrict.load -> Profile.model_validate ->
schema_errors.translate), so each expected problem pins the message, the dotted field
name and the line:col the user is sent to.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from conftest import ROOT
from showcase.cli.authoring import schema_text
from showcase.content import yamlstrict
from showcase.content.model import Figure, PartialDate, Profile, Source, TaxonomyFile, profile_json_schema
from showcase.content.schema_errors import dotted, translate
from showcase.problems import Problem

P = "branches/huayuan-shequ/profile.yml"

# Line numbers below refer to this profile (line 18 is `value: 1400`, line 23 `updated`).
BASE = """\
slug: huayuan-shequ
name: 清水河县城关镇花园社区党总支
category: 社区
region: 呼和浩特市/清水河县/城关镇
brand:
  name: 党建·家
  slogan: 真情如家、高效便民
summary: 花园社区党总支把“党建·家”理念融入社区治理。
themes: [基层治理, 网格化管理]
figures:
  - label: 驻地单位
    value: 17
    unit: 个
  - label: 共驻共建活动
    value: 6
    unit: 次
  - label: 在职党员
    value: 1400
    unit: 名
sources:
  - title: 呼和浩特日报
    date: 2023-10-25
updated: 2024-10-25
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def validate(text: str, model: type[BaseModel] = Profile) -> Any:
    return model.model_validate(yamlstrict.load(P, text.encode()).data)


def problems(text: str, model: type[BaseModel] = Profile) -> list[str]:
    """The formatted problems for `text`, in file order; the profile must be invalid."""
    doc = yamlstrict.load(P, text.encode())
    with pytest.raises(ValidationError) as info:
        model.model_validate(doc.data)
    found = translate(info.value, doc, model)
    return [p.format() for p in sorted(found, key=Problem.sort_key)]


# --- the valid profile ------------------------------------------------------------------------


def test_valid_profile_converts_values() -> None:
    profile = validate(BASE)
    assert profile.slug == "huayuan-shequ"
    assert profile.display_name == "清水河县城关镇花园社区党总支"
    assert profile.themes == ["基层治理", "网格化管理"]
    assert [f.value for f in profile.figures] == [17, 6, 1400]
    assert all(type(f.value) is int for f in profile.figures)
    assert profile.updated == "2024-10-25"
    assert isinstance(profile.updated, PartialDate)
    assert profile.sources[0].date == "2023-10-25"
    assert profile.brand.slogan == "真情如家、高效便民"
    assert profile.honors == [] and profile.photos == []


def test_short_name_is_display_name() -> None:
    profile = validate(edit("category:", "short_name: 花园社区党总支\ncategory:"))
    assert profile.display_name == "花园社区党总支"


def test_empty_plain_value_means_not_given() -> None:
    profile = validate(edit("category:", "short_name:\ncategory:"))
    assert profile.short_name is None


def test_whitespace_is_stripped() -> None:
    profile = validate(edit("name: 清水河县城关镇花园社区党总支", 'name: "  清水河县城关镇花园社区党总支  "'))
    assert profile.name == "清水河县城关镇花园社区党总支"


def test_dotted() -> None:
    assert dotted(("figures", 2, "value")) == "figures[2].value"
    assert dotted(("brand", "name")) == "brand.name"
    assert dotted(()) == ""


# --- unknown keys -----------------------------------------------------------------------------


def test_unknown_key_did_you_mean() -> None:
    assert problems(edit("summary:", "summery:")) == [
        f"{P}:1:1: MISSING 缺少必填项 summary（简介）：请补上这一项。",
        f"{P}:8:1: UNKNOWN_KEY 未知的键“summery”，它的内容不会被使用：是否想写“summary”？",
    ]


def test_unknown_key_inside_list_item() -> None:
    text = edit("    value: 6\n", "    value: 6\n    lable: 活动\n")
    assert problems(text) == [
        f"{P}:16:5: UNKNOWN_KEY 未知的键“figures[1].lable”，它的内容不会被使用：是否想写“label”？"
    ]


def test_unknown_key_inside_nested_mapping() -> None:
    text = edit("  slogan:", "  slogen:")
    assert problems(text) == [
        f"{P}:7:3: UNKNOWN_KEY 未知的键“brand.slogen”，它的内容不会被使用：是否想写“slogan”？"
    ]


def test_unknown_key_without_a_close_match_lists_keys() -> None:
    assert problems(BASE + "xyz: 1\n") == [
        f"{P}:24:1: UNKNOWN_KEY 未知的键“xyz”，它的内容不会被使用：可用的键："
        "slug、name、short_name、category、region、brand、summary、themes、figures、honors、photos、"
        "sources、updated。"
    ]


# --- missing and empty ------------------------------------------------------------------------


def test_missing_required_field() -> None:
    assert problems(edit("name: 清水河县城关镇花园社区党总支\n", "")) == [
        f"{P}:1:1: MISSING 缺少必填项 name（党组织全称）：请补上这一项。"
    ]


def test_missing_required_nested_field() -> None:
    assert problems(edit("  name: 党建·家\n", "")) == [
        f"{P}:6:3: MISSING 缺少必填项 brand.name（品牌名称）：请在“brand”下补上这一项。"
    ]


def test_missing_required_field_in_list_item() -> None:
    assert problems(edit("  - title: 呼和浩特日报\n    date:", "  - date:")) == [
        f"{P}:21:5: MISSING 缺少必填项 sources[0].title（来源名称）：请在“sources[0]”下补上这一项。"
    ]


def test_empty_quoted_text() -> None:
    assert problems(edit("name: 清水河县城关镇花园社区党总支", 'name: ""')) == [
        f"{P}:2:7: EMPTY name（党组织全称） 不能为空。"
    ]


def test_empty_optional_values_as_the_web_editor_saves_them_are_not_given() -> None:
    """Decap (js-yaml) writes a cleared field as `''`: an optional one is simply not filled."""
    text = edit("category:", "short_name: ''\ncategory:")
    text = edit("  slogan: 真情如家、高效便民\n", "  slogan: ''\n  logo: ''\n", text)
    text = edit(
        "    value: 17\n    unit: 个\n",
        "    value: 17\n    qualifier: ''\n    unit: ''\n    as_of: ''\n    metric: ''\n",
        text,
    )
    text = edit("    date: 2023-10-25\n", "    date: ''\n    page: ''\n    url: \"\"\n", text)
    text = edit(
        "sources:",
        "honors:\n  - title: 市级示范支部\n    date: ''\n    by: ' '\n    level: ''\nsources:",
        text,
    )
    profile = validate(text)
    assert profile.short_name is None and profile.display_name == "清水河县城关镇花园社区党总支"
    assert (profile.brand.slogan, profile.brand.logo) == (None, None)
    figure = profile.figures[0]
    assert (figure.qualifier, figure.unit, figure.as_of, figure.metric) == (None, None, None, None)
    assert figure.display_number() == "17"
    assert (profile.sources[0].date, profile.sources[0].page, profile.sources[0].url) == (None, None, None)
    honor = profile.honors[0]
    assert (honor.date, honor.by, honor.level) == (None, None, None)


def test_empty_optional_list_is_the_empty_list() -> None:
    assert validate(edit("themes: [基层治理, 网格化管理]", "themes: ''")).themes == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  name: 党建·家", "  name: ''", f"{P}:6:9: EMPTY brand.name（品牌名称） 不能为空。"),
        (
            "summary: 花园社区党总支把“党建·家”理念融入社区治理。",
            "summary: ' '",
            f"{P}:8:10: EMPTY summary（简介） 不能为空。",
        ),
        (
            "slug: huayuan-shequ",
            "slug: ''",
            f"{P}:1:7: FORMAT slug（网址名）“”不合规：只能用小写字母、数字和连字符（-），2–63 个字符，以字母或数字开头。",
        ),
    ],
)
def test_empty_required_values_stay_errors(old: str, new: str, expected: str) -> None:
    assert problems(edit(old, new)) == [expected]


def test_empty_required_value_in_a_list_item_stays_an_error() -> None:
    assert problems(edit("  - label: 在职党员\n", "  - label: ''\n")) == [
        f"{P}:17:12: EMPTY figures[2].label（说明） 不能为空。"
    ]


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1400余", "数值只写数字：“1400余”里的“余”请写到 qualifier 字段（qualifier: 余）。"),
        ("近3000", "数值只写数字：“近3000”里的“近”请写到 qualifier 字段（qualifier: 近）。"),
        ("1,400", "数值“1,400”不要加千位分隔符：请写成 1400。"),
        ("一千", "数值“一千”不是数字：请只写阿拉伯数字，如 1400 或 3.5。"),
        ("1400人", "数值“1400人”不是数字：请只写阿拉伯数字，如 1400 或 3.5，单位请写到 unit 字段。"),
        ("[1400]", "数值应为一个数字。"),
        ("{a: 1}", "数值应为一个数字。"),
    ],
    ids=["qualifier", "qualifier-before", "comma", "chinese", "unit", "list", "mapping"],
)
def test_bad_number(value: str, message: str) -> None:
    assert problems(edit("value: 1400", f"value: {value}")) == [
        f"{P}:18:12: NUMBER figures[2].value（数值）：{message}"
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1400", 1400),
        ("3.5", Decimal("3.5")),
        ("１４００", 1400),
        ("0", 0),
        ("-3", -3),
        ("3.50", Decimal("3.50")),
    ],
)
def test_good_number(text: str, number: int | Decimal) -> None:
    value = validate(edit("value: 1400", f'value: "{text}"')).figures[2].value
    assert value == number
    assert type(value) is type(number)


def test_qualifier_not_allowed() -> None:
    assert problems(edit("    value: 1400\n", "    value: 1400\n    qualifier: 几\n")) == [
        f"{P}:19:16: CHOICE figures[2].qualifier（约数词） 只能是 余、多、近、约、超 之一，现在是“几”。"
    ]


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "shown"),
    [
        ("1400", "余", "名", "1400余名"),
        ("20", "多", "个", "20多个"),
        ("3000", "近", "人次", "近3000人次"),
        ("200", "约", "户", "约200户"),
        ("500", "超", "人", "超500人"),
        ("3.5", None, "万元", "3.5万元"),
        ("12", None, "篇", "12篇"),
        ("17", None, None, "17"),
    ],
)
def test_display_number(value: str, qualifier: str | None, unit: str | None, shown: str) -> None:
    data = {"label": "说明", "value": value, "qualifier": qualifier, "unit": unit}
    assert Figure.model_validate(data).display_number() == shown


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored", "shown"),
    [
        ("2024", "2024", "2024年"),
        ("2024-10", "2024-10", "2024年10月"),
        ("2024-10-25", "2024-10-25", "2024年10月25日"),
        ("2024年10月25日", "2024-10-25", "2024年10月25日"),
        ("2024年10月", "2024-10", "2024年10月"),
        ("2024-1-5", "2024-01-05", "2024年1月5日"),
        ("2024/10/25", "2024-10-25", "2024年10月25日"),
        ("2024.10", "2024-10", "2024年10月"),
        ("２０２４－１０", "2024-10", "2024年10月"),
    ],
)
def test_partial_date(written: str, stored: str, shown: str) -> None:
    date = Source.model_validate({"title": "呼和浩特日报", "date": written}).date
    assert isinstance(date, PartialDate)
    assert str(date) == stored
    assert date.display() == shown
    assert date.year == 2024
    assert date.sort_key == stored


def test_partial_date_from_python_date() -> None:
    import datetime as dt

    assert Source.model_validate({"title": "日报", "date": dt.date(2024, 3, 8)}).date == "2024-03-08"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2024-02-30", "日期“2024-02-30”不存在：请核对年、月、日。"),
        ("2023-02-29", "日期“2023-02-29”不存在：请核对年、月、日。"),
        ("2024/13", "日期“2024/13”不存在：请核对年、月、日。"),
        ("24-10", "日期“24-10”格式不对：请写成 2024-10-25、2024-10 或 2024。"),
        ("去年十月", "日期“去年十月”格式不对：请写成 2024-10-25、2024-10 或 2024。"),
        ("2024-10-25T08:00", "日期“2024-10-25T08:00”格式不对：请写成 2024-10-25、2024-10 或 2024。"),
        ("[2024]", "日期应写成 2024-10-25、2024-10 或 2024。"),
    ],
)
def test_bad_date(written: str, message: str) -> None:
    assert problems(edit("updated: 2024-10-25", f"updated: {written}")) == [
        f"{P}:23:10: DATE updated（更新日期）：{message}"
    ]


def test_leap_day_exists() -> None:
    assert validate(edit("updated: 2024-10-25", "updated: 2024-02-29")).updated == "2024-02-29"


# --- patterns, lengths, types -----------------------------------------------------------------


@pytest.mark.parametrize("slug", ["Huayuan_Shequ", "花园社区", "-huayuan", "a"])
def test_bad_slug(slug: str) -> None:
    assert problems(edit("slug: huayuan-shequ", f"slug: {slug}")) == [
        f"{P}:1:7: FORMAT slug（网址名）“{slug}”不合规："
        "只能用小写字母、数字和连字符（-），2–63 个字符，以字母或数字开头。"
    ]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/a", "www.example.com"])
def test_url_must_be_http(url: str) -> None:
    text = edit("    date: 2023-10-25\n", f"    date: 2023-10-25\n    url: {url}\n")
    assert problems(text) == [
        f"{P}:23:10: FORMAT sources[0].url（链接）“{url}”不是允许的链接：只能以 http:// 或 https:// 开头。"
    ]


@pytest.mark.parametrize("url", ["http://example.com/a", "https://www.huhhot.gov.cn/x?y=1"])
def test_url_http_accepted(url: str) -> None:
    text = edit("    date: 2023-10-25\n", f"    date: 2023-10-25\n    url: {url}\n")
    assert validate(text).sources[0].url == url


def test_string_too_long() -> None:
    text = edit("summary: 花园社区党总支把“党建·家”理念融入社区治理。", "summary: " + "长" * 301)
    assert problems(text) == [f"{P}:8:10: TOO_LONG summary（简介） 太长了：最多 300 个字，现在 301 个字。"]


def test_string_at_max_length_is_fine() -> None:
    text = edit("summary: 花园社区党总支把“党建·家”理念融入社区治理。", "summary: " + "长" * 300)
    assert len(validate(text).summary) == 300


def test_too_many_list_items() -> None:
    themes = ", ".join(f"主题{i}" for i in range(9))
    assert problems(edit("themes: [基层治理, 网格化管理]", f"themes: [{themes}]")) == [
        f"{P}:9:9: TOO_LONG themes（工作主题） 项数太多：最多 8 项。"
    ]


def test_list_where_text_expected() -> None:
    text = edit("name: 清水河县城关镇花园社区党总支", "name: [清水河县, 花园社区]")
    assert problems(text) == [f"{P}:2:7: TYPE name（党组织全称） 应为一段文字，现在是一个列表。"]


def test_text_where_mapping_expected() -> None:
    text = edit("brand:\n  name: 党建·家\n  slogan: 真情如家、高效便民\n", "brand: 党建·家\n")
    assert problems(text) == [f"{P}:5:8: TYPE brand（党建品牌） 应为一组“键: 值”，现在是“党建·家”。"]


def test_text_where_list_expected() -> None:
    text = edit("themes: [基层治理, 网格化管理]", "themes: 基层治理")
    assert problems(text) == [
        f"{P}:9:9: TYPE themes（工作主题） 应为一个列表（每项以“- ”开头），现在是“基层治理”。"
    ]


def test_mapping_where_text_expected_in_list_item() -> None:
    text = edit("  - label: 在职党员\n", "  - label: {name: 在职党员}\n")
    assert problems(text) == [
        f"{P}:17:12: TYPE figures[2].label（说明） 应为一段文字，现在是一组键值（映射）。"
    ]


def test_several_problems_are_all_reported() -> None:
    text = edit("slug: huayuan-shequ", "slug: Bad_Slug")
    text = edit("value: 6", "value: 6个", text)
    text = edit("updated: 2024-10-25", "updated: 2024-13", text)
    assert problems(text) == [
        f"{P}:1:7: FORMAT slug（网址名）“Bad_Slug”不合规："
        "只能用小写字母、数字和连字符（-），2–63 个字符，以字母或数字开头。",
        f"{P}:15:12: NUMBER figures[1].value（数值）："
        "数值“6个”不是数字：请只写阿拉伯数字，如 1400 或 3.5，单位请写到 unit 字段。",
        f"{P}:23:10: DATE updated（更新日期）：日期“2024-13”不存在：请核对年、月、日。",
    ]


# --- JSON Schema --------------------------------------------------------------------------------


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "branches" / "profile.schema.json").read_text("utf-8")
    assert schema_text() == json.dumps(profile_json_schema(), ensure_ascii=False, indent=2) + "\n"
    assert committed == schema_text(), (
        "branches/profile.schema.json 与 model.py 不一致：请运行 `showcase schema` 重新生成并提交。"
    )


CJK = re.compile(r"[\u4e00-\u9fff]")


def _models(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(schema.get("title", "(root)"), schema), *schema.get("$defs", {}).items()]


@pytest.mark.parametrize(
    "schema",
    [profile_json_schema(), TaxonomyFile.model_json_schema()],
    ids=["profile", "taxonomy"],
)
def test_every_field_has_a_chinese_description(schema: dict[str, Any]) -> None:
    missing = []
    seen = 0
    for model_name, model in _models(schema):
        if not CJK.search(model.get("description", "")):
            missing.append(model_name)
        for field, prop in model.get("properties", {}).items():
            seen += 1
            if not CJK.search(prop.get("description", "")):
                missing.append(f"{model_name}.{field}")
    assert seen >= 5
    assert missing == [], f"这些模型或字段缺少中文 description：{missing}"


def test_profile_schema_covers_every_model() -> None:
    schema = profile_json_schema()
    assert set(schema["$defs"]) == {"Brand", "Figure", "Honor", "Photo", "Source"}
    assert schema["additionalProperties"] is False
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"slug", "name", "category", "region", "brand", "summary", "updated"}
