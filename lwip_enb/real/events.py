"""Tunnel events from a charon: IKE_SAs and CHILD_SAs going up and down.

:class:`EventWatcher` listens on its own VICI session in a thread of its own and records every
``ike-updown`` and ``child-updown`` as a :class:`TunnelEvent`, named by IDi through the resolver
it is given (the backends' connection names). Callers wait for an event after a mark, or
subscribe to all of them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Final, Literal, NamedTuple

from lwip_enb.errors import StrongswanError
from lwip_enb.keys import Idi
from lwip_enb.real.daemon import Charon
from lwip_enb.real.host import LOGGER_NAME
from lwip_enb.real.session import ViciMessage, ViciSession, close_session, describe, text

__all__ = ["EventWatcher", "TunnelEvent"]

log = logging.getLogger(LOGGER_NAME)


class TunnelEvent(NamedTuple):
    """An IKE_SA or CHILD_SA going up or down; ``ev[:2]`` is ``(kind, idi_hex)``."""

    kind: Literal["up", "down"]
    idi_hex: str  # "" when the SA's name is not one of ours
    layer: Literal["ike", "child"]
    sa_name: str
    at: float  # time.monotonic() when received
    ike_id: str


class EventWatcher:
    """A thread with its own VICI session, registered for ``ike-updown`` and ``child-updown``.

    Every event is recorded (:meth:`events`, :meth:`wait_for`) and handed to the subscribers
    (:meth:`subscribe`), in the watcher's thread: keep callbacks short. Indexes from :meth:`mark`
    let a caller wait only for what happens after a point.
    """

    EVENTS: Final[tuple[str, ...]] = ("ike-updown", "child-updown")

    def __init__(
        self,
        charon: Charon,
        resolve: Callable[[str], Idi | None],
        *,
        max_events: int = 4096,
        ready_timeout_s: float = 5.0,
    ) -> None:
        self._resolve = resolve
        self._charon = charon
        self._max_events = max_events
        self._cond = threading.Condition()
        self._events: list[TunnelEvent] = []
        self._base = 0
        self._callbacks: list[Callable[[TunnelEvent], None]] = []
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self.error: str | None = None
        self._session: ViciSession | None = charon.session(timeout_s=None)
        self._thread = threading.Thread(
            target=self._run, name=f"vici-events-{charon.namespace}", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(ready_timeout_s) or self.error is not None:
            self.stop()
            raise StrongswanError("event watcher", self.error or "registration timed out")

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        session = self._session
        assert session is not None
        try:
            stream = session.listen(list(self.EVENTS), 0.1)
            try:
                for name, message in stream:
                    self._ready.set()  # the first yield comes after registration
                    if self._stopping.is_set():
                        break
                    if name is not None and message is not None:
                        self._dispatch(text(name), message)
            finally:
                with suppress(Exception):
                    stream.close()  # unregisters; fails harmlessly when charon is gone
        except Exception as exc:
            if not self._stopping.is_set():
                self.error = describe(exc)
                # charon stopped under us (e.g. on SIGTERM) is expected; anything else is not
                level = logging.WARNING if self._charon.running else logging.DEBUG
                log.log(level, "event watcher stopped: %s", self.error)
        finally:
            self._ready.set()
            close_session(session)
            self._session = None
            with self._cond:
                self._cond.notify_all()

    def _dispatch(self, event: str, message: ViciMessage) -> None:
        layer: Literal["ike", "child"] = "ike" if event == "ike-updown" else "child"
        kind: Literal["up", "down"] = "up" if message.get("up") == b"yes" else "down"
        for sa_name, body in message.items():
            if sa_name == "up" or not isinstance(body, Mapping):
                continue
            idi = self._resolve(sa_name)
            ev = TunnelEvent(
                kind,
                idi.octets.hex() if idi is not None else "",
                layer,
                sa_name,
                time.monotonic(),
                text(body.get("uniqueid")),
            )
            log.debug("%s-%s %s (IKE_SA %s)", layer, kind, sa_name, ev.ike_id)
            with self._cond:
                self._events.append(ev)
                if len(self._events) > self._max_events:
                    drop = len(self._events) // 2
                    del self._events[:drop]
                    self._base += drop
                self._cond.notify_all()
                callbacks = list(self._callbacks)
            for callback in callbacks:
                try:
                    callback(ev)
                except Exception:
                    log.exception("tunnel event callback failed")

    def subscribe(self, callback: Callable[[TunnelEvent], None]) -> None:
        with self._cond:
            self._callbacks.append(callback)

    def unsubscribe(self, callback: Callable[[TunnelEvent], None]) -> None:
        with self._cond, suppress(ValueError):
            self._callbacks.remove(callback)

    def mark(self) -> int:
        """The index the next event will get."""
        with self._cond:
            return self._base + len(self._events)

    def events(self, after: int = 0) -> list[TunnelEvent]:
        """Events recorded from index ``after`` on (the oldest may have been dropped)."""
        with self._cond:
            return self._events[max(after - self._base, 0) :]

    def wait_for(
        self,
        kind: Literal["up", "down"],
        idi: Idi | None = None,
        *,
        layer: Literal["ike", "child"] | None = None,
        after: int = 0,
        timeout_s: float = 10.0,
    ) -> TunnelEvent | None:
        """The first event from index ``after`` on that matches, waiting up to ``timeout_s``."""
        want = idi.octets.hex() if idi is not None else None
        deadline = time.monotonic() + timeout_s
        with self._cond:
            i = after
            while True:
                start = max(i - self._base, 0)
                for ev in self._events[start:]:
                    if (
                        ev.kind == kind
                        and (want is None or ev.idi_hex == want)
                        and (layer is None or ev.layer == layer)
                    ):
                        return ev
                i = self._base + len(self._events)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return None
                self._cond.wait(remaining)

    def stop(self, timeout_s: float = 3.0) -> None:
        self._stopping.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)
        if self._thread.is_alive():  # stuck in a read: closing the socket ends it
            close_session(self._session)
