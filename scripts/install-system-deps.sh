#!/usr/bin/env bash
# Debian packages the tests need: Chromium for browser tests, Noto CJK for Chinese text in
# screenshots and illustrations, poppler-utils for reading PDFs. Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -q NotoSansCJK || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${need[*]}。请以 root 运行：apt-get install ${need[*]}" >&2
  exit 1
fi
echo "正在安装系统软件包：${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
