"""The web editor end to end, in real Chromium against real `showcase edit` (decap-server, local
backend): a liaison creates a branch with a Pinyin keyboard (IME composition through CDP), adds
figures and a real camera JPEG, writes the case, and the site builds from what was saved; an
existing figure is edited in place; a mobile number in 简介 is refused with `check`'s message.

The tests share one `showcase edit` session on one scratch project and run in file order (each
builds on the one before: the case is for the branch test_a created, test_c checks and builds both).
Screenshots of the key steps go to tests/artifacts/editor/ (git-ignored; for CONTRIBUTING).
"""

from __future__ import annotations

import difflib
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT
from editor.editing import SHOWCASE, Editing, copy_project, running
from imagefiles import PHONE, assert_clean, camera_jpeg, marker_picture, open_image
from page_types import Watch
from showcase.content import checks
from showcase.editor import uploads
from showcase.editor.decap_config import SCHEMA_COMMENT
from showcase.media.images import MAX_BYTES

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "artifacts" / "editor"
WAIT = 20_000

SLUG = "ceshi-shequ"
NAME = "回民区测试路街道测试社区党委"
BRAND = "红心向党"
SUMMARY = "测试社区党委以党建引领网格治理，组织党员志愿者常态化服务居民。"
CASE_BODY = "测试社区党委把党员编入网格，每名党员联系十户居民。"
CASE_LINES = [
    "## 主要举措",
    "",
    CASE_BODY + "社区党委每月召开一次网格议事会，听取居民意见，协调物业和共建单位解决问题。",
    "",
    "## 取得成效",
    "",
    "一年来，网格党员走访居民两千多户次，帮助解决停车难、楼道照明等问题一百余件。",
]
CAPTION = "测试社区党员志愿者入户走访"
CREDIT = "本报记者 王明"
EXISTING = "chengzi-jiedao"  # its first figure: {label: 成立联合党支部的社会组织, value: 15, unit: 家}
EXISTING_NAME = "中共北京市门头沟区城子街道工作委员会"


@dataclass
class Session:
    project: Path
    base: str
    process: subprocess.Popen[str]
    page: Any
    cdp: Any
    watch: Watch


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Session]:
    project = copy_project(tmp_path_factory.mktemp("editor-flow"))
    # Built first, so the preview pane (and the screenshots for CONTRIBUTING) have the site's CSS.
    built = run(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    with running(project) as editing:
        yield from _session(editing, browser)


def _session(editing: Editing, browser: Any) -> Iterator[Session]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        yield Session(
            editing.project,
            editing.base,
            editing.process,
            page,
            context.new_cdp_session(page),
            Watch(page, editing.base),
        )
    finally:
        context.close()


# --- driving Decap's form -----------------------------------------------------------------------


def field(page: Any, label: str, nth: int = -1) -> Any:
    """The control of the nth field (last by default) whose label reads `label` (“ (可选)” aside)."""
    find = """l => Array.from(document.querySelectorAll('label[for]'))
             .filter(e => e.innerText.replace(/\\s*\\(可选\\)$/, '').trim() === l)
             .map(e => e.htmlFor)"""
    page.wait_for_function(f"l => ({find})(l).length > 0", arg=label, timeout=WAIT)
    ids = page.evaluate(find, label)
    assert ids, f"no field labelled {label}"
    return page.locator(f'[id="{ids[nth]}"]')


def ime_type(s: Session, target: Any, pinyin: list[str], text: str) -> None:
    """Type `text` as a Pinyin keyboard does: composition updates with the pinyin typed so far,
    then the chosen characters committed."""
    target.click()
    for partial in pinyin:
        s.cdp.send(
            "Input.imeSetComposition",
            {"text": partial, "selectionStart": len(partial), "selectionEnd": len(partial)},
        )
    s.cdp.send("Input.insertText", {"text": text})


def choose(page: Any, control: Any, option: str) -> None:
    """Pick `option` in a react-select (Decap's select widget)."""
    control.click()
    page.get_by_role("option", name=option, exact=True).click(timeout=WAIT)
    try:  # the menu closes before the next field is clicked (it would cover it)
        page.get_by_role("option").first.wait_for(state="detached", timeout=3000)
    except Exception:  # a multiple choice keeps its menu open
        page.keyboard.press("Escape")
        page.get_by_role("option").first.wait_for(state="detached", timeout=WAIT)


def publish(page: Any) -> None:
    """The local backend in fs mode has no editorial workflow: 发布 → 立即发布 writes the file."""
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布", exact=True).click(timeout=WAIT)
    try:
        page.get_by_text("已发布", exact=True).first.wait_for(timeout=WAIT)
    except Exception:
        page.screenshot(path=SHOTS / "debug-publish.png", full_page=True)
        raise


def login(page: Any, base: str) -> None:
    page.goto(base + "/admin/")
    page.get_by_role("button", name="登录").wait_for(timeout=WAIT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "01-login.png")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("党组织档案").first.wait_for(timeout=WAIT)


def open_existing(page: Any, base: str) -> None:
    """Open the existing branch from the collection's list, as a liaison does (its entry's address
    is …/entries/<slug>/profile: Decap names an entry by its path below the folder)."""
    page.goto(base + "/admin/#/collections/branches")
    page.get_by_text(EXISTING_NAME, exact=True).first.click(timeout=WAIT)
    page.wait_for_url(f"**/entries/{EXISTING}/profile", timeout=WAIT)
    field(page, "简介").wait_for(timeout=WAIT)


def wait_for_file(path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), path


def assert_stayed_local(s: Session) -> None:
    assert s.watch.script_errors() == []
    # The admin page and decap-server (the next port) are both on the loopback address.
    assert [u for u in s.watch.foreign() if not u.startswith("http://127.0.0.1:")] == []


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=project,
    )


