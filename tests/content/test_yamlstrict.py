"""Unit tests for showcase.yamlstrict: the strict YAML subset for hand-written profiles.

Every refused construct must come back as exactly one Chinese Problem naming the file,
the line and the column; everything accepted must stay plain strings with positions.
"""

from __future__ import annotations

import pytest

from showcase.content import yamlstrict
from showcase.problems import ContentError, Severity

P = "branches/huayuan-shequ/profile.yml"


def only_problem(raw: bytes, path: str = P) -> str:
    """The single formatted problem that loading `raw` raises."""
    with pytest.raises(ContentError) as info:
        yamlstrict.load(path, raw)
    problems = info.value.problems
    assert len(problems) == 1, [p.format() for p in problems]
    assert problems[0].severity is Severity.ERROR
    return problems[0].format()


def nested(levels: int) -> bytes:
    """`levels` block mappings nested inside each other, the innermost holding `x`."""
    lines = ["  " * i + f"k{i}:" + (" x" if i == levels - 1 else "") for i in range(levels)]
    return ("\n".join(lines) + "\n").encode()


# --- refused input, one test per error class -----------------------------------------------


def test_tab_indentation() -> None:
    raw = b"slug: huayuan-shequ\nbrand:\n\tname: x\n"
    assert only_problem(raw) == f"{P}:3:1: YAML_TAB 不能用制表符（Tab）缩进或分隔：请改用空格。"


def test_duplicate_key_names_first_line() -> None:
    raw = "slug: huayuan-shequ\nname: 花园社区\nsummary: 简介\nname: 花园社区党总支\n".encode()
    assert only_problem(raw) == (
        f"{P}:4:1: YAML_DUPLICATE_KEY 键“name”重复出现（第一次在第 2 行）："
        "请合并为一处，否则前面的内容会丢失。"
    )


def test_duplicate_key_nested() -> None:
    raw = "slug: a1\nbrand:\n  name: 党建·家\n  slogan: 口号\n  name: 又一个\n".encode()
    assert only_problem(raw) == (
        f"{P}:5:3: YAML_DUPLICATE_KEY 键“name”重复出现（第一次在第 3 行）："
        "请合并为一处，否则前面的内容会丢失。"
    )


def test_same_key_in_different_mappings_is_fine() -> None:
    doc = yamlstrict.load(P, b"a:\n  name: x\nb:\n  name: y\n")
    assert doc.data == {"a": {"name": "x"}, "b": {"name": "y"}}


def test_anchor() -> None:
    raw = b"brand: &base\n  name: x\nother: 2\n"
    assert only_problem(raw) == (
        f"{P}:1:8: YAML_ANCHOR 不支持 YAML 锚点 &base：请删除 & 标记，把内容直接写出来。"
    )


def test_anchor_on_list_item() -> None:
    assert only_problem(b"themes:\n  - &t x\n") == (
        f"{P}:2:5: YAML_ANCHOR 不支持 YAML 锚点 &t：请删除 & 标记，把内容直接写出来。"
    )


def test_alias() -> None:
    raw = b"themes:\n  - a\n  - *t\n"
    assert only_problem(raw) == (
        f"{P}:3:5: YAML_ALIAS 不支持 YAML 别名 *t：请把内容直接写出来，不要用 & 和 * 引用。"
    )


def test_alias_as_mapping_value() -> None:
    assert only_problem(b"a: 1\nb: *x\n") == (
        f"{P}:2:4: YAML_ALIAS 不支持 YAML 别名 *x：请把内容直接写出来，不要用 & 和 * 引用。"
    )


@pytest.mark.parametrize(
    "raw",
    [b"slug: a1\nvalue: !!int 3\n", b"slug: a1\nvalue: !!python/object:os.system ls\n"],
    ids=["int", "python-object"],
)
def test_explicit_tag_refused_at_tag(raw: bytes) -> None:
    text = only_problem(raw)
    assert text.startswith(f"{P}:2:8: YAML_TAG 不支持 YAML 类型标签 ")
    assert text.endswith("：请删除以 ! 开头的标记，值一律按文字填写。")


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        (b"slug: a1\nvalue: !!int 3\n", "!!int"),
        (b"slug: a1\nvalue: !!python/object:os.system ls\n", "!!python/object:os.system"),
    ],
    ids=["int", "python-object"],
)
def test_explicit_tag_message_shows_tag_as_written(raw: bytes, written: str) -> None:
    assert only_problem(raw) == (
        f"{P}:2:8: YAML_TAG 不支持 YAML 类型标签 {written}：请删除以 ! 开头的标记，值一律按文字填写。"
    )


def test_local_tag() -> None:
    assert only_problem(b"a: !foo 1\n") == (
        f"{P}:1:4: YAML_TAG 不支持 YAML 类型标签 !foo：请删除以 ! 开头的标记，值一律按文字填写。"
    )


