#!/usr/bin/env bash
# Debian tools the probe tests run for real: curl (in the fake pods), openssl (throwaway CAs), strace (keeps
# unresolvable hosts off the network; the harness emulates without it). Installed with apt-get when missing and
# running as root (CI); otherwise says what to install.
set -euo pipefail
missing=()
for tool in curl openssl strace; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "warning: ${missing[*]} not found; the probe tests need curl and openssl (apt-get install ${missing[*]})" >&2
fi
