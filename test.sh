#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing, then runs them.
# Debian packages: the MIPS cross toolchain (guests are built from source by the tests),
# qemu-user (the conformance oracle), csmith (random C programs for differential runs) and
# postgresql (the checkpoint tests start a private server of their own).
set -euo pipefail
cd "$(dirname "$0")"

packages=(gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu qemu-user csmith libcsmith-dev make postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null; then
  echo "test.sh: the .NET 10 SDK is required (https://dot.net); dotnet is not on PATH" >&2
  exit 1
fi

dotnet test ActorVmm.sln -c Release "$@"
