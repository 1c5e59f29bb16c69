# netra-local/mailpit in place of axllent/mailpit: the binary built from Go sources by deploy/containers.sh,
# at /mailpit as in the official image (docker-compose.yml's health check runs `/mailpit readyz`).
ARG BASE=netra-local/debian:bookworm
FROM ${BASE}
COPY mailpit /mailpit
EXPOSE 1025 8025
ENTRYPOINT ["/mailpit"]