# --- the flow -----------------------------------------------------------------------------------


def test_a_new_branch_typed_with_a_pinyin_keyboard_is_written_as_profile_and_photo(
    session: Session, tmp_path: Path
) -> None:
    s, page = session, session.page
    login(page, s.base)
    page.get_by_text("党组织档案").first.click()
    page.get_by_text(re.compile(r"^＋\s*党组织档案$")).click(timeout=WAIT)
    field(page, "党组织全称").wait_for(timeout=WAIT)

    field(page, "网址名").fill(SLUG)
    ime_type(s, field(page, "党组织全称"), ["hui", "huimin", "huiminqu"], NAME)
    choose(page, field(page, "组织类别"), "社区")
    choose(page, field(page, "所属区域"), "呼和浩特市/回民区/光明路街道")
    ime_type(s, field(page, "品牌名称"), ["hong", "hongxin"], BRAND)
    ime_type(s, field(page, "简介"), ["ce", "ceshi", "ceshishequ"], SUMMARY)
    choose(page, field(page, "工作主题"), "志愿服务")
    field(page, "更新日期").fill("2026-12")
    page.screenshot(path=SHOTS / "02-new-branch-form.png")

    for value, qualifier, unit, label in (("1400", "余", "名", "在册党员"), ("30", "", "支", "志愿服务队")):
        page.get_by_role("button", name="新增关键数字").click()
        field(page, "数值").fill(value)
        if qualifier:
            choose(page, field(page, "约数词"), qualifier)
        field(page, "单位").fill(unit)
        ime_type(s, field(page, "说明"), ["zai"], label)
    field(page, "说明").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "03-figures.png")

    photo = tmp_path / "zoufang.jpg"
    photo.write_bytes(camera_jpeg(marker_picture(), orientation=6))
    page.get_by_role("button", name="新增照片").click()
    page.get_by_role("button", name="选择图片").last.click()
    page.locator("input[type=file]").last.set_input_files(photo)
    page.get_by_role("button", name="选用已选中项目").click(timeout=WAIT)
    ime_type(s, field(page, "图片说明"), ["ce", "ceshi"], CAPTION)
    ime_type(s, field(page, "摄影"), ["ben", "benbao"], CREDIT)
    choose(page, field(page, "肖像同意"), "已同意")
    field(page, "图片说明").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "04-photo.png")

    publish(page)
    page.screenshot(path=SHOTS / "05-saved.png")

    folder = s.project / "branches" / SLUG
    wait_for_file(folder / "profile.yml")
    written = (folder / "profile.yml").read_text("utf-8")
    assert written.startswith(f"# {SCHEMA_COMMENT}\nslug: {SLUG}\n"), written
    profile = yaml.safe_load(written)
    assert profile["slug"] == SLUG and profile["name"] == NAME
    assert profile["category"] == "社区" and profile["region"] == "呼和浩特市/回民区/光明路街道"
    assert profile["brand"]["name"] == BRAND and profile["summary"] == SUMMARY
    assert profile["themes"] == ["志愿服务"]
    figures = [(f["value"], f.get("qualifier"), f["unit"], f["label"]) for f in profile["figures"]]
    assert figures == [(1400, "余", "名", "在册党员"), (30, None, "支", "志愿服务队")]
    [entry] = profile["photos"]
    assert entry["caption"] == CAPTION and entry["credit"] == CREDIT and entry["consent"] == "已同意"
    assert entry["file"] == "photos/zoufang.jpg"
    assert (folder / "photos" / "zoufang.jpg").read_bytes() == photo.read_bytes()
    assert_stayed_local(s)


