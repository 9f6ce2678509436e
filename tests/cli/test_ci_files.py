"""The site repository's CI files, pre-commit hook and documented commands.

These files are run by GitHub, GitLab and pre-commit, never by our own test suite, so a
renamed subcommand or option would only show up as a red pipeline on a liaison's pull
request. Here every file is parsed as YAML and checked for structure, every `showcase …`
command in it is parsed by the real `showcase.cli.build_parser()`, and the one piece of shell
logic (which branch folders a pull request touched) is run against a scratch git repository.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT
from showcase.cli.main import build_parser

PR_WORKFLOW = ROOT / ".github/workflows/pull-request.yml"
PUBLISH_WORKFLOW = ROOT / ".github/workflows/publish.yml"
GITLAB_CI = ROOT / ".gitlab-ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"

INSTALL = "pip install -c constraints.txt -e ."
MR_RULE = '$CI_PIPELINE_SOURCE == "merge_request_event"'
DEFAULT_BRANCH_RULE = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


# --- finding `showcase …` commands in shell text -------------------------------------------------

# `showcase` as a command word (optionally `.venv/bin/showcase`), not `.cache/showcase` or `showcase-check`.
_SHOWCASE = re.compile(r"(?:^|(?<=[\s;&|(]))(?:[\w.~/-]*/bin/)?showcase(?=[ \t])", re.M)


def showcase_calls(script: str) -> list[list[str]]:
    """The arguments after `showcase` of every showcase command in a shell script, up to the
    first shell operator (`>`, `|`, `;`, `&&`…). Comment lines are skipped."""
    calls: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        if line.lstrip().startswith("#"):
            continue
        for m in _SHOWCASE.finditer(line):
            lexer = shlex.shlex(line[m.end() :], posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            args: list[str] = []
            for token in lexer:
                if token and set(token) <= set("();<>|&"):
                    break
                args.append(token)
            calls.append(args)
    return calls


@dataclass(frozen=True)
class Call:
    where: str
    args: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: showcase {shlex.join(self.args)}"

    @property
    def is_synopsis(self) -> bool:
        """A usage line such as `showcase synth --branches N [--photos K] --out DIR`: its names
        are checked, its placeholder values cannot be."""
        return any(re.search(r"[\[\]…]", a) or re.fullmatch(r"[A-Z]{1,5}", a) for a in self.args)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("showcase has no subcommands")


def split_call(args: tuple[str, ...]) -> tuple[str | None, list[str]]:
    """(subcommand, its arguments), skipping global options such as `-f mkdocs.yml` before it."""
    parser = build_parser()
    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        action = parser._option_string_actions.get(option.split("=", 1)[0])
        if action is not None and action.nargs != 0 and "=" not in option and rest:
            rest.pop(0)
    return (rest[0], rest[1:]) if rest else (None, [])


def unknown_options(subcommand: str, args: list[str]) -> list[str]:
    """Options in `args` that the subcommand's parser does not declare."""
    sub = _subparsers(build_parser())[subcommand]
    unknown = []
    for arg in args:
        if arg == "--":
            break
        arg = arg.strip("[]")  # optional parts of a usage synopsis
        if arg.startswith("-") and arg != "-" and not re.fullmatch(r"-\d+(\.\d+)?", arg):
            name = arg.split("=", 1)[0]
            if name not in sub._option_string_actions:
                unknown.append(name)
    return unknown


def parse_error(args: tuple[str, ...]) -> str | None:
    """What argparse says about these arguments, or None if `showcase` accepts them."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            build_parser().parse_args(list(args))
    except SystemExit as e:
        return None if e.code == 0 else (err.getvalue().strip() or f"exit status {e.code}")
    return None


# --- where the commands are -------------------------------------------------------------------------


def github_steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean true.
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "workflow has no `on:` triggers"
    if isinstance(on, str):
        return {on: None}
    return dict.fromkeys(on) if isinstance(on, list) else dict(on)


_GITLAB_RESERVED = {
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "default",
    "workflow",
    "spec",
    "pages:deploy",
}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """GitLab's `extends`: hashes merge deeply, everything else is replaced."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def gitlab_job(ci: dict[str, Any], name: str) -> dict[str, Any]:
    """A job as the runner sees it: its `extends` templates merged, `default:` filled in."""
    job = ci[name]
    parents = job.get("extends", [])
    merged: dict[str, Any] = {}
    for parent in [parents] if isinstance(parents, str) else parents:
        merged = _merge(merged, gitlab_job(ci, parent))
    merged = _merge(merged, {k: v for k, v in job.items() if k != "extends"})
    if name.startswith("."):
        return merged
    for key, value in (ci.get("default") or {}).items():
        merged.setdefault(key, value)
    for key in ("before_script", "image", "cache"):
        if key in ci and key not in merged:
            merged[key] = ci[key]
    return merged


