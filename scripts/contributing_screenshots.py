"""Refresh the screenshots in CONTRIBUTING.md from the web editor's browser test.

    .venv/bin/python scripts/contributing_screenshots.py

Runs tests/editor/test_editor_flow.py (real Chromium, real decap-server), which saves its key
steps to tests/artifacts/editor/, and copies the ones CONTRIBUTING.md shows to contributing/
as JPEG (a fifth of the PNG's size; these are photos of a screen, not line art).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "editor"
OUT = ROOT / "contributing"
# test screenshot -> the name CONTRIBUTING.md uses
WANTED = {
    "01-login.png": "editor-01-login.jpg",
    "02-new-branch-form.png": "editor-02-form.jpg",
    "03-figures.png": "editor-03-figures.jpg",
    "04-photo.png": "editor-04-photo.jpg",
    "06-phone-refused.png": "editor-05-refused.jpg",
}


def main() -> int:
    test = [sys.executable, "-m", "pytest", "-q", str(ROOT / "tests" / "editor" / "test_editor_flow.py")]
    if subprocess.run(test, cwd=ROOT).returncode != 0:
        print("浏览器测试失败，截图没有更新。", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    for shot, name in WANTED.items():
        with Image.open(SHOTS / shot) as img:
            img.convert("RGB").save(OUT / name, "JPEG", quality=80, optimize=True)
        print(f"已更新 {(OUT / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