def test_b_the_case_of_the_new_branch_is_created_in_the_form(session: Session) -> None:
    s, page = session, session.page
    page.goto(s.base + "/admin/#/collections/cases")
    page.get_by_text(re.compile(r"^＋\s*案例正文$")).click(timeout=WAIT)
    page.wait_for_url("**/collections/cases/new", timeout=WAIT)
    field(page, "网址名").wait_for(timeout=WAIT)
    field(page, "网址名").fill(SLUG)
    # The body starts as the template; the liaison replaces it all, line by line.
    editor = page.locator("[contenteditable=true]").first
    editor.get_by_text("待填写").first.wait_for(timeout=WAIT)
    for _ in range(5):  # Slate may not take the first select-all while it settles
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.press("Backspace")
        if "待填写" not in editor.inner_text():
            break
        time.sleep(0.3)
    assert editor.inner_text().strip("\ufeff\n ") == ""
    for line in CASE_LINES:
        if line.startswith("## "):
            page.keyboard.type("## ")
            line = line[3:]
        if line:
            s.cdp.send("Input.imeSetComposition", {"text": "ce", "selectionStart": 2, "selectionEnd": 2})
            s.cdp.send("Input.insertText", {"text": line})
        page.keyboard.press("Enter")
    publish(page)
    case = s.project / "branches" / SLUG / "case.md"
    wait_for_file(case)
    text = case.read_text("utf-8")
    assert text.startswith(f"---\nslug: {SLUG}\n---\n"), text
    assert all(line in text for line in CASE_LINES), text
    assert "待填写" not in text
    assert_stayed_local(s)


