"""Where a deploy goes: an S3-compatible bucket (boto3) or a folder that nginx serves.

Both hold the site's files at their site paths (`branches/<slug>/index.html`) and the
deploy's own records under `.showcase/` (state, one manifest per release, and `blobs/`: the
earlier bytes of files a later release changed, kept for rollback). The deploy logic in
`run.py` sees only this interface.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from showcase.atomic import atomic_write
from showcase.deploy.manifest import Entry

META = ".showcase/"  # the deploy's records, beside the site's files
BLOBS = META + "blobs/"
_MD5 = re.compile(r"[0-9a-f]{32}")


class DeployError(Exception):
    """A deploy that cannot go on, with a message for the user (Chinese)."""


@dataclasses.dataclass(frozen=True)
class Stored:
    size: int
    md5: str | None  # None where the target cannot tell cheaply (a folder, an encrypted bucket)


class Target(Protocol):
    stores_headers: bool  # False for a folder: nginx decides the headers from the path

    def describe(self) -> str: ...

    def inventory(self, under: str = "") -> dict[str, Stored]:
        """Every object (path → Stored) below `under`; with "" the site's files, not META."""
        ...

    def sha256(self, path: str) -> str | None:
        """The digest of the object's bytes, where `inventory` could not give its md5."""
        ...

    def read(self, key: str) -> bytes | None: ...

    def write(self, key: str, data: bytes, entry: Entry | None = None) -> None:
        """Store `data` at `key`, with `entry`'s headers if given; readers see the old bytes
        or the new, never a part."""
        ...

    def copy(self, src: str, dst: str, entry: Entry | None = None) -> None:
        """Copy inside the target (no download); with `entry`, set its headers on `dst`."""
        ...

    def delete(self, keys: Iterable[str]) -> None: ...

    def after_live(self, site: Path) -> list[str]:
        """Target-specific finishing once a release is live; returns lines to tell the user."""
        ...


def _is_md5(etag: str | None) -> str | None:
    tag = (etag or "").strip('"').lower()
    return tag if _MD5.fullmatch(tag) else None