def gitlab_jobs(ci: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: gitlab_job(ci, name)
        for name, job in ci.items()
        if isinstance(name, str)
        and not name.startswith(".")
        and name not in _GITLAB_RESERVED
        and isinstance(job, dict)
    }


def gitlab_script(job: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for key in ("before_script", "script"):
        value = job.get(key) or []
        lines += [value] if isinstance(value, str) else value
    return lines


def _code_in_markdown(text: str) -> list[str]:
    """Fenced code blocks and inline code spans."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)
    without = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return blocks + re.findall(r"`([^`\n]+)`", without)


def all_calls() -> list[Call]:
    """Every `showcase …` command in the CI files, the hook and the user documentation."""
    calls: list[Call] = []
    for path in (PR_WORKFLOW, PUBLISH_WORKFLOW):
        for job, step in github_steps(load(path)):
            for args in showcase_calls(step.get("run", "")):
                calls.append(Call(f"{path.name} {job}/{step.get('name', '?')}", tuple(args)))
    ci = load(GITLAB_CI)
    for name, gl_job in gitlab_jobs(ci).items():
        for line in gitlab_script(gl_job):
            for args in showcase_calls(line):
                calls.append(Call(f"{GITLAB_CI.name} {name}", tuple(args)))
    for repo in load(PRE_COMMIT)["repos"]:
        for hook in repo.get("hooks", []):
            # pre-commit appends the staged file names to `entry`.
            script = (
                f"{hook['entry']} {shlex.join(hook.get('args', []))} branches/yangguang-shequ/profile.yml"
            )
            for args in showcase_calls(script):
                calls.append(Call(f"{PRE_COMMIT.name} {hook['id']}", tuple(args)))
    for doc in (CONTRIBUTING, README):
        if doc.is_file():
            for code in _code_in_markdown(doc.read_text("utf-8")):
                for args in showcase_calls(code):
                    calls.append(Call(doc.name, tuple(args)))
    return calls


CALLS = all_calls()


# --- the helpers themselves ------------------------------------------------------------------------


def test_showcase_calls_are_found_in_shell_text() -> None:
    script = (
        "pip install -e .\n"
        "mkdir -p .cache/showcase  # not a command\n"
        "# showcase nothing: a comment\n"
        'showcase check --format github --summary "$GITHUB_STEP_SUMMARY" "${paths[@]}"\n'
        "showcase check --format json > check.json || true\n"
        "test -d site && .venv/bin/showcase build \\\n  --strict\n"
        "pre-commit run showcase-check\n"
    )
    assert showcase_calls(script) == [
        ["check", "--format", "github", "--summary", "$GITHUB_STEP_SUMMARY", "${paths[@]}"],
        ["check", "--format", "json"],
        ["build", "--strict"],
    ]


def test_cli_helpers_reject_what_showcase_rejects() -> None:
    assert split_call(("-f", "mkdocs.yml", "build", "--strict")) == ("build", ["--strict"])
    assert split_call(("--config-file=x.yml", "check")) == ("check", [])
    assert unknown_options("build", ["--strict", "--ful", "site"]) == ["--ful"]
    assert unknown_options("check", ["--format=json", "branches/a"]) == []
    assert unknown_options("synth", ["--branches", "N", "[--photos", "K]", "[--colour]"]) == ["--colour"]
    assert Call("doc", ("synth", "--branches", "N", "[--photos", "K]")).is_synopsis
    assert not Call("doc", ("build", "--strict")).is_synopsis
    assert parse_error(("build", "--strict")) is None
    assert parse_error(("chek",)) is not None
    assert parse_error(("build", "--strcit")) is not None
    assert parse_error(("check", "--format", "xml")) is not None


def test_every_place_is_searched() -> None:
    """Guards the parametrised tests below against passing because they found nothing."""
    places = {call.where.split()[0] for call in CALLS}
    assert {
        PR_WORKFLOW.name,
        PUBLISH_WORKFLOW.name,
        GITLAB_CI.name,
        PRE_COMMIT.name,
        CONTRIBUTING.name,
    } <= places
    subcommands = {split_call(call.args)[0] for call in CALLS}
    assert {"check", "build", "new"} <= subcommands


# --- every documented or scripted command is one showcase accepts ----------------------------------


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_subcommand_exists(call: Call) -> None:
    subcommand, _ = split_call(call.args)
    known = sorted(_subparsers(build_parser()))
    assert subcommand in known, f"{call}: “{subcommand}” is not a showcase subcommand ({', '.join(known)})"


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_options_exist(call: Call) -> None:
    subcommand, args = split_call(call.args)
    if subcommand not in _subparsers(build_parser()):
        pytest.skip(f"subcommand {subcommand} is missing (test_subcommand_exists fails for it)")
    assert unknown_options(subcommand, args) == [], str(call)


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_arguments_parse(call: Call) -> None:
    """Values too: `--format github` must be one of the declared choices."""
    if call.is_synopsis:
        pytest.skip("usage synopsis with placeholders")
    assert parse_error(call.args) is None, f"{call}\n{parse_error(call.args)}"


# --- GitHub Actions -----------------------------------------------------------------------------

# owner/repo[/path]@vN — a moving major-version tag: security fixes arrive, breaking changes do not.
_PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@v\d+")


def test_pinned_pattern() -> None:
    assert _PINNED.fullmatch("actions/checkout@v4")
    assert _PINNED.fullmatch("actions/upload-pages-artifact@v3")
    assert not _PINNED.fullmatch("actions/checkout@main")
    assert not _PINNED.fullmatch("actions/checkout")
    assert not _PINNED.fullmatch("actions/checkout@latest")


@pytest.mark.parametrize("path", [PR_WORKFLOW, PUBLISH_WORKFLOW], ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path: Path) -> None:
    uses = [step["uses"] for _, step in github_steps(load(path)) if "uses" in step]
    assert uses, "no actions found"
    assert [u for u in uses if not _PINNED.fullmatch(u)] == []


@pytest.mark.parametrize("path", [PR_WORKFLOW, PUBLISH_WORKFLOW], ids=lambda p: p.name)
def test_workflow_jobs_silence_the_mkdocs_banner(path: Path) -> None:
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        env = {**(workflow.get("env") or {}), **(job.get("env") or {})}
        assert env.get("NO_MKDOCS_2_WARNING") == "1", name


@pytest.mark.parametrize("path", [PR_WORKFLOW, PUBLISH_WORKFLOW], ids=lambda p: p.name)
def test_workflow_sets_up_python_and_installs_showcase(path: Path) -> None:
    for job_name, job in load(path)["jobs"].items():
        steps = job["steps"]
        runs = [s.get("run", "") for s in steps]
        if not any(showcase_calls(r) for r in runs):
            continue
        setup = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
        assert len(setup) == 1, job_name
        # A string: unquoted 3.10 would be read as 3.1.
        assert setup[0]["with"]["python-version"] == "3.11"
        assert setup[0]["with"]["cache"] == "pip"
        install = first_index(runs, lambda r: INSTALL in r)
        first_call = first_index(runs, showcase_calls)
        assert steps.index(setup[0]) < install < first_call, job_name


def first_index(items: list[str], predicate: Any) -> int:
    found = [i for i, item in enumerate(items) if predicate(item)]
    assert found, f"no line matches in {items}"
    return found[0]


def _step(steps: list[dict[str, Any]], predicate: Any) -> tuple[int, dict[str, Any]]:
    found = [(i, s) for i, s in enumerate(steps) if predicate(s)]
    assert len(found) == 1, f"expected one matching step, found {len(found)}"
    return found[0]


def _calls_in(step: dict[str, Any]) -> list[list[str]]:
    return showcase_calls(step.get("run", ""))


def test_pull_request_workflow() -> None:
    workflow = load(PR_WORKFLOW)
    on = triggers(workflow)
    assert "pull_request" in on
    # Untrusted submissions must not run with the base repository's secrets and write token.
    assert "pull_request_target" not in on
    # The write permission is for the check's comment only; GitHub withholds it from forks.
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]

    _, checkout = _step(steps, lambda s: s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0

    i_changed, changed = _step(steps, lambda s: "git diff" in s.get("run", ""))
    assert changed["id"] == "changed"
    assert "--name-only" in changed["run"]
    assert '"origin/${BASE_REF}...HEAD" -- branches/' in changed["run"]
    assert changed["env"]["BASE_REF"] == "${{ github.base_ref }}"

    i_check, check = _step(steps, lambda s: any(c[:1] == ["check"] for c in _calls_in(s)))
    (args,) = _calls_in(check)
    assert args[:5] == ["check", "--format", "github", "--summary", "$GITHUB_STEP_SUMMARY"]
    assert args[5:] == ["--comment", "check-comment.md", "${paths[@]}"]
    assert check["env"]["CHANGED"] == "${{ steps.changed.outputs.paths }}"
    # A failing check must fail the job: that is what blocks the merge.
    assert not check.get("continue-on-error", False)
    assert "if" not in check

    # The comment is posted whatever the check found, on this repository's pull requests only.
    i_comment, comment = _step(steps, lambda s: "gh pr comment" in s.get("run", ""))
    assert i_comment == i_check + 1
    condition = " ".join(comment["if"].split())
    assert condition.startswith("always() ") and "hashFiles('check-comment.md')" in condition
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert (
        "--body-file check-comment.md" in comment["run"]
        and comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    )

    i_build, build = _step(steps, lambda s: any(c[:1] == ["build"] for c in _calls_in(s)))
    assert _calls_in(build) == [["build", "--strict"]]

    i_upload, upload = _step(steps, lambda s: s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["uses"] == "actions/upload-artifact@v4"
    assert upload["with"]["path"].rstrip("/") == "site"
    assert upload["with"]["name"] == "site-preview"
    assert upload["with"]["retention-days"] == 7

    i_cache, cache = _step(steps, lambda s: s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/showcase"
    assert "hashFiles('branches/**')" in cache["with"]["key"]
    assert cache["with"]["restore-keys"].strip()

    assert i_changed < i_check < i_build < i_upload
    assert i_cache < i_build


def test_publish_workflow() -> None:
    workflow = load(PUBLISH_WORKFLOW)
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert "pull_request" not in on and "pull_request_target" not in on
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"].get("cancel-in-progress") is False

    build_steps = workflow["jobs"]["build"]["steps"]
    i_configure, _ = _step(build_steps, lambda s: s.get("uses") == "actions/configure-pages@v5")
    i_build, _ = _step(build_steps, lambda s: ["build", "--strict"] in _calls_in(s))
    i_upload, upload = _step(build_steps, lambda s: s.get("uses") == "actions/upload-pages-artifact@v3")
    assert upload["with"]["path"].rstrip("/") == "site"
    assert i_configure < i_upload and i_build < i_upload
    _, cache = _step(build_steps, lambda s: s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/showcase"

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    _, step = _step(deploy["steps"], lambda s: s.get("uses") == "actions/deploy-pages@v4")
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


# --- the "which folders changed" step, run for real ----------------------------------------------

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _pr_step_script(predicate: Any) -> str:
    (job,) = load(PR_WORKFLOW)["jobs"].values()
    return str(_step(job["steps"], predicate)[1]["run"])


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """As GitHub runs a `shell: bash` step."""
    path = cwd.parent / "step.sh"
    path.write_text(script, "utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, **env},
        capture_output=True,
        text=True,
        check=False,
    )


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.edits = 0
        path.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> None:
        subprocess.run(
            ["git", *args], cwd=self.path, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
        )

    def write(self, *files: str) -> None:
        for rel in files:
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            self.edits += 1
            target.write_text(f"{rel} {self.edits}\n", "utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--no-gpg-sign", "-m", message)


@pytest.fixture
def pr_repo(tmp_path: Path) -> Repo:
    """main with three branch folders (pushed as origin/main), and a pull-request branch `pr`."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("needs git and bash")
    repo = Repo(tmp_path / "repo")
    repo.write(
        "branches/taxonomy.yml",
        "content/index.md",
        *(f"branches/{s}/profile.yml" for s in ("a-cun", "b-shequ", "c-jiedao")),
    )
    repo.commit("base")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.git("checkout", "-q", "-b", "pr")
    return repo


def _changed(repo: Repo) -> str:
    output = repo.path.parent / "github_output"
    output.write_text("", "utf-8")
    result = _bash(
        _pr_step_script(lambda s: s.get("id") == "changed"),
        repo.path,
        {"BASE_REF": "main", "GITHUB_OUTPUT": str(output)},
    )
    assert result.returncode == 0, result.stderr
    values = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    return values["paths"]


def test_changed_folders_of_a_pull_request(pr_repo: Repo) -> None:
    pr_repo.write("branches/b-shequ/case.md", "branches/a-cun/photos/新照片.jpg")
    pr_repo.commit("edit")
    assert _changed(pr_repo) == "branches/a-cun branches/b-shequ"


def test_changed_folders_ignore_changes_on_the_base_branch(pr_repo: Repo) -> None:
    pr_repo.write("branches/a-cun/case.md")
    pr_repo.commit("pr edit")
    pr_repo.git("checkout", "-q", "main")
    pr_repo.write("branches/c-jiedao/case.md")
    pr_repo.commit("merged meanwhile")
    pr_repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    pr_repo.git("checkout", "-q", "pr")
    assert _changed(pr_repo) == "branches/a-cun"


def test_changed_folders_skip_a_deleted_branch(pr_repo: Repo) -> None:
    pr_repo.git("rm", "-q", "-r", "branches/c-jiedao")
    pr_repo.write("branches/a-cun/case.md")
    pr_repo.commit("delete c")
    assert _changed(pr_repo) == "branches/a-cun"


@pytest.mark.parametrize(
    "files",
    [
        ["content/index.md"],  # nothing under branches/
        ["branches/taxonomy.yml", "branches/a-cun/case.md"],  # shared vocabulary: all branches
        ["branches/Bad Name/profile.yml", "branches/a-cun/case.md"],  # FOLDER_NAME needs the full check
    ],
    ids=["no-branch", "taxonomy", "bad-folder-name"],
)
def test_changed_folders_fall_back_to_checking_everything(pr_repo: Repo, files: list[str]) -> None:
    pr_repo.write(*files)
    pr_repo.commit("edit")
    assert _changed(pr_repo) == ""


@pytest.mark.parametrize(
    ("changed", "paths"),
    [("branches/a-cun branches/b-shequ", ["branches/a-cun", "branches/b-shequ"]), ("", [])],
    ids=["some", "none"],
)
def test_check_step_passes_the_changed_folders(tmp_path: Path, changed: str, paths: list[str]) -> None:
    """The check step with a stand-in `showcase` that records its arguments."""
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    bin_dir, work = tmp_path / "bin", tmp_path / "work"
    bin_dir.mkdir()
    work.mkdir()
    fake = bin_dir / "showcase"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$RECORD"\n', "utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    record, summary = tmp_path / "args", tmp_path / "summary.md"
    result = _bash(
        _pr_step_script(lambda s: any(c[:1] == ["check"] for c in _calls_in(s))),
        work,
        {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "RECORD": str(record),
            "CHANGED": changed,
            "GITHUB_STEP_SUMMARY": str(summary),
        },
    )
    assert result.returncode == 0, result.stderr
    assert record.read_text("utf-8").splitlines() == [
        "check",
        "--format",
        "github",
        "--summary",
        str(summary),
        "--comment",
        "check-comment.md",
        *paths,
    ]


# --- GitLab CI ------------------------------------------------------------------------------------

# GitLab validates expose_as with Ruby's /\A\w[-\w ]*\z/, where \w is ASCII only.
_EXPOSE_AS = re.compile(r"\w[-\w ]*", re.ASCII)


def _rules(job: dict[str, Any]) -> list[str]:
    return [rule.get("if", "") for rule in job.get("rules", [])]


def _cache_paths(job: dict[str, Any]) -> set[str]:
    cache = job.get("cache") or []
    return {
        p.rstrip("/") for c in ([cache] if isinstance(cache, dict) else cache) for p in c.get("paths", [])
    }


def test_gitlab_pipeline_shape() -> None:
    ci = load(GITLAB_CI)
    assert ci["image"] == "python:3.11-slim"
    assert ci["stages"] == ["check", "build", "deploy"]
    assert ci["variables"]["NO_MKDOCS_2_WARNING"] == "1"
    pip_cache = ci["variables"]["PIP_CACHE_DIR"].removeprefix("$CI_PROJECT_DIR/")
    jobs = gitlab_jobs(ci)
    assert jobs
    for name, job in jobs.items():
        assert job.get("stage") in ci["stages"], name
        assert job.get("rules"), f"{name} has no rules: it would run in every pipeline"
        script = gitlab_script(job)
        install = first_index(script, lambda line: INSTALL in line)
        calls = [i for i, line in enumerate(script) if showcase_calls(line)]
        assert calls and install < min(calls), name
        assert {".cache/showcase", pip_cache} <= _cache_paths(job), name


def test_gitlab_merge_request_jobs() -> None:
    jobs = gitlab_jobs(load(GITLAB_CI))
    mr = {name: job for name, job in jobs.items() if _rules(job) == [MR_RULE]}
    calls = [args for job in mr.values() for line in gitlab_script(job) for args in showcase_calls(line)]
    assert ["check"] in calls
    assert ["build", "--strict"] in calls
    (preview,) = [job for job in mr.values() if "expose_as" in job.get("artifacts", {})]
    artifacts = preview["artifacts"]
    assert _EXPOSE_AS.fullmatch(artifacts["expose_as"]), artifacts["expose_as"]
    # A folder is listed in the merge request only when its path ends with '/'.
    assert artifacts["paths"] == ["site/"]
    assert artifacts["expire_in"]


def test_gitlab_pages_job() -> None:
    jobs = gitlab_jobs(load(GITLAB_CI))
    pages = jobs["pages"]
    assert pages["stage"] == "deploy"
    assert _rules(pages) == [DEFAULT_BRANCH_RULE]
    script = gitlab_script(pages)
    build = first_index(script, lambda line: ["build", "--strict"] in showcase_calls(line))
    move = script.index("mv site public")
    assert build < move
    assert pages["artifacts"]["paths"] == ["public"]
    assert "expire_in" not in pages["artifacts"]


def test_no_gitlab_job_publishes_from_a_merge_request() -> None:
    for name, job in gitlab_jobs(load(GITLAB_CI)).items():
        if job.get("stage") == "deploy" or name == "pages":
            assert MR_RULE not in _rules(job), name


# --- pre-commit ---------------------------------------------------------------------------------


def test_pre_commit_hook() -> None:
    config = load(PRE_COMMIT)
    (local,) = [r for r in config["repos"] if r["repo"] == "local"]
    (hook,) = [h for h in local["hooks"] if h["id"] == "showcase-check"]
    assert hook["entry"] == "showcase check"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])  # pre-commit matches with re.search
    assert files.search("branches/yangguang-shequ/profile.yml")
    assert files.search("branches/yangguang-shequ/photos/xunluo.jpg")
    assert files.search("branches/taxonomy.yml")
    assert not files.search("content/index.md")
    assert not files.search("tests/branches/x/profile.yml")
    assert not files.search("scripts/showcase/cli.py")


