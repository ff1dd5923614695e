#!/usr/bin/env bash
# `npm start`: build and launch the Chartroom desktop app. Where Electron's binary cannot be
# had (it downloads on first launch; offline machines cannot), say so and serve the same app
# to a browser on this computer instead.
set -euo pipefail
cd "$(dirname "$0")/.."

have_electron() {
  # Reads electron/path.txt directly: requiring 'electron' would try a download every time.
  node -e "const fs=require('fs'),p=require('path');const d=p.dirname(require.resolve('electron/package.json'));const f=p.join(d,'path.txt');process.exit(fs.existsSync(f)&&fs.existsSync(p.join(d,'dist',fs.readFileSync(f,'utf8').trim()))?0:1)" 2>/dev/null
}

if ! have_electron && [ "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" != "1" ]; then
  echo "Fetching the Electron runtime (first launch only)…"
  node node_modules/electron/install.js >/dev/null 2>&1 || true
fi

if have_electron; then
  npx electron-vite build
  exec npx electron .
fi

echo "The Electron runtime is not available on this machine, so Chartroom will run in your"
echo "browser instead (same app, same encrypted data; keys guarded by a key file rather than"
echo "the OS keystore). Data is kept in ${CHARTROOM_DATA_DIR:-.chartroom-data}."
exec npm run -s dev:browser
