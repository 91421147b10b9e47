"""The two ends of the tunnel over VICI: the LWIP-SeGW and the UE, each on its own charon.

* :class:`SegwBackend` is the LWIP-SeGW: per IDi one PSK and one connection that accepts only
  that IDi and gives the UE the eNB's LWIP address and nothing else (R1, R3, R5, R7, R8).
* :class:`UeBackend` is the UE: it runs IKE to the SeGW with the IDi and PSK it was given (R2).
  It gets a virtual IP from the SeGW's pool; the child SA is ``enb_lwip/32`` <-> that IP.

Each holds a command session on its charon, serialised by a lock, and an
:class:`~lwip_enb.real.events.EventWatcher`. A PSK is revealed only to build the one VICI message
that carries it, and no reference to that message is kept; errors are re-raised outside the
``except`` block so that no traceback keeps the frame that held it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Final, Literal, Self, TypeVar

from lwip_enb.errors import InvalidFieldError, StrongswanError
from lwip_enb.keys import Idi, KeyMaterial
from lwip_enb.peers.ike import ESP_PROPOSALS, IKE_PROPOSALS
from lwip_enb.real.daemon import Charon
from lwip_enb.real.events import EventWatcher, TunnelEvent
from lwip_enb.real.host import LOGGER_NAME, check_address
from lwip_enb.real.session import (
    ViciSession,
    close_session,
    decode,
    describe,
    is_command_error,
    text,
)

__all__ = ["CHILD_NAME", "DEFAULT_POOL", "SegwBackend", "UeBackend"]

log = logging.getLogger(LOGGER_NAME)

DEFAULT_POOL: Final = "192.0.2.100-192.0.2.199"  # the UEs' virtual (inner) addresses
CHILD_NAME: Final = "lwip"
_T = TypeVar("_T")


def _host_ts(address: str, field: str) -> str:
    addr = check_address(address, field)
    return f"{addr}/{addr.max_prefixlen}"


def _seconds(value: float) -> str:
    return f"{max(round(value), 1)}s"


def _interrupt_under(exc: BaseException) -> type[BaseException] | None:
    """The KeyboardInterrupt class an exception was raised while handling, if any."""
    seen: set[int] = set()
    cause: BaseException | None = exc.__context__
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return type(cause)
        seen.add(id(cause))
        cause = cause.__context__
    return None


class _Names:
    """Connection (and PSK) names per IDi. Retired names stay resolvable for ``grace_s`` so that
    late events of a removed tunnel still name its IDi."""

    def __init__(self, prefix: str, grace_s: float = 300.0) -> None:
        self._prefix = prefix
        self._grace_s = grace_s
        self._lock = threading.Lock()
        self._by_name: dict[str, tuple[Idi, float | None]] = {}

    def name(self, idi: Idi) -> str:
        digest = hashlib.sha256(idi.strongswan_id().encode()).hexdigest()
        return f"{self._prefix}-{digest[:20]}"

    def register(self, idi: Idi) -> str:
        name = self.name(idi)
        with self._lock:
            self._prune()
            known = self._by_name.get(name)
            if known is not None and known[0] != idi:
                raise StrongswanError("name", f"{name} already names another IDi")
            self._by_name[name] = (idi, None)
        return name

    def is_live(self, idi: Idi) -> bool:
        with self._lock:
            entry = self._by_name.get(self.name(idi))
            return entry is not None and entry[0] == idi and entry[1] is None

    def retire(self, idi: Idi) -> bool:
        """Mark ``idi`` removed; True if it was live."""
        name = self.name(idi)
        with self._lock:
            entry = self._by_name.get(name)
            if entry is None or entry[1] is not None:
                return False
            self._by_name[name] = (entry[0], time.monotonic())
            return True

    def live(self) -> list[Idi]:
        with self._lock:
            return [idi for idi, retired in self._by_name.values() if retired is None]

    def resolve(self, name: str) -> Idi | None:
        with self._lock:
            entry = self._by_name.get(name)
            return entry[0] if entry is not None else None

    def _prune(self) -> None:
        now = time.monotonic()
        for name, (_, retired) in list(self._by_name.items()):
            if retired is not None and now - retired > self._grace_s:
                del self._by_name[name]


class _Backend(ABC):
    """What both ends share: a command session (serialised by a lock), names, an event
    watcher, and closing (:meth:`close`, also on leaving a ``with`` block)."""

    _ROLE: ClassVar[str]  # which end, in log lines

    def __init__(self, charon: Charon, *, name_prefix: str, watch: bool) -> None:
        self.charon = charon
        self._lock = threading.RLock()
        self._names = _Names(name_prefix)
        self._closed = False
        self._session: ViciSession | None = charon.session()
        self.watcher: EventWatcher | None = None
        try:
            if watch:
                self.watcher = EventWatcher(charon, self._names.resolve)
        except BaseException:
            self._close()
            raise

    def _request(self, what: str, call: Callable[[ViciSession], _T]) -> _T:
        """Run ``call`` on the command session. Any failure becomes a StrongswanError raised
        outside the ``except`` block, so no traceback keeps the frames of the call (which may
        have held a PSK)."""
        failure: str | None = None
        command_failed = False
        interrupted: type[BaseException] | None = None
        with self._lock:
            try:
                return call(self._command_session(what))
            except StrongswanError:
                raise
            except Exception as exc:
                failure, command_failed = describe(exc), is_command_error(exc)
                interrupted = _interrupt_under(exc)
                if not command_failed:
                    self._drop_session()
        if interrupted is not None:
            # vici's clean-up (a ``finally`` that talks to a charon stopped by our SIGINT
            # handler) replaced the interrupt with a transport error: the interrupt wins.
            raise interrupted
        raise StrongswanError(what, failure, command_failed=command_failed)

    def _command_session(self, what: str) -> ViciSession:
        """The command session; a new one after a transport failure left none (call with the
        lock held)."""
        if self._closed:
            raise StrongswanError(what, "backend closed")
        if self._session is None:
            self._session = self.charon.session()
        return self._session

    def _drop_session(self) -> None:
        """After a transport failure the session may be out of step with charon: drop it."""
        close_session(self._session)
        self._session = None

    def _request_ok(self, what: str, call: Callable[[ViciSession], object]) -> bool:
        """Like :meth:`_request`; False (not an error) when charon refuses, e.g. when there is
        nothing to unload or terminate."""
        try:
            self._request(what, call)
        except StrongswanError as exc:
            if not exc.command_failed:
                raise
            log.debug("%s: %s", what, exc.detail)
            return False
        return True

    def _load_psk(self, name: str, idi: Idi, psk: KeyMaterial) -> None:
        if not isinstance(psk, KeyMaterial) or psk.wiped or len(psk) == 0:
            raise InvalidFieldError("psk", "must be live KeyMaterial")
        owner = idi.strongswan_id()
        # The revealed bytes live only in this temporary message (vici needs ``bytes``).
        self._request(
            "load-shared",
            lambda s: s.load_shared(
                {"id": name, "type": "IKE", "data": psk.reveal(), "owners": [owner]}
            ),
        )

    def _terminate(self, what: str, sa: Mapping[str, Any], timeout_s: float) -> bool:
        message = {**sa, "force": "yes", "timeout": int(timeout_s * 1000), "loglevel": 0}
        return self._request_ok(what, lambda s: list(s.terminate(message)))

    def _unload(self, name: str) -> bool:
        """Unload connection ``name`` and its shared key; True if charon had the connection."""
        conn_gone = self._request_ok("unload-conn", lambda s: s.unload_conn({"name": name}))
        self._request_ok("unload-shared", lambda s: s.unload_shared({"id": name}))
        return conn_gone

    # ---- inspection ------------------------------------------------------------------------

    def conn_name(self, idi: Idi) -> str:
        """The name of ``idi``'s connection, IKE_SA and shared key in charon."""
        return self._names.name(idi)

    def sas(self) -> list[dict[str, Any]]:
        """The IKE_SAs (list-sas), values decoded to str; each has its config ``name``."""
        raw = self._request("list-sas", lambda s: list(s.list_sas()))
        out: list[dict[str, Any]] = []
        for entry in raw:
            for name, body in entry.items():
                out.append({"name": name, **decode(body)})
        return out

    def _sas_of(self, name: str) -> list[dict[str, Any]]:
        return [sa for sa in self.sas() if sa["name"] == name]

    @staticmethod
    def _established(sas: Iterable[Mapping[str, Any]]) -> bool:
        for sa in sas:
            children = sa.get("child-sas") or {}
            if sa.get("state") == "ESTABLISHED" and any(
                c.get("state") == "INSTALLED" for c in children.values()
            ):
                return True
        return False

    def shared_ids(self) -> set[str]:
        """Identifiers of the shared keys loaded over VICI (get-shared)."""
        reply = self._request("get-shared", lambda s: s.get_shared())
        return {text(k) for k in reply.get("keys", [])}

    def conn_names(self) -> set[str]:
        """Names of the connections loaded over VICI (get-conns)."""
        reply = self._request("get-conns", lambda s: s.get_conns())
        return {text(c) for c in reply.get("conns", [])}

    # ---- events ------------------------------------------------------------------------------

    def _watcher(self) -> EventWatcher:
        if self.watcher is None:
            raise StrongswanError("events", "backend made with watch=False")
        return self.watcher

    def subscribe(self, callback: Callable[[TunnelEvent], None]) -> None:
        """Call ``callback(event)`` for every tunnel event (in the watcher thread)."""
        self._watcher().subscribe(callback)

    def events(self, after: int = 0) -> list[TunnelEvent]:
        return self._watcher().events(after)

    def event_mark(self) -> int:
        return self._watcher().mark()

    def wait_event(
        self,
        kind: Literal["up", "down"],
        idi: Idi | None = None,
        *,
        layer: Literal["ike", "child"] | None = None,
        after: int = 0,
        timeout_s: float = 10.0,
    ) -> TunnelEvent | None:
        return self._watcher().wait_for(kind, idi, layer=layer, after=after, timeout_s=timeout_s)

    # ---- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release what this end loaded into charon (:meth:`_release`), then stop the watcher
        and drop the session; best effort when charon is gone. Idempotent."""
        if self._closed:
            return
        if not self.charon.running:  # stopped already (e.g. on SIGTERM): nothing to release
            self._close()
            return
        try:
            self._release()
        except StrongswanError as exc:
            log.warning("%s close: %s", self._ROLE, exc)
        finally:
            self._close()

    @abstractmethod
    def _release(self) -> None:
        """Unload what this end put into charon (the first step of :meth:`close`)."""

    def _close(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        with self._lock:
            self._closed = True
            self._drop_session()


class SegwBackend(_Backend):
    """The LWIP-SeGW on a charon: one PSK and one connection per IDi.

    :meth:`add` is what the SeGW does on LWIP ADDITION REQUEST (the IKE window opens),
    :meth:`remove` what it does on any release and on IKE window expiry (R4, R5). Tunnel
    events (``("up"|"down", idi_hex)``) come from :meth:`subscribe` / :meth:`wait_event`.
    """

    _ROLE = "SeGW"

    def __init__(
        self,
        charon: Charon,
        *,
        wlan_address: str,
        pool: str = DEFAULT_POOL,
        pool_name: str = "lwip-vips",
        local_id: str | None = None,
        dpd_delay_s: float = 2.0,
        ike_proposals: Sequence[str] = IKE_PROPOSALS,
        esp_proposals: Sequence[str] = ESP_PROPOSALS,
        terminate_timeout_s: float = 2.0,
        watch: bool = True,
    ) -> None:
        self.wlan_address = str(check_address(wlan_address, "wlan_address"))
        self.local_id = local_id or self.wlan_address
        self.pool = pool
        self.pool_name = pool_name
        self.dpd_delay_s = dpd_delay_s
        self.ike_proposals = tuple(ike_proposals)
        self.esp_proposals = tuple(esp_proposals)
        self.terminate_timeout_s = terminate_timeout_s
        super().__init__(charon, name_prefix="lwip", watch=watch)
        try:
            self._request("load-pool", lambda s: s.load_pool({pool_name: {"addrs": pool}}))
        except BaseException:
            self._close()
            raise

    def __repr__(self) -> str:
        live = len(self._names.live())
        return f"<SegwBackend {self.charon.namespace} {self.wlan_address} idis={live}>"

    def idis(self) -> list[Idi]:
        """The IDis added and not removed."""
        return self._names.live()

    def add(self, idi: Idi, psk: KeyMaterial, enb_lwip: str) -> None:
        """Accept IKE from ``idi`` authenticated with ``psk`` (R1, R3); its CHILD_SA reaches
        ``enb_lwip``/32 only (R7), with the TS 33.210 proposals only (R8).

        An IDi names one PSK: adding one that is already there raises (remove it first)."""
        local_ts = _host_ts(enb_lwip, "enb_lwip")
        if self._names.is_live(idi):
            raise StrongswanError("add", f"IDi {idi} is already added")
        name = self._names.register(idi)
        conn = {
            name: {
                "version": "2",
                "local_addrs": [self.wlan_address],
                "proposals": list(self.ike_proposals),
                "pools": [self.pool_name],
                "dpd_delay": _seconds(self.dpd_delay_s),
                "mobike": "no",
                "unique": "replace",
                "send_certreq": "no",
                "local": {"auth": "psk", "id": self.local_id},
                "remote": {"auth": "psk", "id": idi.strongswan_id()},
                "children": {
                    CHILD_NAME: {
                        "local_ts": [local_ts],
                        "remote_ts": ["dynamic"],
                        "esp_proposals": list(self.esp_proposals),
                        "mode": "tunnel",
                        "dpd_action": "clear",
                    }
                },
            }
        }
        try:
            self._load_psk(name, idi, psk)
            self._request("load-conn", lambda s: s.load_conn(conn))
        except BaseException:
            self._unload(name)
            self._names.retire(idi)
            raise
        log.info("SeGW: IDi %s accepted (conn %s, local TS %s)", idi, name, local_ts)

    def remove(self, idi: Idi) -> bool:
        """Forget ``idi``: its connection and PSK are unloaded and its IKE_SAs terminated (R4,
        R5). True if anything of it was there. Idempotent."""
        name = self._names.name(idi)
        was_live = self._names.retire(idi)
        before = self._sas_of(name)
        had_psk = name in self.shared_ids()  # unload-shared succeeds for unknown ids too
        conn_gone = self._unload(name)
        # Unloaded first so that no new IKE_SA can authenticate in between; then terminated.
        for _ in range(3):
            sas = self._sas_of(name)
            if not sas:
                break
            for sa in sas:
                self._terminate("terminate", {"ike-id": sa["uniqueid"]}, self.terminate_timeout_s)
        else:
            raise StrongswanError("remove", f"IKE_SAs of {name} survived termination")
        log.info("SeGW: IDi %s removed (had %d IKE_SA(s))", idi, len(before))
        if name in self.shared_ids():
            raise StrongswanError("remove", f"shared key {name} survived unload-shared")
        return was_live or conn_gone or had_psk or bool(before)

    def remove_all(self) -> None:
        for idi in self._names.live():
            self.remove(idi)

    def has_psk(self, idi: Idi) -> bool:
        return self.conn_name(idi) in self.shared_ids()

    def tunnel_up(self, idi: Idi) -> bool:
        """An established IKE_SA of ``idi`` with an installed CHILD_SA."""
        return self._established(self._sas_of(self.conn_name(idi)))

    def _release(self) -> None:
        """Remove every IDi and unload the pool."""
        self.remove_all()
        self._request_ok("unload-pool", lambda s: s.unload_pool({"name": self.pool_name}))


class UeBackend(_Backend):
    """The UE on a charon: one LWIP tunnel at a time to the SeGW it was told (R2).

    It asks for everything (``remote_ts`` 0.0.0.0/0) and gets what the SeGW grants: the eNB's
    LWIP address only (R7)."""

    _ROLE = "UE"

    def __init__(
        self,
        charon: Charon,
        *,
        wlan_address: str,
        segw_address: str | None = None,
        dpd_delay_s: float = 2.0,
        ike_proposals: Sequence[str] = IKE_PROPOSALS,
        esp_proposals: Sequence[str] = ESP_PROPOSALS,
        remote_ts: Sequence[str] = ("0.0.0.0/0",),
        initiate_timeout_s: float = 10.0,
        terminate_timeout_s: float = 2.0,
        watch: bool = True,
    ) -> None:
        self.wlan_address = str(check_address(wlan_address, "wlan_address"))
        self.segw_address = (
            str(check_address(segw_address, "segw_address")) if segw_address is not None else None
        )
        self.dpd_delay_s = dpd_delay_s
        self.ike_proposals = tuple(ike_proposals)
        self.esp_proposals = tuple(esp_proposals)
        self.remote_ts = tuple(remote_ts)
        self.initiate_timeout_s = initiate_timeout_s
        self.terminate_timeout_s = terminate_timeout_s
        self.last_failure: str | None = None
        self.last_log: tuple[str, ...] = ()
        self._idi: Idi | None = None
        super().__init__(charon, name_prefix="lwip-ue", watch=watch)

    def __repr__(self) -> str:
        return f"<UeBackend {self.charon.namespace} {self.wlan_address} idi={self._idi}>"

    @property
    def idi(self) -> Idi | None:
        """The IDi of the loaded connection, if any."""
        return self._idi

    def connect(
        self,
        segw_address: str | None,
        idi: Idi,
        psk: KeyMaterial,
        *,
        ike_proposals: Sequence[str] | None = None,
        esp_proposals: Sequence[str] | None = None,
    ) -> bool:
        """Run IKE to ``segw_address`` (default: the constructor's) as ``idi`` with ``psk``,
        offering ``ike_proposals`` / ``esp_proposals`` (default: the constructor's).

        True when the tunnel is up. False when IKE failed: :attr:`last_failure` says why (e.g.
        ``AUTHENTICATION_FAILED``, ``NO_PROPOSAL_CHOSEN``), :attr:`last_log` has charon's
        control log, and nothing of this attempt stays loaded. A previous connection is released
        first."""
        segw = segw_address if segw_address is not None else self.segw_address
        if segw is None:
            raise InvalidFieldError("segw_address", "no SeGW address given")
        segw = str(check_address(segw, "segw_address"))
        self.disconnect()
        self.last_failure, self.last_log = None, ()
        name = self._names.register(idi)
        self._idi = idi
        conn = {
            name: {
                "version": "2",
                "local_addrs": [self.wlan_address],
                "remote_addrs": [segw],
                "proposals": list(ike_proposals or self.ike_proposals),
                "vips": ["0.0.0.0"],
                "dpd_delay": _seconds(self.dpd_delay_s),
                "mobike": "no",
                "keyingtries": "1",
                "send_certreq": "no",
                "local": {"auth": "psk", "id": idi.strongswan_id()},
                "remote": {"auth": "psk", "id": "%any"},
                "children": {
                    CHILD_NAME: {
                        "remote_ts": list(self.remote_ts),
                        "esp_proposals": list(esp_proposals or self.esp_proposals),
                        "mode": "tunnel",
                        "dpd_action": "clear",
                    }
                },
            }
        }
        try:
            self._load_psk(name, idi, psk)
            self._request("load-conn", lambda s: s.load_conn(conn))
            lines, failure = self._initiate(name)
        except BaseException:
            self.disconnect()
            raise
        self.last_log = tuple(lines)
        if failure is None:
            log.info("UE: tunnel up to %s as %s", segw, idi)
            return True
        self.last_failure = _failure_reason(lines, failure)
        log.info("UE: IKE to %s as %s failed: %s", segw, idi, self.last_failure)
        self.disconnect()
        return False

    def _initiate(self, name: str) -> tuple[list[str], str | None]:
        message = {
            "ike": name,
            "child": CHILD_NAME,
            "timeout": int(self.initiate_timeout_s * 1000),
            "init-limits": "no",
            "loglevel": 1,
        }
        lines: list[str] = []  # charon's log of the attempt, kept also when it fails

        def initiate(session: ViciSession) -> None:
            for entry in session.initiate(message):
                lines.append(text(entry.get("msg")))

        try:
            self._request("initiate", initiate)
        except StrongswanError as exc:
            if not exc.command_failed:
                raise
            return lines, exc.detail
        return lines, None

    def disconnect(self) -> None:
        """Terminate the tunnel and unload its PSK and connection (R5). Idempotent."""
        idi, self._idi = self._idi, None
        if idi is None:
            return
        name = self._names.name(idi)
        if self._sas_of(name):
            self._terminate("terminate", {"ike": name}, self.terminate_timeout_s)
        self._unload(name)
        self._names.retire(idi)

    def tunnel_up(self) -> bool:
        return self._idi is not None and self._established(
            self._sas_of(self._names.name(self._idi))
        )

    def virtual_ip(self) -> str | None:
        """The inner address the SeGW gave this UE, while the IKE_SA lives."""
        if self._idi is None:
            return None
        for sa in self._sas_of(self._names.name(self._idi)):
            vips = sa.get("local-vips") or []
            if vips:
                return str(vips[0])
        return None

    def _release(self) -> None:
        """Release the tunnel, if any."""
        self.disconnect()


_NOTIFY = re.compile(r"received (\w+) notify")
_GAVE_UP = re.compile(r"giving up after \d+ retransmits|peer not responding")


def _failure_reason(lines: Sequence[str], failure: str) -> str:
    """The IKE failure in one word where charon said one (the notify), else its message."""
    for line in lines:
        m = _NOTIFY.search(line)
        if m:
            return m.group(1)
    if any(_GAVE_UP.search(line) for line in lines):
        return "NO_RESPONSE"
    return failure