def test_python_apply_tag_never_runs() -> None:
    raw = b"slug: a1\nname: !!python/object/apply:os.system [echo pwned]\n"
    assert f"{P}:2:7: YAML_TAG " in only_problem(raw)


def test_multiple_documents() -> None:
    raw = b"slug: a1\n---\nslug: b2\n"
    assert only_problem(raw) == (
        f"{P}:2:1: YAML_MULTIDOC 一个文件只能有一份文档：请删除“---”分隔线及其后的第二份内容。"
    )


def test_leading_document_marker_is_fine() -> None:
    assert yamlstrict.load(P, b"---\nslug: a1\n").data == {"slug": "a1"}


def test_gbk_bytes() -> None:
    raw = "slug: huayuan-shequ\nname: 花园社区党总支\nsummary: 简介\n".encode("gbk")
    assert only_problem(raw) == (
        f"{P}:2:7: ENCODING 文件不是 UTF-8 编码（可能是 GBK/GB2312）：请在编辑器里以“UTF-8”编码另存此文件。"
    )


def test_gbk_column_counts_characters_not_bytes() -> None:
    # Line 2 starts with valid UTF-8 Chinese, then one GBK-encoded character.
    raw = "slug: a1\n说明: 中".encode() + "文".encode("gbk") + b"\n"
    assert only_problem(raw) == (
        f"{P}:2:6: ENCODING 文件不是 UTF-8 编码（可能是 GBK/GB2312）：请在编辑器里以“UTF-8”编码另存此文件。"
    )


def test_utf8_bom_accepted_without_shifting_columns() -> None:
    doc = yamlstrict.load(P, "\ufeffslug: huayuan-shequ\nname: 花园社区\n".encode())
    assert doc.data == {"slug": "huayuan-shequ", "name": "花园社区"}
    assert doc.key_pos(("slug",)) == yamlstrict.Pos(1, 1)
    assert doc.pos(("slug",)) == yamlstrict.Pos(1, 7)
    assert doc.pos(("name",)) == yamlstrict.Pos(2, 7)


def test_oversize_file() -> None:
    raw = b"summary: " + b"x" * (300 * 1024 - 10) + b"\n"  # exactly 300 KB
    assert only_problem(raw) == (
        f"{P}:1:1: FILE_TOO_LARGE 文件有 300 KB，超过上限 256 KB：档案只放结构化信息，长文请写进 case.md。"
    )


def test_file_of_exactly_max_bytes_is_accepted() -> None:
    prefix = b"summary: "
    raw = prefix + b"x" * (yamlstrict.MAX_BYTES - len(prefix) - 1) + b"\n"
    assert len(raw) == yamlstrict.MAX_BYTES
    assert yamlstrict.load(P, raw).data == {"summary": "x" * (yamlstrict.MAX_BYTES - len(prefix) - 1)}


def test_oversize_message_does_not_contradict_itself() -> None:
    raw = b"summary: " + b"x" * yamlstrict.MAX_BYTES + b"\n"
    assert only_problem(raw) == (
        f"{P}:1:1: FILE_TOO_LARGE 文件有 257 KB，超过上限 256 KB：档案只放结构化信息，长文请写进 case.md。"
    )


def test_deep_nesting() -> None:
    assert yamlstrict.MAX_DEPTH == 16
    # The 17th mapping starts on line 17 after 16 levels of two-space indentation.
    assert only_problem(nested(17)) == (
        f"{P}:17:33: YAML_DEPTH 嵌套层级超过 16 层：档案不需要这么深的结构，请检查缩进。"
    )


def test_nesting_at_the_cap_is_accepted() -> None:
    data = yamlstrict.load(P, nested(16)).data
    for i in range(15):
        data = data[f"k{i}"]
    assert data == {"k15": "x"}


def test_deep_flow_nesting_stops_early() -> None:
    # An alias-bomb-sized flow structure is refused at the 17th level, not by recursion.
    raw = b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    assert only_problem(raw) == (
        f"{P}:1:19: YAML_DEPTH 嵌套层级超过 16 层：档案不需要这么深的结构，请检查缩进。"
    )


@pytest.mark.parametrize(
    "raw",
    [b"", b"\n\n  \n", "# 只有注释\n".encode(), b"\xef\xbb\xbf"],
    ids=["empty", "blank", "comment", "bom"],
)
def test_empty_file(raw: bytes) -> None:
    assert only_problem(raw) == f"{P}:1:1: YAML_EMPTY 文件是空的：请按示例填写档案内容。"


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unclosed_quote_code_and_message(quote: str) -> None:
    raw = f"slug: a1\nname: {quote}花园社区\nsummary: x\n".encode()
    text = only_problem(raw)
    assert text.startswith(f"{P}:")
    assert text.endswith(": YAML_QUOTE 引号没有闭合：请检查这一行开始的引号是否成对。")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unclosed_quote_points_at_the_quote(quote: str) -> None:
    raw = f"slug: a1\nname: {quote}花园社区\nsummary: x\n".encode()
    assert only_problem(raw) == f"{P}:2:7: YAML_QUOTE 引号没有闭合：请检查这一行开始的引号是否成对。"


