"""The Decap CMS configuration (content/admin/config.yml), generated from the data model.

One source of truth: the form's fields, labels, hints, required flags, choices and patterns
come from what `showcase check` uses — the pydantic models' JSON Schema (`model.py`), the
vocabularies of `branches/taxonomy.yml`, the personal-data rules (`personal_data.py`) and
the template `showcase new` writes (`templates/new/case.md`). `showcase schema` writes the
file; `showcase schema --check` (CI) fails when it is stale.

Written here, because the schema cannot say it: which fields take their choices from the
taxonomy (`_CHOICES`), which hold an image (`_IMAGES`), and the three collections' places.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from showcase.content.model import SLUG_RE, Profile, Update
from showcase.content.schema_errors import SLUG_RULE
from showcase.content.taxonomy import Taxonomy
from showcase.editor.patterns import personal_data_message, personal_data_pattern
from showcase.editor.settings import EditorSettings, read_editor_settings

CONFIG_FILE = "admin/config.yml"  # relative to docs_dir: served as /admin/config.yml
HEADER = (
    "# 网页编辑（/admin/）的 Decap CMS 配置：由 `showcase schema` 根据 model.py、taxonomy.yml 和\n"
    "# mkdocs.yml 生成，请勿手改（CI 用 `showcase schema --check` 检查它是否过期）。\n"
)
PHOTOS = "photos"  # a branch's photo folder, relative to its profile.yml
UPDATES = "updates"  # a branch's news folder; an update's photos sit beside it
_TEXT_AREA_FROM = 80  # strings allowed longer than this get a multi-line box
# Decap rewrites a whole profile.yml on save (the npm package yaml, block style) and keeps no
# comment but the ones a field's `comment` puts above its key: the editor-schema line above
# `slug`, as every sample profile starts. The samples are written in Decap's style, so a form
# edit changes only its own lines in the pull request.
SCHEMA_COMMENT = "yaml-language-server: $schema=../profile.schema.json"

# field path -> the taxonomy's choices for it (and whether several may be chosen)
_CHOICES: dict[tuple[str, ...], tuple[Callable[[Taxonomy], list[str]], bool]] = {
    ("category",): (lambda t: t.category_names, False),
    ("region",): (lambda t: list(t.regions), False),  # every full path, in tree order
    ("themes",): (lambda t: t.theme_names, True),
    ("figures", "metric"): (lambda t: t.metric_names, False),
}
_IMAGES = {("photos", "file"), ("brand", "logo")}


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The property's own schema (references followed, `X | None` unwrapped) and whether it
    may be null; `title`/`description` of the outer property win."""
    nullable = False
    inner = prop
    if "anyOf" in prop:
        variants = [v for v in prop["anyOf"] if v.get("type") != "null"]
        nullable = len(variants) < len(prop["anyOf"])
        if len(variants) != 1:
            raise ValueError(f"unsupported schema {prop!r}")
        inner = variants[0]
    if "$ref" in inner:
        inner = defs[inner["$ref"].rsplit("/", 1)[-1]]
    merged = {**inner, **{k: v for k, v in prop.items() if k in ("title", "description")}}
    return merged, nullable


