"""`showcase deploy DIR`: the same releases into a folder that nginx serves, with .gz sidecars."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from conftest import built_synth_project, showcase_build
from showcase.cli.main import main
from showcase.deploy import headers
from showcase.deploy.manifest import published_files

pytestmark = pytest.mark.slow


def deploy(project: Path, target: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    code = main(["-f", str(project / "mkdocs.yml"), "deploy", str(target), "--format", "json", *extra])
    out = capsys.readouterr()
    assert code == 0, out.err
    result: dict[str, object] = json.loads(out.out.strip().splitlines()[-1])
    return result


def served(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".showcase" not in p.relative_to(folder).parts
    }


def test_folder_deploy_rollback_and_sidecars(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = built_synth_project(tmp_path / "project", 4, photos=0, seed=5)
    site, www = project / "site", tmp_path / "www"
    v1 = {p: (site / p).read_bytes() for p in published_files(site)}
    first = deploy(project, www, capsys, "--release", "v1")
    files = served(www)
    assert {p: files[p] for p in v1} == v1
    sidecars = {p for p in files if p not in v1}
    assert sidecars and all(p.endswith(".gz") for p in sidecars)
    assert gzip.decompress(files["index.html.gz"]) == v1["index.html"]
    assert all(headers.compressible(p[:-3]) for p in sidecars)
    assert (www / ".showcase" / "nginx-security-headers.conf").read_bytes() == (
        site / "nginx-security-headers.conf"
    ).read_bytes()
    assert first["uploaded"] == len(files)
    assert deploy(project, www, capsys)["uploaded"] == 0

    slug = sorted((project / "branches").glob("*/profile.yml"))[0].parent.name
    shutil.rmtree(project / "branches" / slug)
    assert showcase_build(project) == 0
    v2 = {p: (site / p).read_bytes() for p in published_files(site)}
    deploy(project, www, capsys, "--release", "v2")
    gone = www / "branches" / slug
    # The page is taken down at once; its share picture stays for pages readers already hold.
    assert not (gone / "index.html").exists() and not (gone / "index.html.gz").exists()
    assert (gone / "share.jpg").read_bytes() == v1[f"branches/{slug}/share.jpg"]
    assert {p: served(www)[p] for p in v2} == v2

    back = deploy(project, www, capsys, "--rollback")
    assert back["release"] == "v1"
    assert {p: served(www)[p] for p in v1} == v1
    deploy(project, www, capsys, "--rollback", "v2")
    assert {p: served(www)[p] for p in v2} == v2 and not (www / "branches" / slug / "index.html").exists()