class S3Target:
    """A bucket (and optional key prefix) on any S3-compatible store: AWS, Aliyun OSS,
    Tencent COS, Huawei OBS, MinIO, SeaweedFS. Credentials come from boto3's usual places
    (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or AWS_PROFILE), never from the project."""

    stores_headers = True

    def __init__(
        self,
        bucket: str,
        prefix: str,
        *,
        endpoint: str | None,
        region: str | None,
        workers: int,
        path_style: bool | None = None,
    ) -> None:
        os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # no 1 s probe for cloud VM credentials
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint = endpoint
        if path_style is None:
            # A bucket name in the host (virtual-hosted style) is what OSS and COS require;
            # a store on an IP address or localhost (MinIO, SeaweedFS) only works path-style.
            host = re.sub(r"^\w+://", "", endpoint or "").split("/")[0].split(":")[0]
            path_style = bool(endpoint) and (host == "localhost" or bool(re.fullmatch(r"[\d.]+", host)))
        config = Config(
            retries={"max_attempts": 6, "mode": "standard"},  # exponential back-off with jitter
            max_pool_connections=max(10, workers * 2),
            connect_timeout=10,
            read_timeout=60,
            s3={"addressing_style": "path" if path_style else "virtual"},
            # CRC checksums on every request (boto3 ≥ 1.36) are refused by several
            # S3-compatible stores; send them only where the API requires one.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        session = boto3.session.Session()
        self.client: Any = session.client("s3", endpoint_url=endpoint, region_name=region, config=config)

    def describe(self) -> str:
        where = f" @ {self.endpoint}" if self.endpoint else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"

    def _key(self, key: str) -> str:
        return self.prefix + key

    def inventory(self, under: str = "") -> dict[str, Stored]:
        found: dict[str, Stored] = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(under)
        )
        for page in pages:
            for obj in page.get("Contents", []):
                key = obj["Key"][len(self.prefix) :]
                if not under and key.startswith(META):
                    continue
                found[key] = Stored(int(obj["Size"]), _is_md5(obj.get("ETag")))
        return found

    def sha256(self, path: str) -> str | None:
        head = self.client.head_object(Bucket=self.bucket, Key=self._key(path))
        value = head.get("Metadata", {}).get("sha256")
        return str(value) if value else None

    def read(self, key: str) -> bytes | None:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except self.client.exceptions.NoSuchKey:
            return None
        return bytes(body.read())

    @staticmethod
    def _headers(entry: Entry | None, data: bytes | None = None) -> dict[str, Any]:
        if entry is None:
            return {"ContentType": "application/json; charset=utf-8", "CacheControl": "no-cache"}
        h: dict[str, Any] = {
            "ContentType": entry.content_type,
            "CacheControl": entry.cache_control,
            "Metadata": {"sha256": entry.sha256},
        }
        if entry.encoding:
            h["ContentEncoding"] = entry.encoding
        if data is not None:
            # The store checks the bytes it received against this (a broken upload fails, not
            # a broken file published).
            import base64

            h["ContentMD5"] = base64.b64encode(bytes.fromhex(entry.md5)).decode()
        return h

    def write(self, key: str, data: bytes, entry: Entry | None = None) -> None:
        # One PUT per object, never multipart: the ETag stays the md5 of the bytes, which is how
        # the next deploy recognises an object as unchanged from a listing alone.
        self.client.put_object(
            Bucket=self.bucket, Key=self._key(key), Body=data, **self._headers(entry, data)
        )

    def copy(self, src: str, dst: str, entry: Entry | None = None) -> None:
        args: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self._key(dst),
            "CopySource": {"Bucket": self.bucket, "Key": self._key(src)},
        }
        if entry is not None:
            args.update(MetadataDirective="REPLACE", **self._headers(entry))
        self.client.copy_object(**args)

    def delete(self, keys: Iterable[str]) -> None:
        batch = [self._key(k) for k in keys]
        for i in range(0, len(batch), 1000):
            chunk = [{"Key": k} for k in batch[i : i + 1000]]
            reply = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": chunk, "Quiet": True})
            if reply.get("Errors"):
                first = reply["Errors"][0]
                raise DeployError(
                    f"删除 {first.get('Key')} 失败：{first.get('Message') or first.get('Code')}"
                )

    def after_live(self, site: Path) -> list[str]:
        """Index and error documents for the bucket's website endpoint, where the store has one."""
        if self.prefix:
            return []
        from botocore.exceptions import ClientError

        try:
            self.client.put_bucket_website(
                Bucket=self.bucket,
                WebsiteConfiguration={
                    "IndexDocument": {"Suffix": "index.html"},
                    "ErrorDocument": {"Key": "404.html"},
                },
            )
        except ClientError as e:
            return [
                f"提示：这个存储不支持用 API 设置静态网站（{e.response.get('Error', {}).get('Code')}），"
                "请在控制台把默认首页设为 index.html、默认 404 页设为 404.html。"
            ]
        return ["已设置存储桶的静态网站：默认首页 index.html，404 页 404.html。"]


class FolderTarget:
    """A folder a web server (nginx) serves as its root. Files are replaced by rename, so a
    reader gets the old file or the new one; headers come from `showcase nginx-conf`."""

    stores_headers = False

    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def inventory(self, under: str = "") -> dict[str, Stored]:
        base = self.root / under
        found: dict[str, Stored] = {}
        if not base.is_dir():
            return found
        for folder, dirs, files in os.walk(base):
            rel = Path(folder).relative_to(self.root).as_posix()
            if not under and rel == ".":
                dirs[:] = [d for d in dirs if d + "/" != META]
            for name in files:  # leftovers of a killed deploy (.tmp-*) too: cleaning removes them
                key = name if rel == "." else f"{rel}/{name}"
                found[key] = Stored((Path(folder) / name).stat().st_size, None)
        return found

    def sha256(self, path: str) -> str | None:
        h = hashlib.sha256()
        with (self.root / path).open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def read(self, key: str) -> bytes | None:
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, key: str, data: bytes, entry: Entry | None = None) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)

    def copy(self, src: str, dst: str, entry: Entry | None = None) -> None:
        target = self.root / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
        shutil.copyfile(self.root / src, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)

    def delete(self, keys: Iterable[str]) -> None:
        parents: set[Path] = set()
        for key in keys:
            path = self.root / key
            path.unlink(missing_ok=True)
            parents.add(path.parent)
        for folder in sorted(parents, key=lambda p: len(p.parts), reverse=True):
            while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def after_live(self, site: Path) -> list[str]:
        """The security headers of the live release, where `showcase nginx-conf` includes them."""
        conf = site / "nginx-security-headers.conf"
        if not conf.is_file():
            return []
        key = META + "nginx-security-headers.conf"
        new = conf.read_bytes()
        if self.read(key) == new:
            return []
        self.write(key, new)
        return [f"安全响应头（{self.root / key}）有变化：请执行 nginx -s reload 让 nginx 读入。"]
