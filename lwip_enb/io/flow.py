"""Flow control of the asyncio runtimes: the event queue a user reads, and the send queue of each
association.

Both exist so that nothing is lost silently and no peer can hold up another:

- :class:`EventQueue` keeps every event unless the user chose a bound (:class:`EventPolicy`); a
  bounded queue blocks its producers, drops the oldest event or marks a gap that the reader trips
  over, and counts and logs every loss.
- :class:`Outbox` holds the PDUs for one association and sends them in order from a task of its
  own, so the node's inputs (and its lock-free core) never wait on a peer's socket. Callers
  that create work wait while the queue is deep (:class:`SendPolicy`): backpressure toward the
  source of the load, never between the two runtimes' receive paths, which would deadlock.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Callable
from typing import Generic, Literal, TypeAlias, TypeVar

import attrs

from lwip_enb.errors import AssociationLost, EventQueueEmpty, EventsLost, InvalidFieldError
from lwip_enb.io.transport import Association

__all__ = ["EventPolicy", "EventQueue", "OnFull", "Outbox", "SendPolicy"]

log = logging.getLogger("lwip_enb.runtime")

T = TypeVar("T")
OnFull: TypeAlias = Literal["block", "drop-oldest", "error"]
_ON_FULL: tuple[OnFull, ...] = ("block", "drop-oldest", "error")


def _positive_or_none(
    instance: object, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None and value < 1:
        raise InvalidFieldError(attribute.name, "must be at least 1 (or None for no bound)")


def _one_of_on_full(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _ON_FULL:
        raise InvalidFieldError("on_full", f"one of {', '.join(_ON_FULL)}, not {value!r}")


@attrs.frozen(slots=True)
class EventPolicy:
    """How many unread events a runtime keeps, and what happens when that many are waiting.

    ``queue_size=None`` (the default) keeps every event: nothing is dropped, ever, and memory
    grows with what is left unread. An activation makes six events of about 80 octets each
    with their own fields (measured over 5,000 activations in memory), so 100,000 unread
    activations hold roughly 50 MB. Read the queue, or choose a bound:

    - ``"block"``: an input that produced events waits until the reader has made room. The events
      of inputs already under way are queued all the same (the queue may briefly hold more than
      ``queue_size``); none is dropped. Read events in a task of their own: a reader that waits
      for the runtime while the runtime waits for it never wakes.
    - ``"drop-oldest"``: the oldest unread event makes room; each loss is counted
      (:attr:`EventQueue.dropped`) and logged at WARNING (at 1, 2, 4, 8, ... losses).
    - ``"error"``: the new event is not queued; the loss is counted and logged at ERROR, and the
      reader's ``get()`` raises :class:`~lwip_enb.errors.EventsLost` where the gap is.
    """

    queue_size: int | None = attrs.field(default=None, validator=_positive_or_none)
    on_full: OnFull = attrs.field(default="block", validator=_one_of_on_full)


class _Gap:
    """Where events were dropped under ``on_full="error"``; the reader raises here."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class EventQueue(Generic[T]):
    """A runtime's events, in order; read with the reading half of :class:`asyncio.Queue`
    (``get``, ``get_nowait``, ``empty``, ``qsize``) or ``async for``. See :class:`EventPolicy`."""

    def __init__(self, policy: EventPolicy | None = None, *, name: str = "events") -> None:
        self.policy = policy or EventPolicy()
        self.name = name
        self.dropped = 0  # events lost to the policy, in total
        self._items: collections.deque[T | _Gap] = collections.deque()
        self._unread = 0  # events in _items (gap markers take no room)
        self._nonempty = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._hold = True  # do blocking producers wait? (not while their runtime stops)

    # ---- the reader's side ----------------------------------------------------------------

    def qsize(self) -> int:
        """Unread events."""
        return self._unread

    def empty(self) -> bool:
        return not self._items

    def get_nowait(self) -> T:
        """The oldest unread event; :class:`asyncio.QueueEmpty` when there is none
        (:class:`~lwip_enb.errors.EventQueueEmpty`), and
        :class:`~lwip_enb.errors.EventsLost` where events were dropped (``on_full="error"``)."""
        if not self._items:
            raise EventQueueEmpty("no event queued")
        item = self._items.popleft()
        if isinstance(item, _Gap):
            raise EventsLost(item.count)
        self._unread -= 1
        size = self.policy.queue_size
        if size is None or self._unread < size:
            self._room.set()
        return item

    async def get(self) -> T:
        while not self._items:
            self._nonempty.clear()
            await self._nonempty.wait()
        return self.get_nowait()

    def __aiter__(self) -> EventQueue[T]:
        return self

    async def __anext__(self) -> T:
        return await self.get()

    # ---- the runtime's side ---------------------------------------------------------------

    @property
    def blocking(self) -> bool:
        """Do producers wait for room (``on_full="block"`` with a bound)?"""
        return self._hold and self.policy.queue_size is not None and self.policy.on_full == "block"

    def hold_producers(self, hold: bool) -> None:
        """A stopping runtime sets False: its last events are queued past the bound instead of
        waiting for a reader that may be gone (nothing is dropped either way)."""
        self._hold = hold
        if not hold:
            self._room.set()

    def put(self, item: T) -> None:
        """Queue ``item`` under the policy; never waits (a blocking producer calls
        :meth:`wait_room` afterwards)."""
        size = self.policy.queue_size
        if size is not None and self._unread >= size:
            if self.policy.on_full == "drop-oldest":
                self._items.popleft()  # never a gap: those exist only under "error"
                self._unread -= 1
                self._lost(item)
            elif self.policy.on_full == "error":
                last = self._items[-1] if self._items else None
                if not isinstance(last, _Gap):
                    last = _Gap()
                    self._items.append(last)
                    self._nonempty.set()
                last.count += 1
                self._lost(item)
                return
        self._items.append(item)
        self._unread += 1
        self._nonempty.set()
        if size is not None and self._unread >= size:
            self._room.clear()

    async def wait_room(self) -> None:
        """Until fewer than ``queue_size`` events are unread (no wait without a bound)."""
        size = self.policy.queue_size
        while self._hold and size is not None and self._unread >= size:
            self._room.clear()
            await self._room.wait()

    def _lost(self, item: object) -> None:
        self.dropped += 1
        n = self.dropped
        if n & (n - 1) == 0:  # 1, 2, 4, 8, ...: every loss counted, the log grows with its log
            level = logging.ERROR if self.policy.on_full == "error" else logging.WARNING
            log.log(
                level,
                "%s: queue full (%d unread, on_full=%s): %d event(s) dropped so far, latest %s",
                self.name,
                self.policy.queue_size,
                self.policy.on_full,
                n,
                type(item).__name__,
            )


