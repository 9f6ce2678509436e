#!/usr/bin/env bash
# Debian packages the build and the tests need: Noto CJK (Sans and Serif) for Chinese text in
# share images, illustrations and the print edition; Pango and HarfBuzz's subsetter for
# WeasyPrint (the print edition's PDFs); Chromium for browser tests; poppler-utils for reading
# PDFs back; Java and npm for the HTML validator (vnu-jar, see `make vnu`). Installs only what
# is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Captured first: `grep -q` stops reading early, which fails a pipeline under pipefail.
fonts=$(fc-list : file 2>/dev/null || true)
libs=$(ldconfig -p 2>/dev/null || true)
{ [[ $fonts == *NotoSansCJK* ]] && [[ $fonts == *NotoSerifCJK* ]]; } || need+=(fonts-noto-cjk)
[[ $libs == *libpangoft2-1.0.so.0* ]] || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[[ $libs == *libharfbuzz-subset.so.0* ]] || need+=(libharfbuzz-subset0)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${need[*]}。请以 root 运行：apt-get install ${need[*]}" >&2
  exit 1
fi
echo "正在安装系统软件包：${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
