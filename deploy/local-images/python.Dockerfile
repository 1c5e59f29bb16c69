# netra-local/python:3.11 in place of python:3.11-slim: Debian's Python 3.11 with venv, `python` on the PATH.
# ca/ holds the build machine's own CA certificates (/usr/local/share/ca-certificates, often none): behind a
# TLS-inspecting egress, pip reaches PyPI only if it trusts them.
ARG BASE=netra-local/debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3.11 python3.11-venv ca-certificates \
    && ln -s /usr/bin/python3.11 /usr/local/bin/python \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
CMD ["python"]