# --- Makefile and documentation -------------------------------------------------------------------


def makefile_targets() -> set[str]:
    targets: set[str] = set()
    for m in re.finditer(r"^([A-Za-z0-9_.%/ -]+?)\s*::?(?!=)", MAKEFILE.read_text("utf-8"), re.M):
        targets.update(t for t in m.group(1).split() if not t.startswith("."))
    return targets


def documented_make_targets() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for doc in (README, CONTRIBUTING):
        for code in _code_in_markdown(doc.read_text("utf-8")):
            for target in re.findall(r"(?:^|(?<=[\s;&|(]))make\s+([A-Za-z][\w-]*)", code, re.M):
                found.setdefault(target, set()).add(doc.name)
    return found


def test_makefile_target_parser() -> None:
    targets = makefile_targets()
    assert {"site", "test", "check", "serve", "preview"} <= targets
    assert "VENV" not in targets and "PHONY" not in targets and ".PHONY" not in targets


def test_documented_make_targets_exist() -> None:
    documented = documented_make_targets()
    # The README's quick start is these two; CONTRIBUTING sends liaisons to `make check`.
    assert {"site", "test", "check"} <= set(documented)
    missing = {t: sorted(docs) for t, docs in documented.items() if t not in makefile_targets()}
    assert missing == {}