def test_c_the_new_branch_checks_clean_and_builds(session: Session) -> None:
    s = session
    check = run(s.project, "check", f"branches/{SLUG}")
    assert check.returncode == 0, check.stdout + check.stderr
    build = run(s.project, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    html = (s.project / "site" / "branches" / SLUG / "index.html").read_text("utf-8")
    for text in (NAME, BRAND, "1400余名", "30支", CAPTION, CASE_BODY):
        assert text in html, text
    # The camera JPEG the form uploaded as it was reaches readers upright and without its
    # EXIF, GPS and the rest (the site's image pipeline; orientation 6 turns 1200×800 upright).
    src = re.search(r'<img src="\.\./\.\./(media/[^"]+-800\.jpg)"[^>]*alt="' + CAPTION, html)
    assert src is not None, html
    data = (s.project / "site" / src.group(1)).read_bytes()
    assert_clean(data, src.group(1))
    assert open_image(data).size == (800, 1200)


def test_d_editing_one_figure_changes_only_that_value(session: Session) -> None:
    s, page = session, session.page
    path = s.project / "branches" / EXISTING / "profile.yml"
    text = path.read_text("utf-8")
    before = yaml.safe_load(text)
    open_existing(page, s.base)
    # The list shows its items collapsed, each under its 说明: open the first with its toggle.
    value = field(page, "数值", 0)
    if not value.is_visible():
        item = value.locator("xpath=ancestor::div[./div/button][1]")
        item.locator("button").first.click()
    value.wait_for(state="visible", timeout=WAIT)
    value.fill("16")
    publish(page)
    deadline = time.monotonic() + 20
    after = before
    while after == before and time.monotonic() < deadline:
        time.sleep(0.2)
        after = yaml.safe_load(path.read_text("utf-8"))
    before["figures"][0]["value"] = 16
    assert after == before
    # The sample profiles are written as Decap writes YAML (decap_config.py), so the pull request
    # shows the one line that changed, and the schema line for VS Code stays on top.
    old, new = text.splitlines(), path.read_text("utf-8").splitlines()
    assert len(old) == len(new) and new[0] == old[0] == "# " + SCHEMA_COMMENT
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [("    value: 15", "    value: 16")]
    assert_stayed_local(s)


def test_d2_an_existing_case_is_edited_without_retyping_its_slug(session: Session) -> None:
    """The sample's case.md files carry `slug:` in their front matter, so the form knows the
    网址名 of an existing case; a paragraph added at the end is the only change in the file."""
    s, page = session, session.page
    path = s.project / "branches" / EXISTING / "case.md"
    text = path.read_text("utf-8")
    page.goto(s.base + "/admin/#/collections/cases")
    page.get_by_text(EXISTING, exact=True).first.click(timeout=WAIT)  # listed by folder name
    page.wait_for_url(f"**/cases/entries/{EXISTING}/case", timeout=WAIT)
    editor = page.locator("[contenteditable=true]").first
    editor.get_by_text("主要举措").first.wait_for(timeout=WAIT)
    assert field(page, "网址名").input_value() == EXISTING
    last = editor.locator("[data-slate-node=element]").last  # the case's last paragraph
    last.scroll_into_view_if_needed()
    last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    added = "街道还把“三联”工作法写进了社会组织孵化园的入驻协议。"
    s.cdp.send("Input.insertText", {"text": added})
    publish(page)
    deadline = time.monotonic() + 20
    while added not in path.read_text("utf-8") and time.monotonic() < deadline:
        time.sleep(0.2)
    after = path.read_text("utf-8")
    assert after.startswith(f"---\nslug: {EXISTING}\n---\n")
    changed = [line for line in difflib.ndiff(text.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert [line for line in changed if line.strip() not in ("+", "-")] == [f"+ {added}"], changed
    assert_stayed_local(s)


def test_e_a_file_that_is_not_a_photo_or_too_large_is_refused_before_upload(
    session: Session, tmp_path: Path
) -> None:
    s, page = session, session.page
    photos = s.project / "branches" / EXISTING / "photos"
    before = sorted(p.name for p in photos.iterdir())
    report = tmp_path / "huizong.pdf"
    report.write_bytes(b"%PDF-1.4\n% a report, not a photo\n%%EOF\n")
    renamed = tmp_path / "huizong.docx"
    renamed.write_bytes(b"PK\x03\x04 not a photo")
    huge = tmp_path / "yuantu.jpg"  # a real JPEG padded past the 30 MB limit
    huge.write_bytes(camera_jpeg(marker_picture()) + b"\0" * (MAX_BYTES + 1))
    alerts: list[str] = []

    def answer(dialog: Any) -> None:
        alerts.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    try:
        open_existing(page, s.base)
        page.get_by_role("button", name="新增照片").click()
        page.get_by_role("button", name="选择图片").last.click()
        upload = page.locator("input[type=file]").last
        for n, file in enumerate((report, renamed, huge), 1):
            upload.set_input_files(file)
            deadline = time.monotonic() + 10
            while len(alerts) < n and time.monotonic() < deadline:
                page.wait_for_timeout(100)
        page.screenshot(path=SHOTS / "07-upload-refused.png")
        assert alerts == [
            uploads.WRONG_TYPE.replace("{name}", "huizong.pdf"),
            uploads.WRONG_TYPE.replace("{name}", "huizong.docx"),
            uploads.TOO_LARGE.replace("{name}", "yuantu.jpg").replace(
                "{mb}", f"{huge.stat().st_size / 2**20:.1f}"
            ),
        ]
        # Decap never saw them: nothing in its media library, nothing written.
        assert page.get_by_text("huizong").count() == 0 and page.get_by_text("yuantu").count() == 0
        time.sleep(1)
        assert sorted(p.name for p in photos.iterdir()) == before
        page.keyboard.press("Escape")
        page.goto(s.base + "/admin/#/collections/branches")  # leaving the unsaved entry: confirmed
        page.get_by_text(EXISTING_NAME, exact=True).first.wait_for(timeout=WAIT)
    finally:
        page.remove_listener("dialog", answer)
    assert_stayed_local(s)


def test_f_a_mobile_number_in_the_summary_is_refused_and_nothing_is_written(
    session: Session,
) -> None:
    s, page = session, session.page
    path = s.project / "branches" / EXISTING / "profile.yml"
    before = path.read_bytes()
    open_existing(page, s.base)
    summary = field(page, "简介")
    summary.wait_for(timeout=WAIT)
    summary.click()
    page.keyboard.press("End")
    page.keyboard.type(f"联系电话{PHONE}。")
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布", exact=True).click(timeout=WAIT)
    # `showcase check`'s own message, less the masked number the form cannot show.
    message = checks.PERSONAL_DATA_MESSAGES["mobile"][2].replace(" {masked}", "")
    page.get_by_text(message).first.wait_for(timeout=WAIT)
    # Said as check says it, under the field's name (phrases.js drops Decap's “不满足模式”).
    shown = page.get_by_text(message).first.inner_text()
    assert shown.startswith("“简介”：") and "模式" not in shown, shown
    # The earlier tests' "内容已保存" toasts (one per save) gone before the screenshot.
    page.wait_for_function("() => !document.body.innerText.includes('内容已保存')", timeout=WAIT)
    page.screenshot(path=SHOTS / "06-phone-refused.png")
    time.sleep(1)  # a write, if there were one, would land within this
    assert path.read_bytes() == before
    # Decap refuses an invalid entry by rejecting its save with no reason (`return
    # Promise.reject()` in decap-cms-core's persistEntry): Chromium reports exactly that one
    # unhandled rejection, as "undefined". Anything else still counts.
    assert s.watch.script_errors() == ["pageerror: undefined"]
    s.watch.errors.clear()
    assert_stayed_local(s)


def test_g_a_save_the_server_refuses_says_so_in_chinese_and_keeps_the_text(session: Session) -> None:
    """The repository side goes away mid-edit (decap-server stopped: as an expired login or a
    lost connection looks to the form): the save fails with Decap's Chinese message, nothing is
    written, and what the liaison typed is still in the form. Runs last: it stops decap-server."""
    s = session
    path = s.project / "branches" / SLUG / "profile.yml"
    before = path.read_bytes()
    page = s.page.context.new_page()  # a fresh tab (test_f's refused entry stays in the other)
    watch = Watch(page, s.base)
    cdp = s.page.context.new_cdp_session(page)
    page.goto(s.base + "/admin/#/collections/branches/entries/" + SLUG + "/profile")
    summary = field(page, "简介")
    summary.wait_for(timeout=WAIT)
    summary.click()
    page.keyboard.press("End")
    addition = "今年又新建了两个楼栋党小组。"
    cdp.send("Input.insertText", {"text": addition})
    stop_decap_server(s.process.pid)
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布", exact=True).click(timeout=WAIT)
    try:
        page.get_by_text("保存内容失败").first.wait_for(timeout=WAIT)
    finally:
        page.screenshot(path=SHOTS / "08-save-failed.png")
    assert summary.input_value() == SUMMARY + addition
    assert path.read_bytes() == before
    # The browser logs the refused connection, Decap its failed fetch and its rejected save (an
    # unhandled rejection with an object, as in test_f): those three and nothing else.
    expected = (
        lambda e: e.startswith("Failed to load resource: net::ERR_CONNECTION_REFUSED @ http://127.0.0.1:"),
        lambda e: e.startswith("TypeError: Failed to fetch") and "persistEntry" in e,
        lambda e: e == "pageerror: Object",
    )
    errors = watch.script_errors()
    assert errors and [e for e in errors if not any(ok(e) for ok in expected)] == []
    assert [u for u in watch.foreign() if not u.startswith("http://127.0.0.1:")] == []


def stop_decap_server(parent: int) -> None:
    """Stop decap-server, which `showcase edit` (pid `parent`) started, and wait until it is gone."""
    pids = [pid for pid in _descendants(parent) if b"decap-server" in _cmdline(pid)]
    assert pids, "decap-server is not running"
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in pids):
        assert time.monotonic() < deadline, "decap-server did not stop"
        time.sleep(0.1)


def _descendants(parent: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [parent]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"
