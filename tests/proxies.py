"""Small local proxies for the tests: SOCKS5 (RFC 1928, no auth or RFC 1929 user/password) and
HTTP CONNECT. Each relays bytes to the target and records which targets it tunnelled to."""

from __future__ import annotations

import abc
import asyncio
import base64
import contextlib
import struct


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


class _Proxy(abc.ABC):
    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        self.credentials = credentials
        self.tunnels: list[tuple[str, int]] = []
        self.refused = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            target = await self._handshake(reader, writer)
            if target is None:
                self.refused += 1
                writer.close()
                return
            up_reader, up_writer = await asyncio.open_connection(*target)
            self.tunnels.append(target)
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
        finally:
            self._tasks.discard(task)

    @abc.abstractmethod
    async def _handshake(self, reader, writer) -> tuple[str, int] | None:
        """Read the client's request; the target to connect to, or None to refuse it."""


class Socks5Proxy(_Proxy):
    scheme = "socks5"

    @property
    def url(self) -> str:
        auth = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials else ""
        return f"socks5://{auth}127.0.0.1:{self.port}"

    async def _handshake(self, reader, writer) -> tuple[str, int] | None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        wanted = 2 if self.credentials else 0
        if version != 5 or wanted not in methods:
            writer.write(b"\x05\xff")
            return None
        writer.write(bytes([5, wanted]))
        if self.credentials:
            _sub, ulen = await reader.readexactly(2)
            user = (await reader.readexactly(ulen)).decode()
            (plen,) = await reader.readexactly(1)
            password = (await reader.readexactly(plen)).decode()
            ok = (user, password) == self.credentials
            writer.write(b"\x01\x00" if ok else b"\x01\x01")
            if not ok:
                return None
        _ver, command, _rsv, kind = await reader.readexactly(4)
        if kind == 1:
            host = ".".join(str(b) for b in await reader.readexactly(4))
        elif kind == 3:
            (length,) = await reader.readexactly(1)
            host = (await reader.readexactly(length)).decode()
        else:
            return None
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        if command != 1:
            return None
        writer.write(b"\x05\x00\x00\x01" + bytes(4) + b"\x00\x00")
        await writer.drain()
        return host, port


class HttpConnectProxy(_Proxy):
    @property
    def url(self) -> str:
        auth = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials else ""
        return f"http://{auth}127.0.0.1:{self.port}"

    async def _handshake(self, reader, writer) -> tuple[str, int] | None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        method, target, _version = head[0].split(" ")
        headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        if self.credentials:
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            if headers.get("Proxy-Authorization") != f"Basic {token}":
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                return None
        if method != "CONNECT":
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return None
        host, _, port = target.rpartition(":")
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        return host, int(port)
