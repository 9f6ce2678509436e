"""Full-width punctuation where YAML needs half-width: name it when it is the cause.

Liaisons type profiles with a Chinese input method, which gives "，" "：" "；" where YAML
wants "," ": ". The parser then sees something else than what was meant — `brand：五心` is
no key at all, `themes: [乡村振兴，集体经济]` one theme instead of two — and its own words
(a missing colon, an unknown theme) send people looking in the wrong place. These helpers
find the full-width character and say what it should be.
"""

from __future__ import annotations

import re

from showcase.problems import Problem

# A key of ours (ASCII) followed by a full-width colon, at the start of a line (after the
# indentation and a list dash) or after "{" / "," in a flow mapping.
_KEY_FULLWIDTH = re.compile(r"(?:^[ ]*(?:-[ ]+)?|[{,][ ]*)([A-Za-z_][A-Za-z0-9_]*)[ ]*([：；])", re.M)

# Between items of a list, what a Chinese input method types instead of ","
ITEM_SEPARATORS = ("，", "；", "、")
_NAMES = {"，": "全角逗号", "；": "全角分号", "、": "顿号", "：": "全角冒号"}


def name_of(ch: str) -> str:
    """“全角逗号“，””: a punctuation mark as a message names it."""
    return f"{_NAMES.get(ch, '全角符号')}“{ch}”"


def key_separator_problems(path: str, text: str) -> list[Problem]:
    """Lines where a key is followed by "：" or "；" instead of ": " (`brand：五心`)."""
    out = []
    for m in _KEY_FULLWIDTH.finditer(text):
        if _in_comment(text, m.start(1)):
            continue
        key, mark = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start(2)) + 1
        col = m.start(2) - (text.rfind("\n", 0, m.start(2)) + 1) + 1
        message = (
            f"键“{key}”后面用了{name_of(mark)}：YAML 只认半角冒号加空格，"
            f"请改成“{key}: ”（切换到英文输入法输入冒号，冒号后空一格）。"
        )
        out.append(Problem(path, line, col, "FULLWIDTH_COLON", message))
    return out


def _in_comment(text: str, offset: int) -> bool:
    """Whether `offset` lies after a "#" comment mark on its line (a rough test: a "#" that
    starts the line or follows a space, as YAML has it)."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[start:offset]
    return before.lstrip().startswith("#") or " #" in before


def joined_items(value: str) -> tuple[str, list[str]] | None:
    """If `value` is several list items joined by a full-width separator ("乡村振兴，集体经济"),
    that separator and the items; else None."""
    for sep in ITEM_SEPARATORS:
        if sep in value:
            items = [v.strip() for v in value.split(sep) if v.strip()]
            if len(items) > 1:
                return sep, items
    return None


def joined_items_message(kind: str, value: str, sep: str, items: list[str]) -> str:
    """The message for a vocabulary word that is really several words (`kind`: 主题)."""
    listed = ", ".join(items)
    return (
        f"{kind}“{value}”里的{name_of(sep)}把 {len(items)} 个{kind}连成了一个：列表项之间要用半角逗号“,”"
        f"分隔，请写成 [{listed}]，或分行写成“- {items[0]}”这样的列表项。"
    )


def line_hint(line: str) -> str:
    """A sentence naming the full-width punctuation inside a [list] or {mapping} on a line
    that YAML could not read, or ""."""
    opened = min((i for i in (line.find("["), line.find("{")) if i >= 0), default=-1)
    if opened < 0:  # in a plain value, "，" is just Chinese punctuation
        return ""
    found = [ch for ch in ("：", "，", "；") if ch in line[opened:]]
    if not found:
        return ""
    names = "、".join(name_of(ch) for ch in found)
    return f"这一行有{names}：如果它用来分隔键和值或列表项，请改成半角的“: ”或“,”。"