class _Builder:
    def __init__(self, schema: dict[str, Any], taxonomy: Taxonomy) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.taxonomy = taxonomy

    def fields(self, obj: dict[str, Any], path: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        required = set(obj.get("required", ()))
        return [
            self.field(name, prop, name in required, (*path, name))
            for name, prop in obj["properties"].items()
        ]

    def field(self, name: str, prop: dict[str, Any], required: bool, path: tuple[str, ...]) -> dict[str, Any]:
        schema, _ = _resolve(prop, self.defs)
        label = schema.get("title") or name
        out: dict[str, Any] = {"label": label, "name": name, "required": required}
        if schema.get("description"):
            out["hint"] = schema["description"]
        kind = schema.get("type")
        if path in _CHOICES:
            options_of, multiple = _CHOICES[path]
            out |= {"widget": "select", "options": options_of(self.taxonomy)}
            if multiple:
                out["multiple"] = True
        elif path in _IMAGES:
            out |= {"widget": "image", "choose_url": False}
        elif "enum" in schema:
            out |= {"widget": "select", "options": list(schema["enum"])}
        elif kind == "object":
            out |= {"widget": "object", "fields": self.fields(schema, path)}
        elif kind == "array":
            items, _ = _resolve(schema["items"], self.defs)
            if items.get("type") != "object":
                raise ValueError(f"unsupported list {path!r}")  # lists of words are taxonomy choices
            out |= {"widget": "list", "fields": self.fields(items, path)}
        elif kind in ("number", "integer"):
            # value_type float keeps 1400 as 1400 and 3.5 as 3.5; a count is never negative
            out |= {"widget": "number", "value_type": "float" if kind == "number" else "int", "min": 0}
        elif kind == "string":
            out |= self.string(schema, label)
        else:
            raise ValueError(f"unsupported schema at {path!r}: {schema!r}")
        if kind == "array" and "maxItems" in schema:
            out["max"] = schema["maxItems"]
        if kind == "array" and schema.get("minItems"):
            out["min"] = schema["minItems"]
        return out

    def string(self, schema: dict[str, Any], label: str) -> dict[str, Any]:
        pattern = schema.get("pattern")
        if pattern is None:  # free text: the personal-data rules
            long = schema.get("maxLength", 0) > _TEXT_AREA_FROM
            return {"widget": "text" if long else "string", "pattern": personal_data()}
        if pattern == SLUG_RE.pattern:
            message = f"{label}不合规：{SLUG_RULE}"
        elif schema.get("examples"):  # a partial date: 2024-10-25, 2024-10 or 2024
            examples = [str(e) for e in schema["examples"]]
            message = f"{label}格式不对：请写成 {'、'.join(examples[:-1])} 或 {examples[-1]}。"
        else:
            message = f"{label}格式不对：{schema.get('description', '')}".rstrip("：")
        return {"widget": "string", "pattern": [pattern, message]}


@functools.cache
def personal_data() -> list[str]:
    """`pattern:` of every free-text field. One object, so the YAML writes it once (an
    anchor) and refers to it elsewhere (aliases): the regex is long."""
    return [personal_data_pattern(), personal_data_message()]


def case_template() -> str:
    """The case outline `showcase new` writes (主要举措 / 取得成效), without its front matter
    (`slug: {{ slug }}`: the form's own field)."""
    text = (resources.files("showcase.content") / "templates" / "new" / "case.md").read_text("utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return text


def _body(label: str, hint: str, default: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "label": label,
        "name": "body",
        "widget": "markdown",
        "required": True,
        "hint": hint,
    }
    if default is not None:
        out["default"] = default
    # Raw Markdown only: the rich-text editor rewrites a whole file on save ("- " lists become
    # "* ", blank lines move), which buries the liaison's change in the pull request's diff.
    out |= {"modes": ["raw"], "pattern": personal_data()}
    return out


def _case_slug(profile: _Builder) -> dict[str, Any]:
    """The case's `slug`: the profile's 网址名 field (same pattern and message), saved as
    case.md's front matter; it names the folder the case is written to."""
    field = profile.field("slug", Profile.model_json_schema()["properties"]["slug"], True, ("slug",))
    field["hint"] = (
        "与这个党组织档案里的网址名相同，如 yangguang-shequ；案例保存为 branches/<网址名>/case.md。"
    )
    return field


def _with_schema_comment(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if fields[0]["name"] != "slug":  # the first key of every profile
        raise ValueError("Profile's first field must be slug: the schema line is written above it")
    return [{**fields[0], "comment": SCHEMA_COMMENT}, *fields[1:]]


def decap_config(
    taxonomy: Taxonomy, settings: EditorSettings, branches_dir: str = "branches"
) -> dict[str, Any]:
    """The whole Decap configuration as a dict (YAML-ready, deterministic)."""
    profile = _Builder(Profile.model_json_schema(), taxonomy)
    update = _Builder(Update.model_json_schema(), taxonomy)
    branches = {
        "name": "branches",
        "label": Profile.model_config.get("title"),
        "label_singular": Profile.model_config.get("title"),
        "description": (Profile.__doc__ or "").strip(),
        "folder": branches_dir,
        "path": "{{slug}}/profile",
        "extension": "yml",
        "format": "yml",
        "create": True,
        "delete": False,
        "identifier_field": "slug",
        "slug": "{{fields.slug}}",
        "summary": "{{name}}",
        "media_folder": PHOTOS,  # relative: branches/<slug>/photos/, written as photos/<file>
        "public_folder": PHOTOS,
        "fields": _with_schema_comment(profile.fields(Profile.model_json_schema())),
    }
    cases = {
        "name": "cases",
        "label": "案例正文",
        "label_singular": "案例正文",
        "description": "各党组织的 case.md：保留“## 主要举措”和“## 取得成效”两个小标题。",
        "folder": branches_dir,
        "path": "{{slug}}/case",
        "extension": "md",
        "format": "frontmatter",
        # Decap names a new entry from a field: the case's front matter `slug: <folder>`,
        # the only key case.md may have there (branch.py checks it and blanks it)
        "create": True,
        "delete": False,
        "identifier_field": "slug",
        "slug": "{{fields.slug}}",
        "summary": "{{dirname}}",
        "media_folder": PHOTOS,
        "public_folder": PHOTOS,
        "fields": [
            _case_slug(profile),
            _body("正文", "Markdown：## 是小标题，空一行分段。", case_template()),
        ],
    }
    updates = {
        "name": "updates",
        "label": Update.model_config.get("title"),
        "label_singular": Update.model_config.get("title"),
        "description": (Update.__doc__ or "").strip(),
        "folder": branches_dir,
        "path": "{{slug}}/" + UPDATES + "/{{slug}}",  # three levels: branches/<slug>/updates/<file>.md
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": False,
        "delete": False,
        "summary": "{{date}} {{title}}",
        "media_folder": "",  # beside the update: branches/<slug>/updates/<file>
        "public_folder": UPDATES,  # written as updates/<file>, relative to the branch folder
        "fields": [
            *update.fields(Update.model_json_schema()),
            _body("正文", "动态的正文，Markdown。"),
        ],
    }
    return {
        "locale": "zh_Hans",
        "backend": settings.backend_config(),
        "publish_mode": "editorial_workflow",
        "media_folder": branches_dir,  # required by Decap, unused: every collection has its own
        "public_folder": "",
        "collections": [branches, cases, updates],
    }


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def config_text(config: dict[str, Any]) -> str:
    """The YAML text, the same bytes for the same input."""
    body = yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, indent=2)
    return HEADER + body


def project_config_text(root: Path, branches_dir: str, config_file: str | Path) -> str:
    """content/admin/config.yml as the project's taxonomy and mkdocs.yml make it."""
    from showcase.content.load import TAXONOMY
    from showcase.content.taxonomy import load_taxonomy

    tax_path = root / branches_dir / TAXONOMY
    taxonomy = load_taxonomy(f"{branches_dir}/{TAXONOMY}", tax_path.read_bytes())
    settings = read_editor_settings(config_file)
    return config_text(decap_config(taxonomy, settings, branches_dir))
