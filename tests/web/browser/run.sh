#!/bin/sh
# Runs the browser test: installs playwright-core into this folder's node_modules when it is not
# there yet (from package-lock.json, npm registry only), then runs the test with Node.
#   run.sh <dir with the bus and ingress-web executables> <artifacts dir>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
    echo "installing playwright-core into $here/node_modules" >&2
    (cd "$here" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) >&2
fi
exec node "$here/contact.test.mjs" "$@"