def test_colon_inside_unquoted_value() -> None:
    raw = "slug: a1\nsummary: 活动主题: 党建引领\n".encode()
    assert only_problem(raw) == (
        f"{P}:2:14: YAML_COLON 此处不能出现冒号“: ”："
        "如果值里本身含有冒号，请把整个值用引号括起来；否则请检查缩进。"
    )


def test_quoted_colon_is_fine() -> None:
    doc = yamlstrict.load(P, '"summary": "活动主题: 党建引领"\n'.encode())
    assert doc.data == {"summary": "活动主题: 党建引领"}


def test_flow_sequence_as_key() -> None:
    assert only_problem(b"slug: a1\n[a, b]: 2\n") == (
        f"{P}:2:1: YAML_KEY 键必须是简单的文字，不能是列表或映射。"
    )


def test_complex_mapping_key_nested() -> None:
    assert only_problem(b"brand:\n  ? {x: 1}\n  : 2\n") == (
        f"{P}:2:5: YAML_KEY 键必须是简单的文字，不能是列表或映射。"
    )


def test_nul_byte() -> None:
    assert only_problem(b"slug: a1\nname: x\x00y\n") == (
        f"{P}:2:8: ENCODING 文件含有空字符（\\0），不是文本文件。"
    )


def test_value_starting_with_at_sign() -> None:
    assert only_problem(b"slug: a1\nname: @team\n") == (
        f"{P}:2:7: YAML_RESERVED 值不能以 @、` 或 % 开头：请把整个值用引号括起来。"
    )


def test_misaligned_key() -> None:
    assert only_problem(b"brand:\n  name: x\n slogan: y\n") == (
        f"{P}:3:2: YAML_INDENT 缩进不对齐：同一层的键必须左对齐，列表项“- ”要对齐，"
        "请检查这一行和上一行的空格数。"
    )


CONTROL_CHAR = (
    "这里有不可见的控制字符（U+000B），常见于从网页、微信或 Word 复制的文字：请删除后重新输入这几个字。"
)


def test_control_character() -> None:
    assert only_problem(b"slug: a1\nname: ab\x0bcd\n") == f"{P}:2:9: YAML_CHAR {CONTROL_CHAR}"


def test_control_character_after_chinese_text() -> None:
    raw = "slug: a1\nname: 中文\x0b说明\nsummary: 简介\n".encode()
    assert only_problem(raw) == f"{P}:2:9: YAML_CHAR {CONTROL_CHAR}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("name: 社\u200b区\n", "1:8: YAML_CHAR 这里有不可见的控制字符（零宽空格 U+200B）"),
        ("name: abc\u202egpj.exe\n", "1:10: YAML_CHAR 这里有不可见的控制字符（文字方向控制符 U+202E）"),
        ("slug: a\nname: 测试\u2028说明\n", "2:9: YAML_CHAR 这里有不可见的控制字符（行分隔符 U+2028）"),
        ('name: "转义\\x1b[31m"\n', "1:7: YAML_CHAR 这里有不可见的控制字符（U+001B）"),
        ('name: "转义\\u202e"\n', "1:7: YAML_CHAR 这里有不可见的控制字符（文字方向控制符 U+202E）"),
    ],
)
def test_invisible_characters_refused_where_they_are(raw: str, expected: str) -> None:
    assert only_problem(raw.encode()).startswith(f"{P}:{expected}")


def test_problem_path_is_the_given_path() -> None:
    assert only_problem(b"", path="branches/other/profile.yml").startswith("branches/other/profile.yml:1:1:")


# --- accepted input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "no",
        "on",
        "off",
        "true",
        "1.0",
        "0o17",
        "012",
        "0x1F",
        "1e3",
        "2024-10-25",
        ".inf",
        "NO",
    ],
)
def test_every_scalar_stays_a_string(text: str) -> None:
    data = yamlstrict.load(P, f"value: {text}\n".encode()).data
    assert data == {"value": text}
    assert type(data["value"]) is str


@pytest.mark.parametrize("text", ["~", "null", "Null", "NULL", ""])
def test_plain_null_means_not_given(text: str) -> None:
    # published as “~” or “null” otherwise; quoted, they are text like any other
    assert yamlstrict.load(P, f"value: {text}\nquoted: '{text}'\n".encode()).data == {
        "value": None,
        "quoted": text,
    }


