# netra-local/postgres:15 in place of postgres:15: Debian's PostgreSQL 15 and an entrypoint doing what the
# official one does for docker-compose.yml (postgres-entrypoint.sh): POSTGRES_USER, POSTGRES_PASSWORD_FILE,
# /docker-entrypoint-initdb.d on the first start, password sign-in over the network.
ARG BASE=netra-local/debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && apt-get clean && rm -rf /var/lib/apt/lists/* /var/lib/postgresql/15 /etc/postgresql/15 \
    && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d \
    && chown postgres:postgres /var/lib/postgresql/data && chmod 0700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
