#!/usr/bin/env bash
# Install the front-end packages pinned in package-lock.json and copy the files
# the pages use into static/vendor/ (git-ignored). No CDN, no hand-copied files.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js (18 or newer) to fetch Bootstrap and ECharts." >&2
    exit 1
fi
npm ci --no-audit --no-fund --loglevel=error

vendor=static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/bootstrap" "$vendor/echarts"
# Source maps travel with the files: the production static storage rewrites
# their sourceMappingURL comments and fails when a map is missing.
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} "$vendor/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$vendor/bootstrap/"
cp node_modules/echarts/dist/echarts.min.js "$vendor/echarts/"
cp node_modules/bootstrap/LICENSE "$vendor/bootstrap/LICENSE"
cp node_modules/echarts/LICENSE "$vendor/echarts/LICENSE"
echo "static/vendor/: bootstrap $(node -p "require('./node_modules/bootstrap/package.json').version"), echarts $(node -p "require('./node_modules/echarts/package.json').version")"
