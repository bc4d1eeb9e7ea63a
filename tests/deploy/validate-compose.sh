#!/usr/bin/env bash
# Validates deploy/docker-compose.yml with docker-compose itself (no engine needed), in the
# production and the demo profile, and checks every service is declared; that the carrier .env
# names is the one carrier gateway `up` starts (docker-compose's own profile code, run by
# started_services.py), and that nginx, the Dockerfile and the demo's addresses agree with it.
# Prints a closing line.
set -euo pipefail
deploy_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$deploy_dir"/* "$work"/  # -r: deploy/k8s is a folder
cp "$deploy_dir/env.demo" "$work/.env"
cd "$work"
passed=0 failed=0
check() { if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); else echo "FAIL: $*"; failed=$((failed + 1)); fi; }
check docker-compose -f docker-compose.yml config -q
check docker-compose -f docker-compose.yml --profile demo config -q
services=$(docker-compose -f docker-compose.yml --profile demo config --services | sort | tr '\n' ' ')
for name in bus router spark-gateway tropo-gateway twilio-gateway ingress-web sandbox nginx; do
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
for gateway, profile in (("twilio-gateway", "twilio"), ("tropo-gateway", "tropo")):
    assert services[gateway].get("profiles") == [profile], gateway + " must be in profile " + profile
    assert "sms-gateway" in services[gateway]["networks"]["default"]["aliases"], gateway + " has no alias"
# The demo: the sandbox posts Twilio webhooks where twilio-gateway checks their signatures.
sms_url = services["sandbox"]["environment"]["TWILIO_SMS_URL"]
public = services["twilio-gateway"]["environment"]["PUBLIC_BASE_URL"]
assert sms_url == public + "/api/twilio/sms/", sms_url + " is not under " + public
assert services["spark-gateway"]["environment"]["PUBLIC_BASE_URL"] != public
'

# Which services `up` starts: exactly one carrier gateway, SMS_CARRIER's; the sandbox only in
# the demo. For the demo and the production settings, with either carrier.
env_value() { sed -n "s/^$1=//p" "$2" | tail -1; }
check test "$(env_value SMS_CARRIER env.demo)" = twilio
check grep -qx "COMPOSE_PROFILES=demo,$(env_value SMS_CARRIER env.demo)" env.demo
check grep -qx "COMPOSE_PROFILES=$(env_value SMS_CARRIER env.example)" env.example
for settings in env.demo env.example; do
  for carrier in twilio tropo; do
    cp "$settings" .env
    sed -i "s/^SMS_CARRIER=.*/SMS_CARRIER=$carrier/; s/^COMPOSE_PROFILES=\(demo,\)\?.*/COMPOSE_PROFILES=\1$carrier/" .env
    started=$(/usr/bin/python3 "$here/started_services.py" 2>&1 || true)
    other=twilio; [ "$carrier" = twilio ] && other=tropo
    sandbox=sandbox; [ "$settings" = env.example ] && sandbox=
    expected=$(echo bus ingress-web nginx router $sandbox spark-gateway "$carrier-gateway" | tr ' ' '\n' | sort | tr '\n' ' ')
    if [ "$started " = "$expected" ]; then passed=$((passed + 1)); else
      echo "FAIL: $settings with SMS_CARRIER=$carrier starts: $started (expected: $expected)"; failed=$((failed + 1)); fi
    check grep -q "COMPOSE_PROFILES=.*$carrier" .env
    check test "$other" != "$carrier"
  done
done
cp env.demo .env

# nginx sends Twilio's paths to whichever gateway answers to sms-gateway; the image ships it.
check grep -Eq 'upstream twilio_gateway +\{ server sms-gateway:8085; \}' nginx.conf
check grep -Eq 'location /api/twilio/ +\{ proxy_pass http://twilio_gateway; \}' nginx.conf
check grep -Eq -- '--target .*twilio-gateway' Dockerfile
check grep -Eq '/build/twilio-gateway' Dockerfile
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
