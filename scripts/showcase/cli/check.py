"""`showcase check` and `showcase report`: the branches' problems, and their aggregates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from showcase.cli.output import comment_markdown, print_problems, summary_markdown
from showcase.cli.project import all_problems, layout_of, load
from showcase.content.load import Project
from showcase.problems import ContentError, errors_in


def _selected_dirs(root: Path, branches_dir: str, paths: list[str]) -> list[str] | None:
    """Branch folders (root-relative) that the given paths lie in; None means "everything".

    pre-commit passes changed files, CI passes changed folders; a change to taxonomy.yml
    concerns every branch."""
    if not paths:
        return None
    base = (root / branches_dir).resolve()
    selected: set[str] = set()
    for raw in paths:
        path = Path(raw).resolve()
        if path == base:
            return None
        if not path.is_relative_to(base):
            continue
        first = path.relative_to(base).parts[0]
        if first in ("taxonomy.yml", "profile.schema.json"):
            return None
        selected.add(f"{Path(branches_dir).as_posix()}/{first}")
    return sorted(selected)


def cmd_check(args: argparse.Namespace) -> int:
    project: Project | None
    try:
        layout = layout_of(args)
    except ContentError as e:
        print_problems(e.problems, args.format)
        return 1
    dirs = _selected_dirs(layout.root, layout.branches_dir, args.paths)
    try:
        project, problems = all_problems(layout)
    except ContentError as e:
        project, problems = None, e.problems
    if dirs is not None:
        problems = [p for p in problems if any(p.path == d or p.path.startswith(d + "/") for d in dirs)]
    print_problems(problems, args.format)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as out:
            out.write(summary_markdown(project, problems, dirs))
    if args.comment:
        Path(args.comment).write_text(comment_markdown(project, problems, dirs), "utf-8")
    errors = len(errors_in(problems))
    warnings = len(problems) - errors
    if args.format != "json":
        if project is None:
            summary = f"检查未完成：共同的词表有误，{errors} 个错误。"
        elif dirs is None:
            summary = (
                f"检查完成：{len(project.branches)} 个党组织可以发布，{errors} 个错误，{warnings} 个提示。"
            )
        else:
            ok = sum(1 for b in project.branches if b.rel_dir in dirs)
            summary = (
                f"检查了 {len(dirs)} 个党组织文件夹：{ok} 个可以发布，{errors} 个错误，{warnings} 个提示。"
            )
        print(summary, file=sys.stderr)
    return 1 if errors else 0


def cmd_report(args: argparse.Namespace) -> int:
    """The aggregates of /reports/ in the terminal: Markdown to read, CSV for a spreadsheet."""
    from showcase.content.catalog import Catalog
    from showcase.reports.report import Report

    try:
        project = load(layout_of(args))
    except ContentError as e:
        print_problems(e.problems, "text")
        return 1
    errors = errors_in(project.problems)
    if errors:
        print(
            f"注意：{len(errors)} 个错误，有问题的党组织未计入汇总（运行 showcase check 查看）。",
            file=sys.stderr,
        )
    report = Report(Catalog(project))
    sys.stdout.write(report.as_csv() if args.format == "csv" else report.as_markdown())
    return 0
