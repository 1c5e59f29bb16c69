"""A loopback TCP proxy a test puts between a client and a server, to cut the network between them.

    with TcpProxy(("127.0.0.1", 5672)) as proxy:
        url = proxy.via(amqp_url)     # the same URL, through the proxy
        proxy.cut()                   # open connections drop, new ones are dropped on arrival
        proxy.restore()               # connections are taken and forwarded again
        proxy.hold()                  # bytes stop flowing, connections stay open (a stalled network)

The shared servers keep running for everyone else; only what goes through the proxy sees the fault.
It runs its own asyncio loop in a thread, so synchronous tests drive it with plain calls.
"""
from __future__ import annotations

import asyncio
import threading
from urllib.parse import urlsplit, urlunsplit

CHUNK = 64 * 1024


class TcpProxy:
    def __init__(self, upstream: tuple[str, int], host: str = "127.0.0.1"):
        self.upstream = upstream
        self.host = host
        self.port = 0
        self._accepting = True
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def start(self) -> "TcpProxy":
        self._thread.start()
        self._server = self._call(self._listen())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def via(self, url: str) -> str:
        """`url` with its host and port replaced by the proxy's (user, password and path kept)."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@{self.host}:{self.port}" if credentials else f"{self.host}:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    def cut(self) -> None:
        """Drop every open connection and every new one, as if the server had gone away."""
        self._call(self._cut())

    def hold(self) -> None:
        """Stop forwarding bytes both ways while connections stay open, as a stalled network does."""
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def restore(self) -> None:
        self._accepting = True
        self._loop.call_soon_threadsafe(self._flowing.set)

    def stop(self) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> "TcpProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> asyncio.Server:
        self._flowing = asyncio.Event()
        self._flowing.set()
        return await asyncio.start_server(self._connect, self.host, 0)

    async def _cut(self) -> None:
        self._accepting = False
        for writer in list(self._writers):
            writer.transport.abort()

    async def _close(self) -> None:
        await self._cut()
        self._flowing.set()  # wakes held pipes, so they see their connection gone and end
        self._server.close()
        await self._server.wait_closed()
        for _ in range(100):
            if not self._writers:
                break
            await asyncio.sleep(0.01)

    async def _connect(self, client_reader, client_writer) -> None:
        if not self._accepting:
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.transport.abort()
            return
        pair = {client_writer, server_writer}
        self._writers |= pair
        try:
            await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))
        finally:
            self._writers -= pair

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy one direction until either side closes; then close both, as a dropped link would."""
        try:
            while data := await reader.read(CHUNK):
                await self._flowing.wait()
                if writer.transport.is_closing():
                    break
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.transport.abort()
