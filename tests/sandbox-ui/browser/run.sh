#!/bin/sh
# Runs one of this folder's Node tests: installs playwright-core into this folder's node_modules
# when it is not there yet (from package-lock.json, npm registry only), then runs the test.
#   run.sh <test file> <dir with the service executables> <artifacts dir>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
test_file=$1
shift
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
    echo "installing playwright-core into $here/node_modules" >&2
    (cd "$here" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) >&2
fi
exec node --test-reporter=spec "$here/$test_file" "$@"
