#!/bin/sh
# Starts nginx after writing the two settings that depend on where it runs, in
# /etc/nginx/switchboard/ (nginx.conf includes it):
#  - the resolver: the engine's DNS, the first nameserver of /etc/resolv.conf (Docker's embedded
#    DNS 127.0.0.11; podman's aardvark-dns on its network's gateway), or NGINX_RESOLVER;
#  - NGINX_TRUSTED_PROXIES: the load balancers in front of nginx (addresses or CIDRs, separated by
#    commas or spaces), whose X-Forwarded-For names the client; empty (the default): nginx is the
#    edge and believes no one's header.
# A bad value stops the container with exit code 2 and a message naming the variable.
set -eu
out=/etc/nginx/switchboard
mkdir -p "$out"

fail() { echo "nginx-start: $1" >&2; exit 2; }
address_like() { case $1 in *[!0-9A-Fa-f.:/]* | '') return 1 ;; esac; }

resolver=${NGINX_RESOLVER:-$(sed -n 's/^nameserver[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/resolv.conf | head -n 1)}
[ -n "$resolver" ] || fail "NGINX_RESOLVER is empty and /etc/resolv.conf names no nameserver"
address_like "$resolver" || fail "NGINX_RESOLVER is not an IP address: $resolver"
case $resolver in *:*) resolver="[$resolver]" ;; esac
# Names are looked up again after 2 s: a restarted or rescaled service is followed at once.
printf 'resolver %s valid=2s ipv6=off;\nresolver_timeout 2s;\n' "$resolver" > "$out/resolver.conf"

: > "$out/trusted-proxies.conf"
for proxy in $(echo "${NGINX_TRUSTED_PROXIES:-}" | tr ',' ' '); do
  address_like "$proxy" || fail "NGINX_TRUSTED_PROXIES: not an address or CIDR: $proxy"
  echo "set_real_ip_from $proxy;" >> "$out/trusted-proxies.conf"
done
if [ -s "$out/trusted-proxies.conf" ]; then
  printf 'real_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n' >> "$out/trusted-proxies.conf"
fi
exec nginx -g 'daemon off;'
