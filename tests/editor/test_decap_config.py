"""The web editor's Decap configuration is derived from the model, the taxonomy and the checks."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from showcase.cli.main import main
from showcase.content.checks import PERSONAL_DATA_MESSAGES
from showcase.content.load import TAXONOMY
from showcase.content.model import SLUG_RE, Profile, Update
from showcase.content.personal_data import find
from showcase.content.taxonomy import Taxonomy, load_taxonomy
from showcase.editor.decap_config import (
    CONFIG_FILE,
    case_template,
    config_text,
    decap_config,
    project_config_text,
)
from showcase.editor.settings import editor_settings, read_editor_settings
from showcase.problems import ContentError

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
NODE = shutil.which("node")


def _taxonomy() -> Taxonomy:
    return load_taxonomy(f"branches/{TAXONOMY}", (ROOT / "branches" / TAXONOMY).read_bytes())


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(project_config_text(ROOT, "branches", ROOT / "mkdocs.yml"))
    return loaded


def _collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in config["collections"] if c["name"] == name)
    return found


def _by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def _schema_fields(schema: dict[str, Any], obj: dict[str, Any], path: tuple[str, ...] = ()) -> list[Any]:
    """(path, title, required) of every property, into objects and lists of objects."""
    defs = schema.get("$defs", {})
    out = []
    for name, prop in obj["properties"].items():
        inner = prop.get("items", prop)
        ref = inner.get("$ref") or next((v.get("$ref") for v in inner.get("anyOf", ()) if "$ref" in v), None)
        target = defs[ref.rsplit("/", 1)[-1]] if ref else None
        title = prop.get("title") or (target or {}).get("title")
        out.append(((*path, name), title, name in obj.get("required", ())))
        if target:
            out += _schema_fields(schema, target, (*path, name))
    return out


def _config_field(fields: list[dict[str, Any]], path: tuple[str, ...]) -> dict[str, Any]:
    field = _by_name(fields)[path[0]]
    return field if len(path) == 1 else _config_field(field["fields"], path[1:])


@pytest.mark.parametrize(("model", "collection"), [(Profile, "branches"), (Update, "updates")])
def test_every_schema_field_is_in_the_form_with_its_label_and_required_flag(
    config: dict[str, Any], model: Any, collection: str
) -> None:
    schema = model.model_json_schema()
    fields = _collection(config, collection)["fields"]
    expected = _schema_fields(schema, schema)
    assert len(expected) > 5
    for path, title, required in expected:
        field = _config_field(fields, path)
        assert field["label"] == title and CJK.search(field["label"]), path
        assert field["required"] is required, path
        assert CJK.search(field.get("hint", "")), path
    # and nothing that the model does not know (apart from an update's Markdown body)
    names = {f["name"] for f in fields} - {"body"}
    assert names == set(schema["properties"])


def test_taxonomy_choices_equal_the_taxonomy(config: dict[str, Any]) -> None:
    taxonomy = _taxonomy()
    fields = _by_name(_collection(config, "branches")["fields"])
    assert fields["category"]["options"] == taxonomy.category_names
    assert fields["region"]["options"] == list(taxonomy.regions)
    assert "呼和浩特市/回民区/光明路街道" in fields["region"]["options"]
    assert fields["themes"]["options"] == taxonomy.theme_names
    assert fields["themes"]["multiple"] is True
    assert fields["themes"]["max"] == Profile.model_json_schema()["properties"]["themes"]["maxItems"]
    figure = _by_name(fields["figures"]["fields"])
    assert figure["metric"]["options"] == taxonomy.metric_names
    assert figure["qualifier"]["options"] == ["余", "多", "近", "约", "超"]
    assert figure["value"]["widget"] == "number" and figure["value"]["min"] == 0


def test_collections_and_places(config: dict[str, Any]) -> None:
    assert config["locale"] == "zh_Hans"
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    branches = _collection(config, "branches")
    assert (branches["folder"], branches["path"], branches["extension"]) == (
        "branches",
        "{{slug}}/profile",
        "yml",
    )
    assert branches["create"] is True and branches["identifier_field"] == "slug"
    assert (branches["media_folder"], branches["public_folder"]) == ("photos", "photos")
    photo = _by_name(_by_name(branches["fields"])["photos"]["fields"])
    assert photo["file"]["widget"] == "image"
    cases = _collection(config, "cases")
    assert cases["path"] == "{{slug}}/case"
    assert cases["create"] is True and cases["delete"] is False
    assert (cases["identifier_field"], cases["slug"]) == ("slug", "{{fields.slug}}")
    assert [f["name"] for f in cases["fields"]] == ["slug", "body"]
    body = cases["fields"][1]
    assert body["modes"] == ["raw"]
    assert body["widget"] == "markdown" and body["default"] == case_template()
    assert "## 主要举措" in body["default"] and "## 取得成效" in body["default"]
    updates = _collection(config, "updates")
    assert updates["path"].count("/") == 2 and updates["public_folder"] == "updates"


def test_slug_field_uses_the_models_rule_and_the_checks_words(config: dict[str, Any]) -> None:
    slug = _by_name(_collection(config, "branches")["fields"])["slug"]
    assert slug["pattern"][0] == SLUG_RE.pattern
    assert slug["pattern"][1].startswith("网址名不合规：只能用小写字母")


def test_case_slug_field_is_the_profiles_with_its_own_hint(config: dict[str, Any]) -> None:
    """A new case's folder comes from its `slug` (case.md's front matter, see branch.py)."""
    profile_slug = _by_name(_collection(config, "branches")["fields"])["slug"]
    case_slug = _by_name(_collection(config, "cases")["fields"])["slug"]
    assert case_slug["required"] is True and case_slug["widget"] == "string"
    assert case_slug["label"] == profile_slug["label"] == "网址名"
    assert case_slug["pattern"] == profile_slug["pattern"]
    assert (
        case_slug["pattern"][1]
        == "网址名不合规：只能用小写字母、数字和连字符（-），2–63 个字符，以字母或数字开头。"
    )
    assert (
        case_slug["hint"]
        == "与这个党组织档案里的网址名相同，如 yangguang-shequ；案例保存为 branches/<网址名>/case.md。"
    )


def test_yaml_is_safe_and_the_same_bytes_every_time() -> None:
    first = project_config_text(ROOT, "branches", ROOT / "mkdocs.yml")
    second = config_text(decap_config(_taxonomy(), read_editor_settings(ROOT / "mkdocs.yml"), "branches"))
    assert first == second
    assert isinstance(yaml.safe_load(first), dict)
    assert (ROOT / "content" / CONFIG_FILE).read_text("utf-8") == first


# --- the personal-data pattern, run by node as the browser runs it ------------------------------


def _shared_examples() -> tuple[list[str], list[str]]:
    """The examples of tests/content/test_checks.py (its parametrize lists), not copies."""
    spec = importlib.util.spec_from_file_location("checks_examples", ROOT / "tests/content/test_checks.py")
    assert spec and spec.loader
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def values(test: Any) -> list[str]:
        return list(test.pytestmark[0].args[1])

    found = values(module.test_mobile_numbers_in_every_spelling_are_found)
    found += [f"身份证号{n}。" for n in module.ID_VALID] + [module.ID_BAD_CHECK, "110105 19491231 002X"]
    clean = [
        *values(module.test_not_personal_data),
        "服务热线0471-6961234",
        "(010)62345678",
        "联系人：王女士，138****8000。",
    ]
    return found, clean


def _node_test(pattern: str, texts: list[str]) -> list[bool]:
    """`RegExp(pattern).test(text)` for each text, as Decap CMS checks a field's pattern."""
    assert NODE, "node is needed for this test"
    script = (
        "const d=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "process.stdout.write(JSON.stringify(d.texts.map(t=>RegExp(d.pattern).test(t))))"
    )
    proc = subprocess.run(
        [NODE, "-e", script],
        input=json.dumps({"pattern": pattern, "texts": texts}),
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[bool] = json.loads(proc.stdout)
    return result


def test_personal_data_pattern_refuses_what_showcase_check_refuses(config: dict[str, Any]) -> None:
    summary = _by_name(_collection(config, "branches")["fields"])["summary"]
    pattern, message = summary["pattern"]
    found, clean = _shared_examples()
    long_text = "阳光社区党委。" * 300
    texts = [
        *found,
        *clean,
        "联系人电话138 0013 8000，花园社区党总支",
        long_text + "13800138000",
        long_text,
        "第一行\n１３８－００１３－８０００\n第三行",
    ]
    python_ok = [not any(f.is_error for f in find(t)) for t in texts]
    assert python_ok.count(False) >= len(found) + 3 and python_ok.count(True) >= len(clean) + 1
    assert _node_test(pattern, texts) == python_ok
    for kind in ("mobile", "id"):
        assert PERSONAL_DATA_MESSAGES[kind][2].replace(" {masked}", "") in message


def test_every_free_text_field_has_the_personal_data_pattern(config: dict[str, Any]) -> None:
    pd = _by_name(_collection(config, "branches")["fields"])["summary"]["pattern"]

    def walk(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for f in fields:
            out += walk(f.get("fields", [])) if "fields" in f else [f]
        return out

    for collection in config["collections"]:
        for field in walk(collection["fields"]):
            if field["widget"] in ("string", "text", "markdown"):
                assert "pattern" in field, (collection["name"], field["name"])
                if field["name"] not in ("slug", "date", "as_of", "updated", "url"):
                    assert field["pattern"] == pd, (collection["name"], field["name"])


def test_slug_and_date_patterns_behave_in_javascript_as_in_python(config: dict[str, Any]) -> None:
    fields = _by_name(_collection(config, "branches")["fields"])
    slugs = ["yangguang-shequ", "a1", "-abc", "Abc", "a", "阳光", "a" * 63, "a" * 64, "abc_def"]
    assert _node_test(fields["slug"]["pattern"][0], slugs) == [bool(SLUG_RE.match(s)) for s in slugs]
    dates = ["2024", "2024-10", "2024-10-25", "2024-1", "24-10-25", "2024年10月"]
    assert _node_test(fields["updated"]["pattern"][0], dates) == [True, True, True, False, False, False]


# --- settings from mkdocs.yml ------------------------------------------------------------------


def test_backends() -> None:
    gitlab = editor_settings(
        {"backend": "gitlab", "repo": "dangjian/showcase", "app_id": "abc"}
    ).backend_config()
    assert gitlab == {
        "name": "gitlab",
        "repo": "dangjian/showcase",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "abc",
    }
    forgejo = editor_settings(
        {
            "backend": "forgejo",
            "repo": "a/b",
            "client_id": "x",
            "base_url": "https://git.example.org/",
            "branch": "master",
        }
    ).backend_config()
    assert forgejo == {
        "name": "forgejo",
        "repo": "a/b",
        "branch": "master",
        "app_id": "x",
        "base_url": "https://git.example.org",
        "api_root": "https://git.example.org/api/v1",
    }
    assert editor_settings(None).backend_config() == {"name": "github", "branch": "main"}


def test_settings_errors_are_chinese() -> None:
    with pytest.raises(ContentError) as e:
        editor_settings({"backend": "svn", "repo": "norepo", "colour": 1})
    messages = [p.message for p in e.value.problems]
    assert len(messages) == 3
    assert "代码托管平台（editor.backend） 只能是 github、gitlab 或 forgejo" in messages[0]
    assert "仓库（editor.repo） 格式不对：所有者/仓库名" in messages[1]
    assert "editor.colour 不是可用的设置项" in messages[2]
    with pytest.raises(ContentError) as e:  # Decap's gitea backend has no editorial workflow
        editor_settings({"backend": "gitea", "repo": "a/b"})
    assert "backend: forgejo" in e.value.problems[0].message


# --- `showcase schema --check` -------------------------------------------------------------------


def test_schema_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", str(ROOT / "mkdocs.yml"), "schema", "--check"]) == 0
    assert "都是最新的" in capsys.readouterr().out


def test_schema_check_fails_when_the_taxonomy_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for rel in (
        "mkdocs.yml",
        "branches/taxonomy.yml",
        "branches/profile.schema.json",
        f"content/{CONFIG_FILE}",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    args = ["-f", str(tmp_path / "mkdocs.yml"), "schema"]
    assert main([*args, "--check"]) == 0
    taxonomy = tmp_path / "branches" / TAXONOMY
    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(
        text.replace("  - name: 红色教育\n", "  - name: 红色教育\n  - name: 文化传承\n"), "utf-8"
    )
    capsys.readouterr()
    assert main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    assert "content/admin/config.yml 与 model.py、taxonomy.yml 或 mkdocs.yml 不一致" in err
    assert "profile.schema.json" not in err  # the JSON Schema does not depend on the taxonomy
    assert main(args) == 0
    assert "文化传承" in (tmp_path / "content" / CONFIG_FILE).read_text("utf-8")
    assert main([*args, "--check"]) == 0


# --- the real Decap CMS accepts the configuration -------------------------------------------------

DECAP_DIST = ROOT / "node_modules" / "decap-cms" / "dist"
BACKENDS = [
    ({"repo": "dangjian/showcase"}, "GitHub"),
    ({"backend": "gitlab", "repo": "dangjian/showcase", "app_id": "abc123"}, "GitLab"),
    (
        {
            "backend": "forgejo",
            "repo": "dangjian/showcase",
            "app_id": "abc",
            "base_url": "https://git.example.org",
        },
        "Forgejo",
    ),
]


def test_decap_accepts_the_generated_configuration(browser: Any, tmp_path: Path) -> None:
    """Decap validates its configuration when the page loads (an unknown key, a wrong type or a
    widget option it does not know stops the CMS with "Error loading the CMS configuration")."""
    from conftest import serving

    assert (DECAP_DIST / "decap-cms.js").is_file(), "run `make editor-assets` (npm ci) first"
    admin = tmp_path / "admin"
    admin.mkdir()
    for file in DECAP_DIST.iterdir():  # the bundle, its chunks and its WebAssembly
        if file.name.endswith((".decap-cms.js", ".wasm")) or file.name == "decap-cms.js":
            shutil.copy(file, admin / file.name)
    (admin / "index.html").write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>编辑</title></head>'
        '<body><script src="decap-cms.js"></script></body></html>',
        "utf-8",
    )
    taxonomy = _taxonomy()
    with serving(tmp_path) as base:
        for raw, host in BACKENDS:
            (admin / "config.yml").write_text(
                config_text(decap_config(taxonomy, editor_settings(raw))), "utf-8"
            )
            context = browser.new_context()
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(f"{base.rstrip('/')}/admin/index.html")
            # Decap's zh_Hans has no words for Forgejo's button yet: "Login with Forgejo"
            page.get_by_text(re.compile(f"使用 {host} 登录|Login with {host}")).wait_for(timeout=20_000)
            body = page.inner_text("body")
            assert "Error loading the CMS configuration" not in body and "Config Errors" not in body
            assert [e for e in errors if "favicon" not in e and "404" not in e] == [], (host, errors)
            context.close()