def test_norway_in_a_list() -> None:
    data = yamlstrict.load(P, b"countries: [NO, SE, FI]\nflags:\n  - yes\n  - off\n").data
    assert data == {"countries": ["NO", "SE", "FI"], "flags": ["yes", "off"]}


def test_keys_stay_strings() -> None:
    data = yamlstrict.load(P, b"1: a\ntrue: b\n2024-10-25: c\n").data
    assert list(data) == ["1", "true", "2024-10-25"]


def test_empty_plain_value_is_none_but_quoted_empty_is_empty_string() -> None:
    data = yamlstrict.load(P, b"short_name:\ndouble: \"\"\nsingle: ''\n").data
    assert data == {"short_name": None, "double": "", "single": ""}


def test_block_scalars_keep_text() -> None:
    data = yamlstrict.load(P, "a: |\n  第一行\n  第二行\nb: >\n  x\n  y\n".encode()).data
    assert data == {"a": "第一行\n第二行\n", "b": "x y\n"}


def test_top_level_list_and_scalar() -> None:
    assert yamlstrict.load(P, b"- a\n- b\n").data == ["a", "b"]
    assert yamlstrict.load(P, b"plain\n").data == "plain"


PROFILE = """\
slug: huayuan-shequ
name: 花园社区党总支
brand:
  name: 党建·家
figures:
  - label: 驻地单位
    value: 17
  - {label: 活动, value: 6, unit: 次}
  - label: 党员
    value: 1400
    unit: 名
"""


def test_positions_of_nested_list_items() -> None:
    doc = yamlstrict.load(P, PROFILE.encode())
    assert doc.data["figures"][2] == {"label": "党员", "value": "1400", "unit": "名"}
    assert doc.pos(("figures", 2, "value")) == yamlstrict.Pos(10, 12)
    assert doc.pos(("figures", 2)) == yamlstrict.Pos(9, 5)
    assert doc.pos(("figures", 0, "label")) == yamlstrict.Pos(6, 12)
    # Flow mapping on one line: each value has its own column.
    assert doc.pos(("figures", 1, "label")) == yamlstrict.Pos(8, 13)
    assert doc.pos(("figures", 1, "value")) == yamlstrict.Pos(8, 24)
    assert doc.pos(("figures", 1, "unit")) == yamlstrict.Pos(8, 33)
    # Columns count characters, not UTF-8 bytes.
    assert doc.pos(("brand", "name")) == yamlstrict.Pos(4, 9)
    assert doc.pos(("name",)) == yamlstrict.Pos(2, 7)


def test_key_positions() -> None:
    doc = yamlstrict.load(P, PROFILE.encode())
    assert doc.key_pos(("slug",)) == yamlstrict.Pos(1, 1)
    assert doc.key_pos(("brand", "name")) == yamlstrict.Pos(4, 3)
    assert doc.key_pos(("figures", 2, "value")) == yamlstrict.Pos(10, 5)
    assert doc.key_pos(("figures", 1, "unit")) == yamlstrict.Pos(8, 27)


def test_pos_falls_back_to_nearest_ancestor() -> None:
    doc = yamlstrict.load(P, PROFILE.encode())
    assert doc.pos(("figures", 2, "as_of")) == yamlstrict.Pos(9, 5)
    assert doc.pos(("figures", 9, "value")) == yamlstrict.Pos(6, 3)
    assert doc.pos(("nothing", "here")) == yamlstrict.Pos(1, 1)
    # A key that does not exist has no key position: key_pos falls back to pos.
    assert doc.key_pos(("figures", 2, "as_of")) == yamlstrict.Pos(9, 5)


def test_crlf_line_endings() -> None:
    doc = yamlstrict.load(P, b"slug: a1\r\nname: x\r\n")
    assert doc.data == {"slug": "a1", "name": "x"}
    assert doc.pos(("name",)) == yamlstrict.Pos(2, 7)


def test_pure_python_parser_gives_the_same_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml, PyYAML's own parser feeds the same builder: same data, same positions."""
    from conftest import ROOT

    profiles = sorted((ROOT / "branches").glob("*/profile.yml"))
    fast = [yamlstrict.load(str(p), p.read_bytes()) for p in profiles]
    monkeypatch.setattr(yamlstrict, "_Parser", yamlstrict._PyParser)
    slow = [yamlstrict.load(str(p), p.read_bytes()) for p in profiles]
    assert [(d.data, d.values, d.keys) for d in slow] == [(d.data, d.values, d.keys) for d in fast]
    with pytest.raises(ContentError) as e:
        yamlstrict.load(P, b"a: 1\na: 2\n")
    assert e.value.problems[0].code == "YAML_DUPLICATE_KEY"
