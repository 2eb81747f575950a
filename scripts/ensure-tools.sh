#!/usr/bin/env bash
# Debian tools the tests run for real: curl (in the fake pods), openssl (throwaway CAs), strace (keeps
# unresolvable hosts off the network; the harness emulates without it), neovim (the LSP smoke test in another editor). Installed with apt-get when missing and
# running as root (CI); otherwise says what to install.
set -euo pipefail
missing=()
for tool in curl openssl strace nvim; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
# The Debian package of nvim is neovim.
missing=("${missing[@]/#nvim/neovim}")
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "warning: ${missing[*]} not found; the probe tests need curl and openssl (apt-get install ${missing[*]})" >&2
fi
