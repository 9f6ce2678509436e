"""The project as the commands see it: its layout from mkdocs.yml, its branches loaded."""

from __future__ import annotations

import argparse
import os
import sys

from showcase.content.load import Project, load_project
from showcase.pipeline.layout import Layout, read_layout
from showcase.printing.editions import load_editions
from showcase.problems import Problem
from showcase.safe_paths import tree_problems


def layout_of(args: argparse.Namespace) -> Layout:
    return read_layout(args.config_file, args.branches_dir)


def load(layout: Layout) -> Project:
    """The project as `check`, `report` and `print` see it: photo inspections cached, progress on stderr."""
    return load_project(
        layout.root,
        layout.branches_dir,
        os.path.relpath(layout.docs_dir, layout.root),
        cache_dir=layout.cache_dir,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )


def all_problems(layout: Layout) -> tuple[Project, list[Problem]]:
    """Everything `check` reports: the branches, the print editions (docs_dir/editions/) and
    symlinks or outside paths among the pages and templates (content/, overrides/)."""
    project = load(layout)
    problems = project.problems + load_editions(project, layout.docs_dir)[1]
    problems += tree_problems(layout.root, layout.page_folders)
    return project, sorted(problems, key=Problem.sort_key)
