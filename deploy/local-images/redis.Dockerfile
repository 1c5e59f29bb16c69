# netra-local/redis:7.0 in place of redis:7.0: Debian's Redis 7.0 (redis-server, redis-cli for the health
# check), running as redis; docker-compose.yml's command sets what it keeps (nothing on disk).
ARG BASE=netra-local/debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
USER redis
WORKDIR /var/lib/redis
EXPOSE 6379
CMD ["redis-server"]
