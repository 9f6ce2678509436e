"""`showcase deploy s3://…` against a real S3 server (SeaweedFS on 127.0.0.1, see seaweedfs.py).

One project is built, deployed, edited and rebuilt through the module; each test works in its
own bucket. What the bucket holds is always compared with the built site byte for byte.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import built_synth_project, showcase_build
from seaweedfs import client, credentials_env, new_bucket, seaweedfs
from showcase.deploy import headers
from showcase.deploy.manifest import published_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as url:
        yield url


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10-branch synthetic project with a photo each, built once; tests copy it to edit it."""
    return built_synth_project(tmp_path_factory.mktemp("deploy-project"), 10, photos=1, seed=3)


@pytest.fixture
def s3(endpoint: str) -> Any:
    return client(endpoint)


_buckets = iter(range(1, 1000))


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"site-{next(_buckets)}-{os.getpid()}"
    new_bucket(s3, name)
    return name


@pytest.fixture
def own_project(project: Path, tmp_path: Path) -> Path:
    """A copy of the built project (site/ and cache too) that a test may edit and rebuild."""
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True)
    return copy


def deploy(
    project: Path, endpoint: str, bucket: str, *extra: str, secret: str | None = None
) -> dict[str, Any]:
    """`showcase deploy s3://bucket --format json` in a separate process; its JSON summary."""
    done = run_deploy(project, endpoint, f"s3://{bucket}", *extra, "--format", "json", secret=secret)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_deploy(
    project: Path,
    endpoint: str,
    target: str,
    *extra: str,
    secret: str | None = None,
    env: dict[str, str] | None = None,
    keys: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`showcase deploy TARGET --endpoint …` in its own process; `keys=False` runs it with no
    credentials anywhere (no key variables, no ~/.aws files)."""
    environ = credentials_env(*([secret] if secret else []))
    if not keys:
        del environ["AWS_ACCESS_KEY_ID"], environ["AWS_SECRET_ACCESS_KEY"]
        environ.update(AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    environ.update(env or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "showcase.cli.main",
            "-f",
            str(project / "mkdocs.yml"),
            "deploy",
            target,
            "--endpoint",
            endpoint,
            *extra,
        ],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        check=False,
    )


def bucket_files(s3: Any, bucket: str) -> dict[str, bytes]:
    """Every site object in the bucket (not the deploy's own .showcase/ records), with its bytes."""
    found: dict[str, bytes] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            key = obj["Key"]
            if not key.startswith(".showcase/"):
                found[key] = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return found


def site_files(site: Path) -> dict[str, bytes]:
    return {p: (site / p).read_bytes() for p in published_files(site)}


def edit_one_branch(project: Path) -> str:
    """Change one branch's case write-up and rebuild; returns its slug."""
    case = sorted((project / "branches").glob("*/case.md"))[0]
    case.write_text(case.read_text("utf-8") + "\n\n新增一段：部署测试中的修改。\n", "utf-8")
    assert showcase_build(project) == 0
    return case.parent.name


def broken_references(files: dict[str, bytes]) -> list[str]:
    """Links and sources in every HTML object that point at no object in `files`."""
    broken = []
    for key, data in files.items():
        if not key.endswith(".html"):
            continue
        tree = LexborHTMLParser(data.decode("utf-8"))
        for node in tree.css("[href], [src]"):
            ref = node.attributes.get("href") or node.attributes.get("src") or ""
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or not parts.path or ref.startswith("#"):
                continue
            target = unquote(urlsplit(urljoin("http://x/" + key, parts.path)).path.lstrip("/"))
            if target == "" or target.endswith("/"):
                target += "index.html"
            if target not in files:
                broken.append(f"{key} → {ref}")
    return broken


def test_full_deploy_publishes_every_file_with_its_headers(
    project: Path, endpoint: str, bucket: str, s3: Any
) -> None:
    result = deploy(project, endpoint, bucket)
    site = project / "site"
    local = site_files(site)
    assert bucket_files(s3, bucket) == local
    assert result["uploaded"] == len(local) and result["unchanged"] == 0 and result["deleted"] == 0
    assert "_headers" not in local and "nginx-security-headers.conf" not in local
    kinds = set()
    for path in local:
        head = s3.head_object(Bucket=bucket, Key=path)
        assert head["ContentType"] == headers.content_type(path), path
        assert head["CacheControl"] == headers.cache_control(path), path
        kinds.add((head["ContentType"], head["CacheControl"]))
    # The rules really differ by file: pages revalidate, photos and theme bundles are immutable.
    assert ("text/html; charset=utf-8", "no-cache") in kinds
    assert ("image/jpeg", headers.IMMUTABLE) in kinds
    assert ("text/javascript; charset=utf-8", headers.IMMUTABLE) in kinds
    assert ("application/atom+xml; charset=utf-8", "no-cache") in kinds

    again = deploy(project, endpoint, bucket)
    assert (
        again["uploaded"] == 0 and again["unchanged"] == len(local) and again["release"] == result["release"]
    )


def test_one_branch_edit_uploads_only_what_changed(
    own_project: Path, endpoint: str, bucket: str, s3: Any
) -> None:
    deploy(own_project, endpoint, bucket)
    before = site_files(own_project / "site")
    edit_one_branch(own_project)
    after = site_files(own_project / "site")
    changed = {p for p in after if before.get(p) != after[p]}
    gone = set(before) - set(after)
    assert 0 < len(changed) < len(after) // 4

    dry = run_deploy(own_project, endpoint, f"s3://{bucket}", "--dry-run")
    assert dry.returncode == 0 and f"将写入 {len(changed)} 个文件" in dry.stderr
    assert bucket_files(s3, bucket) == before  # a dry run changes nothing

    result = deploy(own_project, endpoint, bucket)
    assert result["uploaded"] == len(changed)
    assert result["unchanged"] == len(after) - len(changed)
    assert result["deleted"] == len({p for p in gone if headers.phase(p) is not headers.Phase.ASSET})
    kept = {p: before[p] for p in gone if headers.phase(p) is headers.Phase.ASSET}
    assert bucket_files(s3, bucket) == {**kept, **after}


def test_killed_deploy_leaves_a_consistent_site_and_the_next_one_finishes(
    own_project: Path, endpoint: str, bucket: str, s3: Any
) -> None:
    deploy(own_project, endpoint, bucket)
    old = site_files(own_project / "site")
    # A change that touches every page (the site's name is in each header) and adds a branch.
    config = own_project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name:", "site_name: 新版", 1), "utf-8")
    assert showcase_build(own_project) == 0
    new = site_files(own_project / "site")
    pages = sorted(p for p in new if p.endswith(".html") and new[p] != old.get(p))
    assert len(pages) > 20

    killed = run_deploy(
        own_project, endpoint, f"s3://{bucket}", env={"SHOWCASE_TEST_KILL_AT": "deploy-page-10"}
    )
    assert killed.returncode == -9, killed.stderr
    live = bucket_files(s3, bucket)
    assert broken_references(live) == []
    # …and the check sees the references: without the photos, pages would point at nothing.
    assert broken_references({k: v for k, v in live.items() if not k.startswith("media/")})
    # Killed among the pages: some are new, some still old, every one whole.
    assert {p for p in pages if live[p] == new[p]} and {p for p in pages if live[p] == old[p]}
    for path, data in live.items():
        assert data in (old.get(path), new.get(path)), path

    result = deploy(own_project, endpoint, bucket)
    assert 0 < result["uploaded"] < len([p for p in new if new[p] != old.get(p)])
    assert bucket_files(s3, bucket) == new
    listing = run_deploy(own_project, endpoint, f"s3://{bucket}", "--list", "--format", "json")
    releases = json.loads(listing.stdout)
    assert releases["live"] == result["release"] and len(releases["releases"]) == 2


def test_rollback_and_roll_forward_without_rebuilding(
    own_project: Path, endpoint: str, bucket: str, s3: Any
) -> None:
    first = deploy(own_project, endpoint, bucket, "--release", "v1")
    v1 = site_files(own_project / "site")
    slug = sorted((own_project / "branches").glob("*/profile.yml"))[-1].parent.name
    shutil.rmtree(own_project / "branches" / slug)  # one branch taken down, another edited
    edit_one_branch(own_project)
    second = deploy(own_project, endpoint, bucket, "--release", "v2")
    v2 = site_files(own_project / "site")
    assert first["release"] == "v1" and second["release"] == "v2"
    assert f"branches/{slug}/index.html" in v1 and f"branches/{slug}/index.html" not in v2
    held = bucket_files(s3, bucket)
    assert f"branches/{slug}/index.html" not in held  # a page taken down is gone at once
    kept = {p for p in set(v1) - set(v2) if headers.phase(p) is headers.Phase.ASSET}
    assert kept and kept <= set(held)  # its photos stay for readers who hold the old page
    assert second["kept"] == len(kept)

    shutil.rmtree(own_project / "site")  # rollback needs no local site at all
    started = time.monotonic()
    back = run_deploy(own_project, endpoint, f"s3://{bucket}", "--rollback", "--format", "json")
    took = time.monotonic() - started
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout.splitlines()[-1])["release"] == "v1"
    held = bucket_files(s3, bucket)
    assert {p: held[p] for p in v1} == v1
    assert took < 60, took

    forward = run_deploy(own_project, endpoint, f"s3://{bucket}", "--rollback", "v2", "--format", "json")
    assert forward.returncode == 0, forward.stderr
    held = bucket_files(s3, bucket)
    assert {p: held[p] for p in v2} == v2 and f"branches/{slug}/index.html" not in held

    unknown = run_deploy(own_project, endpoint, f"s3://{bucket}", "--rollback", "v9")
    assert unknown.returncode == 1 and "没有可以回滚的发布 v9" in unknown.stderr


def test_gzip_objects_carry_content_encoding(project: Path, endpoint: str, bucket: str, s3: Any) -> None:
    deploy(project, endpoint, f"{bucket}/preview", "--gzip")
    site = project / "site"
    head = s3.head_object(Bucket=bucket, Key="preview/index.html")
    assert head["ContentEncoding"] == "gzip" and head["ContentType"] == "text/html; charset=utf-8"
    body = s3.get_object(Bucket=bucket, Key="preview/index.html")["Body"].read()
    assert (
        gzip.decompress(body) == (site / "index.html").read_bytes()
        and len(body) < len(gzip.decompress(body)) / 2
    )
    photo = next(p for p in published_files(site) if p.endswith(".jpg"))
    assert "ContentEncoding" not in s3.head_object(Bucket=bucket, Key=f"preview/{photo}")


def test_wrong_credentials_and_missing_bucket_change_nothing(
    project: Path, endpoint: str, bucket: str, s3: Any
) -> None:
    deploy(project, endpoint, bucket)
    before = bucket_files(s3, bucket)
    wrong = run_deploy(project, endpoint, f"s3://{bucket}", secret="not-the-secret")
    assert wrong.returncode == 1
    assert "访问密钥不对" in wrong.stderr and "Traceback" not in wrong.stderr
    missing = run_deploy(project, endpoint, "s3://no-such-bucket")
    assert missing.returncode == 1
    assert "存储桶 no-such-bucket 不存在" in missing.stderr and "Traceback" not in missing.stderr
    assert bucket_files(s3, bucket) == before
    no_keys = run_deploy(project, endpoint, f"s3://{bucket}", keys=False)
    assert no_keys.returncode == 1 and "AWS_ACCESS_KEY_ID" in no_keys.stderr


def test_a_bucket_with_other_files_is_not_taken_over_silently(
    project: Path, endpoint: str, bucket: str, s3: Any
) -> None:
    s3.put_object(Bucket=bucket, Key="old-site/index.html", Body=b"<p>old</p>")
    refused = run_deploy(project, endpoint, f"s3://{bucket}")
    assert refused.returncode == 1 and "--adopt" in refused.stderr
    assert set(bucket_files(s3, bucket)) == {"old-site/index.html"}
    result = deploy(project, endpoint, bucket, "--adopt")
    assert result["deleted"] == 1 and bucket_files(s3, bucket) == site_files(project / "site")
