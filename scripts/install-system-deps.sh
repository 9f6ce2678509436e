#!/usr/bin/env bash
# Debian packages the build and the tests need: Noto CJK (Sans and Serif) for Chinese text in
# share images, illustrations and the print edition; Pango and HarfBuzz's subsetter for
# WeasyPrint (the print edition's PDFs); Chromium for browser tests; poppler-utils for reading
# PDFs back; Java and npm for the HTML validator (vnu-jar, see `make vnu`); nginx and openssl
# for the test that serves a site with `showcase nginx-conf`'s server block over HTTPS.
# Installs only what is missing.
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
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${need[*]}。请以 root 运行：apt-get install ${need[*]}" >&2
  exit 1
fi
echo "正在安装系统软件包：${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Installing nginx must not start a system nginx on port 80: the tests start their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
