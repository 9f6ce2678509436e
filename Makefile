# 党建品牌展示站 — the README's commands. `make site` builds, `make test` runs every test.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The Nu Html Checker (tests/site/test_html_valid.py), from npm into the git-ignored .cache/npm.
VNU_VERSION := 26.9.27
VNU_STAMP   := .cache/npm/.vnu-jar-$(VNU_VERSION)
# Lighthouse (scripts/bench_lighthouse.py), in its own npm prefix: `npm install --no-save` into
# one prefix removes the packages an earlier --no-save install put there (vnu-jar).
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_STAMP   := .cache/npm/lighthouse/.lighthouse-$(LIGHTHOUSE_VERSION)
# The web editor (/admin/, showcase edit): decap-cms and decap-server, pinned in package.json and
# package-lock.json, `npm ci` into the git-ignored node_modules/; redone when the lockfile changes.
EDITOR_STAMP := node_modules/.editor-installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site serve preview test lint typecheck check system-deps vnu lighthouse editor-assets clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（找不到 $(PYTHON)）"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

## site: 构建示例站点到 site/（主任务；缺少中文字体或排版库时先安装，需要 root）
site: $(STAMP) system-deps editor-assets
	$(BIN)/showcase build --strict
	@echo ""
	@echo "✔ 站点已生成到 $(CURDIR)/site/"
	@echo "  浏览：运行 make preview，然后用浏览器打开 http://127.0.0.1:8000/"

## preview: 在本机 8000 端口浏览已生成的 site/
preview: $(STAMP)
	$(BIN)/showcase preview --port 8000

## serve: 实时预览，修改 branches/ 或 content/ 后自动刷新
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## check: 检查所有党组织档案
check: $(STAMP)
	$(BIN)/showcase check

## system-deps: 安装浏览器测试与中文字体所需的 Debian 软件包（需要 root）
system-deps:
	@scripts/install-system-deps.sh

## vnu: 安装 HTML 校验器 vnu-jar（npm 包，装到 .cache/npm/；需要 Java）
vnu: $(VNU_STAMP)

$(VNU_STAMP): | system-deps
	npm install --prefix .cache/npm --no-save --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_VERSION)
	@touch $@

## lighthouse: 安装 Lighthouse（npm 包，装到 .cache/npm/lighthouse/；scripts/bench_lighthouse.py 用，make test 不需要）
lighthouse: $(LIGHTHOUSE_STAMP)

$(LIGHTHOUSE_STAMP): | system-deps
	npm install --prefix .cache/npm/lighthouse --no-save --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

## editor-assets: 安装网页编辑器 Decap CMS 与本机后端 decap-server（npm 包，装到 node_modules/）
editor-assets: $(EDITOR_STAMP)

$(EDITOR_STAMP): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

typecheck: $(STAMP)
	$(BIN)/mypy

## test: 运行全部测试（代码检查、类型检查、单元、构建、浏览器）
test: $(STAMP) system-deps vnu editor-assets lint typecheck
	$(BIN)/python -m pytest -q

clean:
	rm -rf site .cache $(VENV) node_modules
