"""Edition files (content/editions/<id>.yml): what is checked, and how a broken one is reported
and left out while everything else publishes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, build_site, scratch_project, showcase_build
from showcase.cli.main import main
from showcase.content.load import Project, load_project
from showcase.printing.editions import load_edition, load_editions
from showcase.problems import ContentError


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(ROOT, "branches", cache_dir=ROOT / ".cache" / "showcase")


def _problems(project: Project, tmp_path: Path, text: str, name: str = "qi-1.yml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    with pytest.raises(ContentError) as raised:
        load_edition(project, path)
    return [p.format() for p in raised.value.problems]


HEAD = "title: 党旗领航\nnumber: 3\ndate: 2024-05-01\n"


def test_the_sample_editions_load(project: Project) -> None:
    editions, problems = load_editions(project, ROOT / "content")
    assert problems == []
    assert [e.id for e in editions] == ["pinpai-huace", "dangqi-linghang-1", "shuzhi-pingyi-2017"]
    album = editions[0]
    assert album.file.album and len(album.articles) == len(project.branches)
    a3 = editions[1]
    assert a3.file.paper == "A3"
    zhengxie = a3.articles[0]
    assert [f.label for f in zhengxie.figures] == [
        "委员面向界别群众政策宣讲",
        "宣讲直接受众",
        "旗县区政协读书群",
    ]
    assert a3.articles[2].photo is not None and a3.articles[2].photo.file == "photos/youjifei.jpg"
    assert a3.articles[1].photo == a3.articles[1].branch.profile.photos[0]  # default: the first


def test_unknown_branch_photo_and_figure_are_named_with_their_line(project: Project, tmp_path: Path) -> None:
    found = _problems(
        project,
        tmp_path,
        HEAD
        + "branches:\n"
        + "  - yanchi-zhenn\n"
        + "  - slug: youhao-cun\n    photo: photos/nope.jpg\n    figures: [村集体年均收入, 不存在的数字]\n"
        + "  - yanchi-zhen\n  - yanchi-zhen\n",
    )
    text = "\n".join(found)
    assert re.search(
        r"qi-1\.yml:5:5: EDITION_BRANCH 没有网址名为“yanchi-zhenn”的党组织：是否想写“yanchi-zhen”", text
    )
    assert re.search(
        r"qi-1\.yml:7:12: EDITION_PHOTO youhao-cun 的档案里没有照片“photos/nope\.jpg”：可选 photos/", text
    )
    assert re.search(r"qi-1\.yml:8:\d+: EDITION_FIGURE youhao-cun 的档案里没有关键数字“不存在的数字”", text)
    assert re.search(r"qi-1\.yml:10:5: EDITION_DUPLICATE 党组织“yanchi-zhen”在本期列了两次", text)
    assert "村集体年均收入" not in text.split("EDITION_FIGURE")[0]  # an existing label is no problem
    assert len(found) == 4


def test_schema_errors_use_the_shared_chinese_messages(project: Project, tmp_path: Path) -> None:
    found = _problems(project, tmp_path, "title: 党旗领航\nnumbr: 3\ndate: 2024-13-01\npaper: A5\n")
    text = "\n".join(found)
    assert "qi-1.yml:2:1: UNKNOWN_KEY 未知的键“numbr”" in text and "是否想写“number”" in text
    assert "MISSING 缺少必填项 number（期号）" in text
    assert "qi-1.yml:3:7: DATE" in text and "不存在" in text
    assert "qi-1.yml:4:8: CHOICE paper（纸张） 只能是 A3、A4 之一" in text


def test_an_empty_column_and_a_bad_file_name_are_refused(project: Project, tmp_path: Path) -> None:
    assert any("EDITION_EMPTY" in p for p in _problems(project, tmp_path, HEAD))
    bad_name = _problems(project, tmp_path, HEAD + "branches: [yanchi-zhen]\n", name="第3期.yml")
    assert "EDITION_NAME" in bad_name[0] and "/editions/<文件名>.pdf" in bad_name[0]


def test_a_branch_with_errors_is_named_as_such(tmp_path: Path) -> None:
    mkdocs = scratch_project(tmp_path)
    for slug in ("yanchi-zhen", "youhao-cun"):
        shutil.copytree(ROOT / "branches" / slug, tmp_path / "branches" / slug)
    profile = tmp_path / "branches" / "youhao-cun" / "profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("category: 村", "category: 不存在的类别"), "utf-8")
    project = load_project(tmp_path, "branches", cache_dir=tmp_path / ".cache")
    found = _problems(project, tmp_path, HEAD + "branches: [yanchi-zhen, youhao-cun]\n")
    assert len(found) == 1
    assert (
        "EDITION_BRANCH 党组织“youhao-cun”的档案有错误，暂时不能印刷：先运行 showcase check branches/youhao-cun 改正"
        in found[0]
    )
    assert mkdocs.is_file()


def test_a_broken_edition_is_left_out_and_the_rest_publishes(tmp_path: Path) -> None:
    mkdocs = scratch_project(tmp_path, site_url="https://dj.example.org/")
    for slug in ("yanchi-zhen", "chengzi-jiedao"):
        shutil.copytree(ROOT / "branches" / slug, tmp_path / "branches" / slug)
    editions = tmp_path / "content" / "editions"
    editions.mkdir()
    (editions / "good-1.yml").write_text(HEAD + "branches: [yanchi-zhen, chengzi-jiedao]\n", "utf-8")
    (editions / "bad-1.yml").write_text(HEAD + "branches: [yanchi-zhen, no-such-branch]\n", "utf-8")
    site = build_site(mkdocs, tmp_path / "site", strict=False)
    assert any(
        "content/editions/bad-1.yml:4:25: EDITION_BRANCH" in w and "未发布" in w for w in site.warnings
    )
    assert (site.dir / "editions" / "good-1.pdf").read_bytes().startswith(b"%PDF-")
    assert not (site.dir / "editions" / "bad-1.pdf").exists()
    assert not list((site.dir / "editions").glob("*.yml"))
    listing = site.page("editions")
    assert "good-1.pdf" in listing and "bad-1" not in listing
    assert (site.dir / "branches" / "yanchi-zhen" / "index.html").is_file()
    # `showcase check` reports it too, and a strict `showcase build` refuses it, keeping site/.
    assert main(["-f", str(mkdocs), "check"]) == 1
    before = (site.dir / "index.html").read_bytes()
    assert main(["-f", str(mkdocs), "build", "--strict"]) == 1
    assert (site.dir / "index.html").read_bytes() == before


def test_an_incremental_build_reprints_only_what_changed(tmp_path: Path) -> None:
    scratch_project(tmp_path, site_url="https://dj.example.org/")
    shutil.copytree(ROOT / "branches" / "yanchi-zhen", tmp_path / "branches" / "yanchi-zhen")
    editions = tmp_path / "content" / "editions"
    editions.mkdir()
    source = editions / "qi-1.yml"
    source.write_text(HEAD + "branches: [yanchi-zhen]\n", "utf-8")
    assert showcase_build(tmp_path) == 0
    pdf = tmp_path / "site" / "editions" / "qi-1.pdf"
    first = pdf.read_bytes()
    assert "第3期" in (tmp_path / "site" / "editions" / "index.html").read_text("utf-8")
    # Nothing changed: the cached PDF is published again, byte for byte.
    assert showcase_build(tmp_path) == 0
    assert pdf.read_bytes() == first
    # A new issue number: a new PDF, and the listing says so.
    source.write_text(source.read_text("utf-8").replace("number: 3", "number: 4"), "utf-8")
    assert showcase_build(tmp_path) == 0
    assert pdf.read_bytes() != first
    assert "第4期" in (tmp_path / "site" / "editions" / "index.html").read_text("utf-8")
    # A removed edition leaves the site with the next build.
    source.unlink()
    assert showcase_build(tmp_path) == 0
    assert not pdf.exists()
    assert "还没有印刷版" in (tmp_path / "site" / "editions" / "index.html").read_text("utf-8")
