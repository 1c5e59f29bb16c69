"""The broker's addresses: NETRA_AMQP_URL holds one AMQP URL, or several separated by commas (the nodes of
one RabbitMQ cluster). Connections go to the first that answers and, when it is lost, to the next
(kombu's round-robin failover); every URL must name the same virtual host."""
from __future__ import annotations

from urllib.parse import urlparse


def broker_urls(value: str) -> list[str]:
    """The URLs of a comma-separated list, checked; raises ValueError naming what is wrong."""
    urls = [part.strip() for part in value.split(",")]
    if not any(urls):
        raise ValueError("expected amqp://user:password@host:port/vhost")
    if "" in urls:
        raise ValueError("an empty address in the list (two commas, or one at an end)")
    for url in urls:
        _check(url)
    if len({_authority(url) for url in urls}) < len(urls):
        raise ValueError("the same broker address appears twice")
    if len({urlparse(url).path.lstrip("/") for url in urls}) > 1:
        raise ValueError("every address must name the same virtual host")
    return urls


def _check(url: str) -> None:
    parsed = urlparse(url)
    try:
        parsed.port  # noqa: B018 - reading it is what raises for a port that is not a number
    except ValueError:
        raise ValueError(f"{_safe(url)}: the port is not a number") from None
    if parsed.scheme not in ("amqp", "amqps") or not parsed.hostname:
        raise ValueError(f"{_safe(url)}: expected amqp://user:password@host:port/vhost")


def _authority(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname, parsed.port or (5671 if parsed.scheme == "amqps" else 5672)


def _safe(url: str) -> str:
    """The URL without its password, for an error message."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    return url.replace(f":{parsed.password}@", ":***@", 1)
