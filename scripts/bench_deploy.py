#!/usr/bin/env python3
"""Deploy benchmark: `showcase deploy` against a naive full upload, on a real S3 server.

Builds a synthetic project (`showcase synth`), starts SeaweedFS on 127.0.0.1 (as the tests do,
tests/seaweedfs.py), and times in one run:

- a first deploy into an empty bucket, against uploading every file with boto3 on the same
  number of threads (what `aws s3 sync` does after a CI checkout, where every mtime is new);
- a second deploy of the same site (nothing changed);
- a deploy after one branch's case.md was edited and the site rebuilt;
- a rollback to the previous release and a roll forward.

Usage: .venv/bin/python scripts/bench_deploy.py [--branches 1000] [--photos 0] [--jobs 8]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from seaweedfs import client, credentials_env, new_bucket, seaweedfs  # noqa: E402
from showcase.deploy.headers import content_type  # noqa: E402
from showcase.deploy.manifest import published_files  # noqa: E402


def showcase(project: Path, *args: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "showcase.cli.main", "-f", str(project / "mkdocs.yml"), *args],
        capture_output=True,
        text=True,
        env=credentials_env(),
        check=False,
    )
    took = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"showcase {' '.join(args)} failed:\n{done.stderr}")
    return took, done.stdout


def deploy(
    project: Path, endpoint: str, bucket: str, jobs: int, *extra: str
) -> tuple[float, dict[str, object]]:
    took, out = showcase(
        project,
        "deploy",
        f"s3://{bucket}",
        "--endpoint",
        endpoint,
        "--jobs",
        str(jobs),
        "--format",
        "json",
        *extra,
    )
    return took, json.loads(out.strip().splitlines()[-1])


def naive_upload(site: Path, endpoint: str, bucket: str, jobs: int) -> tuple[float, int, int]:
    s3 = client(endpoint)
    paths = list(published_files(site))
    started = time.monotonic()

    def put(path: str) -> int:
        data = (site / path).read_bytes()
        s3.put_object(Bucket=bucket, Key=path, Body=data, ContentType=content_type(path))
        return len(data)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        moved = sum(pool.map(put, paths))
    return time.monotonic() - started, len(paths), moved


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-deploy-") as tmp:
        work = Path(tmp)
        project = work / "project"
        print(f"synth {args.branches} branches, {args.photos} photos each; building…", flush=True)
        showcase(
            work,
            "synth",
            "--branches",
            str(args.branches),
            "--photos",
            str(args.photos),
            "--out",
            str(project),
        )
        build_cold, _ = showcase(project, "build")
        site = project / "site"
        files = list(published_files(site))
        size = sum((site / p).stat().st_size for p in files)
        print(f"site: {len(files)} files, {size / 1e6:.1f} MB (cold build {build_cold:.1f} s)", flush=True)

        with seaweedfs(work / "seaweedfs") as endpoint:
            s3 = client(endpoint)
            for bucket in ("site", "naive"):
                new_bucket(s3, bucket)
            rows: list[tuple[str, float, object, object]] = []
            t, naive_n, naive_b = naive_upload(site, endpoint, "naive", args.jobs)
            rows.append(("naive: upload every file", t, naive_n, f"{naive_b / 1e6:.1f} MB"))
            t, r = deploy(project, endpoint, "site", args.jobs, "--release", "r1")
            rows.append(
                ("showcase deploy: first", t, r["uploaded"], f"{int(r['bytes_uploaded']) / 1e6:.1f} MB")
            )
            t, r = deploy(project, endpoint, "site", args.jobs)
            rows.append(
                (
                    "showcase deploy: nothing changed",
                    t,
                    r["uploaded"],
                    f"{int(r['bytes_uploaded']) / 1e6:.1f} MB",
                )
            )

            case = sorted((project / "branches").glob("*/case.md"))[len(files) % 7]
            case.write_text(case.read_text("utf-8") + "\n\n基准测试中新增的一段。\n", "utf-8")
            build_edit, _ = showcase(project, "build")
            t, naive_n, naive_b = naive_upload(site, endpoint, "naive", args.jobs)
            rows.append(("naive after one edit: upload every file", t, naive_n, f"{naive_b / 1e6:.1f} MB"))
            t, r = deploy(project, endpoint, "site", args.jobs, "--release", "r2")
            rows.append(
                (
                    "showcase deploy: one case.md edited",
                    t,
                    r["uploaded"],
                    f"{int(r['bytes_uploaded']) / 1e6:.1f} MB",
                )
            )
            t, r = deploy(project, endpoint, "site", args.jobs, "--rollback", "r1")
            rows.append(("showcase deploy --rollback r1", t, r["uploaded"], "copies in the store"))
            t, r = deploy(project, endpoint, "site", args.jobs, "--rollback", "r2")
            rows.append(("showcase deploy --rollback r2 (forward)", t, r["uploaded"], "copies in the store"))

        print(f"\nincremental build after the edit: {build_edit:.1f} s\n")
        print(f"{'':44} {'seconds':>8} {'objects written':>16} {'bytes sent':>14}")
        for name, secs, n, b in rows:
            print(f"{name:44} {secs:8.2f} {n!s:>16} {b!s:>14}")
        naive_full = rows[0][1]
        print(
            f"\nfirst deploy / naive: {rows[1][1] / naive_full:.2f}x time; "
            f"one-edit deploy / naive re-upload: {rows[4][1] / rows[3][1]:.2f}x time, "
            f"{rows[4][2]} of {rows[3][2]} objects"
        )
        os.sync()


if __name__ == "__main__":
    main()
