# nginx from Debian's package, so the stack builds where no registry but Debian's is reachable;
# curl for the engine's health check. nginx.conf is mounted by compose; nginx-start.sh writes
# the resolver and the trusted proxies and starts it.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx curl \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
COPY nginx-start.sh /usr/local/bin/nginx-start
CMD ["nginx-start"]