def _at_least_one(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise InvalidFieldError(attribute.name, "must be at least 1")


def _positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise InvalidFieldError(attribute.name, "must be positive")


@attrs.frozen(slots=True)
class SendPolicy:
    """Flow control toward each peer (one send queue per association).

    ``high_water``: a caller command (``activate``, ``deactivate``, ...) that queued a PDU for a
    peer returns only once that peer's queue is back to this many PDUs: backpressure on whoever
    makes the load. Inputs from the network and the timers never wait, so the two ends of an
    association cannot wait on each other.

    ``stall_after``: a peer that has accepted nothing for this long is *stalled*: reported
    (WARNING and a status event), and callers stop waiting for it, so a dead peer holds up
    nothing else; guard timers decide the fate of what is queued for it.

    ``limit``: more PDUs than this queued for one peer and its association is aborted (ERROR and a
    status event) and handled as lost: every UE on it is released locally and the runtime
    reconnects. This bounds memory at about ``limit`` x 250 octets per peer (16 MB by default;
    an estimate: a queued PDU is a tuple of its octets, 20 to 140 of them, and its stream).
    """

    high_water: int = attrs.field(default=1024, validator=_at_least_one)
    stall_after: float = attrs.field(default=5.0, validator=_positive)
    limit: int = attrs.field(default=65536, validator=_at_least_one)


#: What an outbox reports to its owner: "stalled", "resumed", "overflow" or "failed".
OutboxReport: TypeAlias = Callable[["Outbox", str, str], None]


class Outbox:
    """The PDUs waiting for one association, sent in order by a task of their own.

    ``put`` never waits; the sender task awaits the transport. The owner is told through
    ``report`` when the peer stalls or resumes, when the queue passes ``policy.limit``, and when
    sending failed (the association is then unusable and everything still queued is counted as
    unsent).
    """

    def __init__(
        self, peer: str, assoc: Association, policy: SendPolicy, report: OutboxReport
    ) -> None:
        self.peer = peer
        self.assoc = assoc
        self.policy = policy
        self.sent = 0
        self.unsent = 0  # PDUs that were still queued when the outbox closed
        self.stalled = False
        self.closed = False
        self._report = report
        self._loop = asyncio.get_running_loop()
        self._queue: collections.deque[tuple[bytes, int]] = collections.deque()
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()  # set after each send and when the outbox closes
        self._busy_since: float | None = None  # when the send under way began
        self._overflowed = False
        self.task = asyncio.create_task(self._run(), name=f"lwip-send-{peer}")

    def __len__(self) -> int:
        return len(self._queue)

    def put(self, pdu: bytes, stream: int) -> bool:
        """Queue one PDU; False when the outbox is closed (the PDU is not sent)."""
        if self.closed:
            return False
        self._queue.append((pdu, stream))
        self._wake.set()
        if len(self._queue) > self.policy.limit and not self._overflowed:
            self._overflowed = True
            self._report(
                self,
                "overflow",
                f"{len(self._queue)} PDUs queued for {self.peer} (limit {self.policy.limit})",
            )
        elif self._busy_since is not None:
            self._check_stall()
        return True

    def close(self) -> int:
        """Stop sending; returns how many PDUs were still queued (now counted as unsent)."""
        if not self.closed:
            self.closed = True
            self.unsent += len(self._queue)
            self._queue.clear()
            self._progress.set()
            self.task.cancel()
        return self.unsent

    async def wait_drained(self, target: int) -> None:
        """Until at most ``target`` PDUs are queued, or the outbox is closed, or the peer is
        stalled (a stalled peer holds up nobody)."""
        while len(self._queue) > target and not self.closed:
            if self._check_stall():
                return
            busy = self._busy_since
            left = self.policy.stall_after
            if busy is not None:
                left = busy + self.policy.stall_after - self._loop.time()
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(left, 0.0)):
                    await self._progress.wait()

    async def wait_room(self) -> None:
        """Backpressure for callers: until the queue is at ``policy.high_water`` or below."""
        await self.wait_drained(self.policy.high_water)

    def _check_stall(self) -> bool:
        if self.stalled:
            return True
        busy = self._busy_since
        if busy is not None and self._loop.time() - busy >= self.policy.stall_after:
            self.stalled = True
            self._report(
                self,
                "stalled",
                f"{len(self._queue)} PDUs queued for {self.peer}, none accepted for "
                f"{self._loop.time() - busy:.1f} s",
            )
        return self.stalled

    async def _run(self) -> None:
        try:
            while True:
                if not self._queue:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                pdu, stream = self._queue[0]
                self._busy_since = self._loop.time()
                await self.assoc.send(pdu, stream=stream)
                self._busy_since = None
                if self._queue:  # only now: wait_drained(0) means "all sent"
                    self._queue.popleft()
                self.sent += 1
                self._progress.set()
                if self.stalled:
                    self.stalled = False
                    self._report(self, "resumed", f"{self.peer} accepts PDUs again")
        except AssociationLost as exc:
            self._failed(f"association lost while sending: {exc}")
        except Exception as exc:  # a transport's bug: the association cannot be trusted
            log.error("sending to %s failed: %r", self.peer, exc, exc_info=True)
            self._failed(f"transport error while sending: {exc!r}")

    def _failed(self, reason: str) -> None:
        self._busy_since = None
        self.closed = True
        self.unsent += len(self._queue)
        self._queue.clear()
        self._progress.set()
        self._report(self, "failed", reason)
