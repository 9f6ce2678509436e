"""Commands for branch liaisons and maintainers: `showcase new`, `schema`, `sample-photos`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from showcase.cli.output import print_problems
from showcase.cli.project import layout_of
from showcase.problems import errors_in

_UNFINISHED = {"PLACEHOLDER", "GUESS_UNCONFIRMED"}  # what `showcase new` leaves for the liaison


def cmd_new(args: argparse.Namespace) -> int:
    from showcase.content.branch import load_branch
    from showcase.content.load import TAXONOMY
    from showcase.content.scaffold import create
    from showcase.content.taxonomy import load_taxonomy

    layout = layout_of(args)
    root = layout.root
    branches = root / layout.branches_dir
    tax_path = branches / TAXONOMY
    taxonomy = load_taxonomy(f"{layout.branches_dir}/{TAXONOMY}", tax_path.read_bytes())
    new = create(
        branches, taxonomy, args.slug, args.name, category=args.category, region=args.region, theme=args.theme
    )
    rel = new.folder.relative_to(root).as_posix()
    print(f"已创建 {rel}/：profile.yml、case.md 和 photos/")
    labels = {
        "category": f"类别“{new.category}”",
        "region": f"区域“{new.region}”",
        "themes": f"主题“{new.theme}”",
    }
    if new.guessed:
        guessed = "、".join(labels[g] for g in new.guessed)
        print(f"根据名称推测了{guessed}，请打开 profile.yml 核对。")
    problems, _ = load_branch(root, new.folder, taxonomy)
    # Placeholders and guesses are errors until the liaison has dealt with them; anything
    # else would be a bug in the templates (they are tested), but say so plainly.
    errors = [p for p in errors_in(problems) if p.code not in _UNFINISHED]
    if errors:
        print_problems(errors, "text")
        return 1
    print("下一步（做完之前 showcase check 会报错，这个党组织也不会发布）：")
    print(f"  1. 填写 {rel}/profile.yml：把“待填写”换成真实内容")
    if new.guessed:
        print(f"  2. 核对 {rel}/profile.yml 里行尾注明“推测”的值，确认或改正后删掉那条注释")
    steps = [
        f"在 {rel}/case.md 中写案例，保留“## 主要举措”和“## 取得成效”两个小标题",
        f"把照片放进 {rel}/photos/，并在 profile.yml 的 photos 中逐张写说明和摄影者",
        f"运行 showcase check {rel} 检查，没有错误后提交",
    ]
    for n, step in enumerate(steps, start=3 if new.guessed else 2):
        print(f"  {n}. {step}")
    return 0


def schema_text() -> str:
    from showcase.content.model import profile_json_schema

    return json.dumps(profile_json_schema(), ensure_ascii=False, indent=2) + "\n"


def generated_files(args: argparse.Namespace) -> dict[Path, str]:
    """What `showcase schema` writes: the JSON Schema for editors and the web editor's
    Decap configuration, both from the model (and taxonomy.yml, mkdocs.yml)."""
    from showcase.editor.decap_config import CONFIG_FILE, project_config_text

    layout = layout_of(args)
    root = layout.root
    return {
        root / layout.branches_dir / "profile.schema.json": schema_text(),
        layout.docs_dir / CONFIG_FILE: project_config_text(root, layout.branches_dir, args.config_file),
    }


def _shown(path: Path) -> str:
    return path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else str(path)


def cmd_schema(args: argparse.Namespace) -> int:
    files = generated_files(args)
    if args.check:
        stale = [p for p, text in files.items() if not p.is_file() or p.read_text("utf-8") != text]
        if stale:
            names = "、".join(_shown(p) for p in stale)
            print(
                f"{names} 与 model.py、taxonomy.yml 或 mkdocs.yml 不一致：请运行 showcase schema 重新生成并提交。",
                file=sys.stderr,
            )
            return 1
        print("、".join(_shown(p) for p in files) + " 都是最新的。")
        return 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        print(f"已生成 {_shown(path)}")
    return 0


def cmd_sample_photos(args: argparse.Namespace) -> int:
    """Draw an illustrative JPEG (示意图) for every listed photo whose file is missing."""
    from showcase.tools.sample_photos import draw_missing

    layout = layout_of(args)
    base = layout.root / layout.branches_dir
    made = draw_missing(base, force=args.force, say=print)
    print(f"共生成 {made} 张示意图。", file=sys.stderr)
    return 0
