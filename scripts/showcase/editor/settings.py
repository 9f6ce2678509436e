"""The editor's settings in mkdocs.yml (`plugins: - showcase: editor: {...}`), validated.

    editor:
      backend: gitlab            # github、gitlab 或 forgejo（gitea 后端没有编辑流程，不可用）
      repo: dangjian/showcase    # 仓库：所有者/仓库名
      branch: main
      base_url: https://gitlab.example.org        # 自建的 GitLab / Gitea / Forgejo
      app_id: 0123abcd…                           # OAuth 应用的 Application ID / Client ID

Errors are Chinese, one line per problem, for whoever edits mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from showcase.problems import ContentError, Problem

Backend = Literal["github", "gitlab", "gitea", "forgejo"]
_API_PATH = {"gitlab": "/api/v4", "gitea": "/api/v1", "forgejo": "/api/v1"}


class EditorSettings(BaseModel):
    """网页编辑（/admin/）的设置。"""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    backend: Backend = Field(default="github", title="代码托管平台")
    repo: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$",
        title="仓库",
        description="所有者/仓库名，如 dangjian/showcase（GitLab 可以有多级群组）。",
    )
    branch: str = Field(default="main", min_length=1, title="分支")
    base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/\s]+/?$",
        title="平台地址",
        description="如 https://gitlab.example.org",
    )
    api_root: str | None = Field(default=None, pattern=r"^https?://\S+$", title="接口地址")
    auth_endpoint: str | None = Field(default=None, min_length=1, title="登录路径")
    app_id: str | None = Field(default=None, min_length=1, title="OAuth 应用编号")
    client_id: str | None = Field(default=None, min_length=1, title="OAuth 应用编号")

    @property
    def oauth_id(self) -> str | None:
        return self.app_id or self.client_id

    def backend_config(self) -> dict[str, Any]:
        """Decap's `backend:` block. GitLab, Gitea and Forgejo log in with PKCE in the
        browser (no server of ours); GitHub needs an OAuth proxy at `base_url`."""
        out: dict[str, Any] = {"name": self.backend}
        if self.repo:
            out["repo"] = self.repo
        out["branch"] = self.branch
        if self.backend == "gitlab":
            out["auth_type"] = "pkce"
        if self.backend != "github" and self.oauth_id:
            out["app_id"] = self.oauth_id
        if self.base_url:
            base = self.base_url.rstrip("/")
            out["base_url"] = base
            if self.backend != "github":
                out["api_root"] = self.api_root or base + _API_PATH[self.backend]
        elif self.api_root:
            out["api_root"] = self.api_root
        if self.auth_endpoint:
            out["auth_endpoint"] = self.auth_endpoint
        return out


GITEA_MESSAGE = (
    "网页编辑设置 editor.backend: gitea 不可用：Decap CMS 的 gitea 后端不支持编辑流程（每次修改先成为合并请求），"
    "而网页编辑的修改必须经过审核。Forgejo（含 Codeberg）请写 backend: forgejo。"
)
_MESSAGES = {
    "literal_error": "只能是 github、gitlab 或 forgejo",
    "string_pattern_mismatch": "格式不对",
    "string_too_short": "不能为空",
    "string_type": "应当是文字",
    "extra_forbidden": "不是可用的设置项（可用：{known}）",
}


def editor_settings(raw: object, source: str = "mkdocs.yml") -> EditorSettings:
    """`raw` (the plugin's `editor` option; None when absent) as settings, or a ContentError
    with one Chinese line per problem."""
    if raw is None:
        return EditorSettings()
    if not isinstance(raw, dict):
        msg = "showcase 插件的 editor 设置应当是一组“名称: 值”，如 backend: gitlab、repo: 所有者/仓库名。"
        raise ContentError([Problem(source, 1, 1, "EDITOR_SETTINGS", msg)])
    try:
        settings = EditorSettings.model_validate(raw)
    except ValidationError as e:
        problems = []
        known = "、".join(EditorSettings.model_fields)
        for err in e.errors():
            name = ".".join(str(p) for p in err["loc"])
            field = EditorSettings.model_fields.get(name)
            label = f"{field.title}（editor.{name}）" if field and field.title else f"editor.{name}"
            why = _MESSAGES.get(err["type"], "的值有误").format(known=known)
            hint = (
                f"：{field.description.rstrip('。')}"
                if field and field.description and "pattern" in err["type"]
                else ""
            )
            problems.append(Problem(source, 1, 1, "EDITOR_SETTINGS", f"网页编辑设置 {label} {why}{hint}。"))
        raise ContentError(problems) from None
    if settings.backend == "gitea":  # Decap refuses it at load time ("does not support editorial workflow")
        raise ContentError([Problem(source, 1, 1, "EDITOR_SETTINGS", GITEA_MESSAGE)])
    return settings


def read_editor_settings(config_file: str | Path) -> EditorSettings:
    """The `editor` option of the showcase plugin in `config_file` (defaults if absent),
    read with MkDocs' own loader like `pipeline.layout.read_layout`."""
    from mkdocs.utils.yaml import yaml_load

    from showcase.pipeline.layout import _plugin_options

    path = Path(config_file)
    raw: Any = {}
    if path.is_file():
        with path.open("rb") as f:
            raw = yaml_load(f) or {}
    options = _plugin_options(raw.get("plugins") if isinstance(raw, dict) else None)
    return editor_settings(options.get("editor"), path.name)