def _source_strings() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((ROOT / "scripts/showcase").rglob("*.py")))


def contributing_codes() -> list[str]:
    """Problem codes the guide explains: the first column of the table in its section on
    codes (the heading says 问题代码), rows like | `UNKNOWN_REGION` | … |."""
    text = CONTRIBUTING.read_text("utf-8")
    section = re.search(r"^## [^\n]*问题代码[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, "CONTRIBUTING.md has no section on problem codes"
    return re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|", section.group(1), re.M)


def test_contributing_explains_the_common_codes() -> None:
    codes = contributing_codes()
    assert len(codes) == len(set(codes))
    assert {"UNKNOWN_REGION", "UNKNOWN_CATEGORY", "SLUG_MISMATCH", "BAD_PATH", "PHONE_NUMBER"} <= set(codes)


@pytest.mark.parametrize("code", contributing_codes())
def test_contributing_codes_exist(code: str) -> None:
    """A code the guide explains is one `showcase check` can actually print."""
    assert re.search(rf"[\"']{code}[\"']", _source_strings()), f"{code} is not a code in scripts/showcase"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            a = dict(attrs)
            self.found.append((a.get("src") or "", a.get("alt") or ""))


def test_contributing_screenshots_are_there_and_described() -> None:
    """Every picture CONTRIBUTING.md shows (rendered by Python-Markdown, as a code host renders
    it) is a file in the repository, a real JPEG or PNG, with words for who cannot see it; the
    web editor's are the ones scripts/contributing_screenshots.py writes."""
    import markdown
    from PIL import Image

    parser = _Images()
    parser.feed(markdown.markdown(CONTRIBUTING.read_text("utf-8")))
    editor = [src for src, _ in parser.found if src.startswith("contributing/editor-")]
    assert len(editor) >= 5
    for src, alt in parser.found:
        assert alt.strip(), src
        with Image.open(ROOT / src) as img:
            assert img.format in ("JPEG", "PNG") and img.width >= 800, src


def test_the_pull_request_comment_tells_a_liaison_what_to_do(tmp_path: Path) -> None:
    """`check --comment` (posted by the pull-request workflow): the result first, what to do in
    the web editor or the files, then each problem with check's own words; a clean check says so."""
    from branch_samples import PROFILE, PROFILE_PATH, SLUG, add_branch, empty_project, profile_with
    from showcase.cli.main import main
    from showcase.cli.output import COMMENT_MARK

    root = empty_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: 测试\n", "utf-8")
    add_branch(root, profile=profile_with("category: 社区", "category: 小区"))
    comment = tmp_path / "comment.md"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["-f", str(root / "mkdocs.yml"), "check", "--comment", str(comment)]) == 1
    text = comment.read_text("utf-8")
    assert text.startswith(COMMENT_MARK + "\n### ❌ 检查没有通过：1 处需要修改")
    assert "编辑页面（/admin/）" in text and "`文件:行:列`" in text
    assert (
        f"`{PROFILE_PATH}:3:11` | UNKNOWN_CATEGORY | 类别“小区”不在 taxonomy.yml 的词表中：是否想写“社区”？ |"
        in text
    )

    (root / PROFILE_PATH).write_text(PROFILE.format(slug=SLUG), "utf-8")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["-f", str(root / "mkdocs.yml"), "check", "--comment", str(comment)]) == 0
    text = comment.read_text("utf-8")
    assert text.startswith(COMMENT_MARK + "\n### ✅ 检查通过") and "❌" not in text
