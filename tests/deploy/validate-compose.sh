#!/usr/bin/env bash
# Validates deploy/docker-compose.yml with docker-compose itself (no engine needed), in the
# production and the demo profile, and checks every service is declared. Prints a closing line.
set -euo pipefail
deploy_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$deploy_dir"/* "$work"/
cp "$deploy_dir/env.demo" "$work/.env"
cd "$work"
passed=0 failed=0
check() { if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); else echo "FAIL: $*"; failed=$((failed + 1)); fi; }
check docker-compose -f docker-compose.yml config -q
check docker-compose -f docker-compose.yml --profile demo config -q
services=$(docker-compose -f docker-compose.yml --profile demo config --services | sort | tr '\n' ' ')
for name in bus router spark-gateway tropo-gateway ingress-web sandbox nginx; do
  check grep -qw "$name" <<<"$services"
done
# The sandbox belongs to the demo profile only: production never starts it.
docker-compose -f docker-compose.yml --profile demo config > resolved.yml
check /usr/bin/python3 -c '
import sys, yaml
services = yaml.safe_load(open("resolved.yml"))["services"]
assert services["sandbox"].get("profiles") == ["demo"], "sandbox must be demo-only"
for name, service in services.items():
    if name != "nginx":
        assert "healthcheck" in service, name + " has no health check"
        assert service.get("restart") == "unless-stopped", name + " has no restart policy"
assert list(services["nginx"].get("ports", [])), "nginx publishes nothing"
' 
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
