# netra-local/minio in place of minio/minio: the server deploy/infra.sh pins (MINIO_MODULE) and the client
# `mc` (for the health check), both built from Go sources by deploy/containers.sh. As in the official image,
# a command that does not start with `minio` is minio's arguments.
ARG BASE=netra-local/debian:bookworm
FROM ${BASE}
COPY minio mc /usr/bin/
EXPOSE 9000 9001
ENTRYPOINT ["minio"]
CMD ["server", "/data"]
