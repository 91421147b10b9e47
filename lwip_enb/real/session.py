"""VICI, charon's control protocol, as this package speaks it.

:class:`ViciSession` is the part of ``vici.Session`` used here, :func:`open_session` opens one on
a charon's socket, and the other functions turn what comes back (bytes, ordered dicts, the vici
package's exceptions) into plain values and one-line messages. The ``vici`` package is imported
only when a session is opened, so the package imports without it (``available`` says it is
missing).
"""

from __future__ import annotations

import importlib
import socket
from collections.abc import Generator, Iterator, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any, Protocol, TypeAlias

__all__ = [
    "ViciMessage",
    "ViciSession",
    "close_session",
    "decode",
    "describe",
    "is_command_error",
    "open_session",
    "text",
]

ViciMessage: TypeAlias = Mapping[str, Any]


class ViciSession(Protocol):
    """The part of ``vici.Session`` (vici 6) used here. Streamed commands return generators that
    must be consumed for the command to complete."""

    def version(self) -> ViciMessage: ...

    def stats(self) -> ViciMessage: ...

    def load_conn(self, connection: Mapping[str, Any], /) -> None: ...

    def unload_conn(self, name: Mapping[str, Any], /) -> None: ...

    def get_conns(self) -> ViciMessage: ...

    def load_shared(self, secret: Mapping[str, Any], /) -> None: ...

    def unload_shared(self, identifier: Mapping[str, Any], /) -> None: ...

    def get_shared(self) -> ViciMessage: ...

    def load_pool(self, pool: Mapping[str, Any], /) -> None: ...

    def unload_pool(self, pool_name: Mapping[str, Any], /) -> None: ...

    def initiate(self, sa: Mapping[str, Any], /) -> Iterator[ViciMessage]: ...

    def terminate(self, sa: Mapping[str, Any], /) -> Iterator[ViciMessage]: ...

    def list_sas(self, filters: Mapping[str, Any] | None = None, /) -> Iterator[ViciMessage]: ...

    def listen(
        self, event_types: list[str], timeout: float = ..., /
    ) -> Generator[tuple[bytes | None, ViciMessage | None], None, None]: ...


def open_session(path: Path, *, timeout_s: float | None) -> ViciSession:
    """A new ``vici.Session`` on the unix socket ``path``; ``timeout_s`` bounds each wait for
    charon."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout_s)
        sock.connect(str(path))
    except BaseException:
        sock.close()
        raise
    session: ViciSession = importlib.import_module("vici").Session(sock)
    return session


def close_session(session: ViciSession | None) -> None:
    """Close the session's socket; nothing when there is none or it is already gone."""
    transport = getattr(session, "transport", None)
    if transport is not None:
        with suppress(OSError):
            transport.close()


def text(value: object) -> str:
    """A VICI value as str (``None`` as "")."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def decode(value: object) -> Any:
    """VICI values (bytes, lists, OrderedDicts) as str, list and dict."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Mapping):
        return {str(k): decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def describe(exc: BaseException) -> str:
    """A failure in one bounded line: charon's own message when it refused a command."""
    message = str(exc).strip()
    name = type(exc).__name__
    if name == "CommandException":
        return message.removeprefix("Command failed: ")[:500]
    return f"{name}: {message}"[:500]


def is_command_error(exc: BaseException) -> bool:
    """Did charon refuse the command (as opposed to the transport failing)?"""
    return type(exc).__name__ == "CommandException"
