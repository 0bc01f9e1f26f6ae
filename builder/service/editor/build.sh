#!/usr/bin/env bash
# Rebuild the service's editor bundle (../static/editor.js) from the npm registry:
# CodeMirror 6 at the versions package-lock.json pins, bundled by esbuild. Needs Node 18+ and npm.
# The bundle is committed; the service never loads anything from a CDN.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
echo "已生成 $(cd ../static && pwd)/editor.js"
