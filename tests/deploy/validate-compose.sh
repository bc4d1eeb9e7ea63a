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
resolved = yaml.safe_load(open("resolved.yml"))
services = resolved["services"]
top_volumes = resolved.get("volumes") or {}
assert services["sandbox"].get("profiles") == ["demo"], "sandbox must be demo-only"
for name, service in services.items():
    assert "healthcheck" in service, name + " has no health check"
    assert service.get("restart") == "unless-stopped", name + " has no restart policy"
    # Nothing per container, so --scale works: no fixed name, no INSTANCE_ID, and a journal
    # volume is a named one its replicas share.
    assert "container_name" not in service, name + " has a container_name"
    assert "INSTANCE_ID" not in (service.get("environment") or {}), name + " fixes INSTANCE_ID"
    for volume in service.get("volumes", []):  # source:target[:mode] as docker-compose prints it
        parts = volume.split(":")
        if len(parts) > 1 and parts[1] == "/var/lib/switchboard":
            assert parts[0] in top_volumes, name + ": DATA_DIR is not a named volume"
    if name not in ("nginx", "sandbox"):
        assert not service.get("ports"), name + " publishes a port (only nginx and the demo sandbox do)"
assert list(services["nginx"].get("ports", [])), "nginx publishes nothing"
for name in ("nginx", "sandbox"):
    for port in services[name]["ports"]:
        assert str(port).startswith("127.0.0.1:"), name + " publishes beyond 127.0.0.1"
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
check grep -Eq 'set \$twilio_gateway +http://sms-gateway:8085;' nginx.conf
check grep -Eq 'location /api/twilio/ +\{ proxy_pass \$twilio_gateway; \}' nginx.conf
check grep -Eq 'location /api/files/ +\{ proxy_pass \$spark_gateway; \}' nginx.conf
check grep -Eq -- '--target .*twilio-gateway' Dockerfile
check grep -Eq '/build/twilio-gateway' Dockerfile
# nginx follows the containers: every upstream by a variable (resolved per request through the
# resolver nginx-start.sh writes), none resolved once at start; the client's address passed on.
check test "$(grep -Ec 'proxy_pass \$' nginx.conf)" -ge 8
check test "$(grep -Ec 'proxy_pass +http|^ *upstream ' nginx.conf)" -eq 0
check grep -q 'include /etc/nginx/switchboard/\*.conf;' nginx.conf
check grep -q 'valid=2s' nginx-start.sh
check grep -Eq 'proxy_set_header X-Real-IP +\$remote_addr;' nginx.conf
check grep -Eq 'proxy_set_header X-Forwarded-For +\$remote_addr;' nginx.conf
# nginx itself accepts the file (Debian's nginx, where installed), with the includes it writes.
if command -v nginx >/dev/null; then
  mkdir -p nginx-prefix/logs
  check nginx -t -q -p "$PWD/nginx-prefix" -c "$PWD/nginx.conf" -g 'pid nginx.pid;'
fi
# No VOLUME in the image: every container that mounts nothing would get an anonymous volume,
# which `down -v` leaves behind on podman.
check test "$(grep -c '^VOLUME' Dockerfile)" -eq 0
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
