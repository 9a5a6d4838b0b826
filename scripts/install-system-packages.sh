#!/usr/bin/env bash
# Installs the Debian packages the portal needs, when they are missing:
#   fonts-noto-cjk           real CJK fonts for WeasyPrint's Chinese PDFs
#   libpango/libharfbuzz     WeasyPrint's text layout
#   gettext                  compiling the translations (English UI)
#   chromium                 the browser the browser tests drive (never downloaded by Playwright)
#   postgresql, redis-server the servers' programs: the fault tests (tests/faults) start and stop
#                            throwaway PostgreSQL and Redis servers of their own, even where the suite's
#                            own database and Redis run on another machine
# It needs root (or sudo without a password); otherwise it says what to install and goes on.
set -u
packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Checked by their programs: PostgreSQL's server may come from another package than Debian's metapackage.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "!! 缺少系统软件包：${missing[*]}" >&2
  echo "!! 当前用户无法安装（需要 root 或免密 sudo），请管理员执行：apt-get install ${missing[*]}" >&2
  echo "!! Missing system packages (need root): apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/portal-apt.log 2>&1; then
  echo "!! apt-get install failed (see /tmp/portal-apt.log): ${missing[*]}" >&2
  tail -5 /tmp/portal-apt.log >&2
  exit 1
fi
