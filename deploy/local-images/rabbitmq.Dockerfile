# netra-local/rabbitmq in place of rabbitmq:3.13-management: Debian's RabbitMQ (3.10) with the management
# plugin, reading /etc/rabbitmq/conf.d/ as the official image does, logging to stdout, running as rabbitmq.
ARG BASE=netra-local/debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && rabbitmq-plugins enable --offline rabbitmq_management rabbitmq_prometheus >/dev/null \
    && mkdir -p /etc/rabbitmq/conf.d && chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq
ENV RABBITMQ_LOGS=- HOME=/var/lib/rabbitmq
USER rabbitmq
EXPOSE 5672 15672
CMD ["rabbitmq-server"]
