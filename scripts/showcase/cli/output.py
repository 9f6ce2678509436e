"""How the commands show problems: text for people, GitHub annotations, JSON, a Markdown summary."""

from __future__ import annotations

import json
import os
import sys

from showcase.content.load import Project
from showcase.problems import Problem, Severity, errors_in

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _github_escape(text: str, *, prop: bool = False) -> str:
    """Workflow-command escaping as in actions/toolkit: %, CR, LF; in property values also , and :."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def print_problems(problems: list[Problem], fmt: str) -> None:
    if fmt == "json":
        print(
            json.dumps(
                [
                    {
                        "path": p.path,
                        "line": p.line,
                        "col": p.col,
                        "code": p.code,
                        "severity": str(p.severity),
                        "message": p.message,
                    }
                    for p in problems
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    colour = fmt == "text" and _use_colour()
    for p in problems:
        if fmt == "github":
            kind = "error" if p.severity is Severity.ERROR else "warning"
            props = f"file={_github_escape(p.path, prop=True)},line={p.line},col={p.col},title={p.code}"
            print(f"::{kind} {props}::{_github_escape(p.message)}")
        else:
            tag = "错误" if p.severity is Severity.ERROR else "提示"
            line = f"{p.format()}（{tag}）"
            print(f"{_COLOURS[p.severity]}{line}\033[0m" if colour else line)


def summary_markdown(project: Project | None, problems: list[Problem], dirs: list[str] | None) -> str:
    errors = errors_in(problems)
    lines = ["## 党组织档案检查", ""]
    if project is not None:
        shown = (
            dirs
            if dirs is not None
            else [b.rel_dir for b in project.branches]
            + sorted(
                {"/".join(p.path.split("/")[:2]) for p in problems if p.path.count("/") >= 2}
                - {b.rel_dir for b in project.branches}
            )
        )
        lines += ["| 党组织文件夹 | 名称 | 结果 | 错误 | 提示 |", "|---|---|---|---|---|"]
        for d in sorted(set(shown)):
            mine = [p for p in problems if p.path == d or p.path.startswith(d + "/")]
            n_err = len(errors_in(mine))
            branch = project.branch(d.rsplit("/", 1)[-1])
            name = branch.profile.name if branch else "—"
            status = "❌ 需要修改" if n_err else ("✅ 通过" if branch else "（已删除）")
            lines.append(f"| `{d}` | {name} | {status} | {n_err} | {len(mine) - n_err} |")
        lines.append("")
    lines.append(f"共 {len(errors)} 个错误，{len(problems) - len(errors)} 个提示。")
    if problems:
        lines += ["", "| 位置 | 代码 | 说明 |", "|---|---|---|"]
        for p in problems:
            icon = "❌" if p.severity is Severity.ERROR else "⚠️"
            message = p.message.replace("|", "\\|")
            lines.append(f"| {icon} `{p.path}:{p.line}:{p.col}` | {p.code} | {message} |")
    return "\n".join(lines) + "\n\n"


# The first line of every comment `check --comment` writes: CI finds its own earlier comment by it.
COMMENT_MARK = "<!-- showcase check -->"


def comment_markdown(project: Project | None, problems: list[Problem], dirs: list[str] | None) -> str:
    """The pull request comment for a liaison, who may never have seen the repository: the
    result first, then what to do (in the web editor or in the files), then every problem."""
    errors = errors_in(problems)
    if errors:
        lead = [
            f"### ❌ 检查没有通过：{len(errors)} 处需要修改",
            "",
            "这次提交的内容还不能发布。请按下表逐条改正：",
            "",
            "- **用网站编辑页面（/admin/）提交的**：打开编辑页面里的这个党组织（或它的案例正文、动态），"
            "找到表中“说明”提到的那一项，改好后再点“保存”，本合并请求会自动重新检查；",
            "- **直接改文件的**：表中“位置”是 `文件:行:列`，改好后再提交一次。",
            "",
            "每种问题代码的含义和改法见 CONTRIBUTING.md 的“常见问题代码与改法”；看不懂时直接在下面留言，维护者会回复。",
        ]
    else:
        lead = [
            "### ✅ 检查通过",
            "",
            "内容符合发布要求，等待维护者审核合并；合并后网站自动更新。"
            + (" 下表的提示不影响发布，但值得看一看。" if problems else ""),
        ]
    return "\n".join([COMMENT_MARK, *lead, ""]) + "\n" + summary_markdown(project, problems, dirs)
