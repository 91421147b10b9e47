"""strongSwan edge of LWIP: real IKEv2 and ESP between a UE and an LWIP-SeGW.

This module does I/O (subprocesses, sockets, a thread per event watcher); the protocol core of
the library stays sans-IO. It drives Debian's strongSwan 5.9 ``charon`` over VICI:

* :func:`available` says whether this machine can run it, and names what is missing.
* :class:`Topology` builds three network namespaces: UE, SeGW and eNB, with the WLAN between UE
  and SeGW and a LAN between SeGW and eNB. R6 is enforced on the SeGW with nftables: nothing is
  forwarded in clear from or to the WLAN, and the SeGW itself accepts only IKE and ESP there.
* :class:`Charon` runs one charon in one namespace, with its own directory, strongswan.conf, log
  file and VICI socket.
* :class:`SegwBackend` is the LWIP-SeGW: per IDi one PSK and one connection that accepts only
  that IDi and gives the UE the eNB's LWIP address and nothing else (R1, R3, R5, R7, R8).
* :class:`UeBackend` is the UE: it runs IKE to the SeGW with the IDi and PSK it was given (R2).

Recipe (strongSwan 5.9.8, userspace ESP with kernel-libipsec, so no XFRM is needed):

* plugins are loaded explicitly, in this order: ``random nonce openssl kdf kernel-libipsec
  kernel-netlink socket-default vici`` (kernel-libipsec before kernel-netlink; kdf is required);
* charon hard-codes its pid file under ``/run``, so each instance runs in a private mount
  namespace with its own directory bind-mounted on ``/run``;
* kernel-libipsec of 5.9.8 installs a CHILD_SA only if the SeGW owns an address inside its local
  traffic selector (fixed upstream in 5.9.12). :class:`Topology` gives the SeGW the eNB's LWIP
  address on ``lo`` and neutralises it for forwarding (see :meth:`Topology.add_segw_local_ts`);
* the UE gets a virtual IP from the SeGW's pool; the child SA is ``enb_lwip/32`` <-> that IP.

Key material: a PSK is revealed only to build the one VICI message that carries it, and no
reference to that message is kept; errors are re-raised outside the ``except`` block so that no
traceback keeps the frame that held it; charon never logs above level 3 (level 4 logs keys).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import ipaddress
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, NamedTuple, Protocol, TypeAlias, TypeVar

from lwip_enb.errors import InvalidFieldError, StrongswanError
from lwip_enb.keys import Idi, KeyMaterial
from lwip_enb.peers.ike import ESP_PROPOSALS, IKE_PROPOSALS

__all__ = [
    "CHARON_PATH",
    "DEFAULT_POOL",
    "PLUGINS",
    "Charon",
    "EventWatcher",
    "SegwBackend",
    "StrongswanError",
    "Topology",
    "TunnelEvent",
    "UeBackend",
    "ViciSession",
    "available",
    "render_strongswan_conf",
]

log = logging.getLogger("lwip_enb.strongswan")

CHARON_PATH: Final = Path("/usr/lib/ipsec/charon")
PLUGIN_DIR: Final = Path("/usr/lib/ipsec/plugins")
#: charon's plugins, in load order (= priority): kernel-libipsec must come before kernel-netlink.
PLUGINS: Final[tuple[str, ...]] = (
    "random",
    "nonce",
    "openssl",
    "kdf",
    "kernel-libipsec",
    "kernel-netlink",
    "socket-default",
    "vici",
)
TOOLS: Final[tuple[str, ...]] = ("ip", "nft", "unshare", "mount", "sh", "ping")
TUN_DEVICE: Final = Path("/dev/net/tun")
ROUTING_TABLE: Final = 220  # charon's policy routing table (kernel-libipsec routes to its TUN)
DEFAULT_POOL: Final = "192.0.2.100-192.0.2.199"  # the UEs' virtual (inner) addresses
CHILD_NAME: Final = "lwip"
NFT_TABLE: Final = "lwip_r6"
MAX_LOG_LEVEL: Final = 3  # charon level 4 dumps key material
DEFAULT_LOG_LEVELS: Final[Mapping[str, int]] = {"default": 1, "cfg": 2, "ike": 2, "knl": 1}
_UNIX_PATH_MAX: Final = 107
_T = TypeVar("_T")

#: The tools live in /usr/sbin; a minimal PATH (some CI shells) may not have it.
_SEARCH_PATH: Final = os.pathsep.join(
    [os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]
)

ViciMessage: TypeAlias = Mapping[str, Any]
Role: TypeAlias = Literal["ue", "segw", "enb"]
ROLES: Final[tuple[Role, ...]] = ("ue", "segw", "enb")


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


# --- availability ----------------------------------------------------------------------------


def available() -> tuple[bool, str]:
    """Can this process run charon in network namespaces? ``(ok, reason)``; the reason names
    everything that is missing (``.ci/strongswan-deps`` installs the packages)."""
    missing: list[str] = []
    if os.geteuid() != 0:
        missing.append("root privileges")
    if not os.access(CHARON_PATH, os.X_OK):
        missing.append(f"{CHARON_PATH} (apt: strongswan-charon)")
    for plugin in PLUGINS:
        path = PLUGIN_DIR / f"libstrongswan-{plugin}.so"
        if not path.exists():
            missing.append(f"charon plugin {plugin} ({path})")
    for tool in TOOLS:
        if shutil.which(tool, path=_SEARCH_PATH) is None:
            missing.append(f"command {tool!r}")
    if not TUN_DEVICE.exists():
        missing.append(f"{TUN_DEVICE} (kernel-libipsec needs TUN)")
    if importlib.util.find_spec("vici") is None:
        missing.append("Python package vici (pip: vici==6.0.3)")
    if missing:
        return False, "strongSwan backend unavailable, missing: " + "; ".join(missing)
    return True, "strongSwan charon with kernel-libipsec in network namespaces"


# --- helpers ---------------------------------------------------------------------------------


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _decode(value: object) -> Any:
    """VICI values (bytes, lists, OrderedDicts) as str, list and dict."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Mapping):
        return {str(k): _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    if name == "CommandException":
        return text.removeprefix("Command failed: ")[:500]
    return f"{name}: {text}"[:500]


def _is_command_error(exc: BaseException) -> bool:
    return type(exc).__name__ == "CommandException"


def _address(value: str, field: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        raise InvalidFieldError(field, f"not an IP address: {value!r}") from None


def _host_ts(address: str, field: str) -> str:
    addr = _address(address, field)
    return f"{addr}/{addr.max_prefixlen}"


def _seconds(value: float) -> str:
    return f"{max(round(value), 1)}s"


def _close_session(session: ViciSession | None) -> None:
    transport = getattr(session, "transport", None)
    if transport is not None:
        with suppress(OSError):
            transport.close()


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": _SEARCH_PATH, **extra}


def _vici_module() -> Any:
    return importlib.import_module("vici")


# --- topology --------------------------------------------------------------------------------


class Topology:
    """Three network namespaces: the UE and the SeGW on a WLAN veth, the SeGW and the eNB on a
    LAN veth. Everything is removed by :meth:`close` (or leaving the ``with`` block), also after
    a failed setup.

    ====== ================================= ==========================================
    node   addresses                         notes
    ====== ================================= ==========================================
    UE     ``ue_wlan`` 203.0.113.2/24        route to 198.51.100.0/24 via the SeGW, so
                                             that traffic outside the tunnel is really
                                             offered to the SeGW in clear (where R6 drops
                                             it)
    SeGW   ``segw_wlan`` 203.0.113.1/24,     forwards; nft table ``lwip_r6`` (R6);
           ``segw_lan`` 198.51.100.254/24    kernel-libipsec workaround for ``enb_lwip``
    eNB    ``enb_lwip`` 198.51.100.1/24,     default route via the SeGW; ``enb_other`` is
           ``enb_other`` 198.51.100.2/24     an eNB address the tunnel must not reach (R7)
    ====== ================================= ==========================================

    The tunnel policy is the LWIP address only, all protocols and ports (``enb_lwip/32``).
    """

    def __init__(
        self,
        *,
        enb_lwip: str = "198.51.100.1",
        enb_other: str = "198.51.100.2",
        prefix: str | None = None,
    ) -> None:
        self.prefix = prefix or "lw" + secrets.token_hex(3)
        if not re.fullmatch(r"[a-z][a-z0-9]{0,10}", self.prefix):
            raise InvalidFieldError("prefix", "1..11 lowercase letters and digits")
        lan = ipaddress.ip_network("198.51.100.0/24")
        self.ue_wlan = "203.0.113.2"
        self.segw_wlan = "203.0.113.1"
        self.segw_lan = "198.51.100.254"
        self.lan_prefix = 24
        for field, value in (("enb_lwip", enb_lwip), ("enb_other", enb_other)):
            if _address(value, field) not in lan or value == self.segw_lan:
                raise InvalidFieldError(field, f"must be a host of {lan} other than the SeGW's")
        if enb_lwip == enb_other:
            raise InvalidFieldError("enb_other", "must differ from enb_lwip")
        self.enb_lwip = str(ipaddress.ip_address(enb_lwip))
        self.enb_other = str(ipaddress.ip_address(enb_other))
        p = self.prefix
        self.namespaces: dict[Role, str] = {"ue": p + "ue", "segw": p + "gw", "enb": p + "enb"}
        self.if_ue_wlan = p + "u0"
        self.if_segw_wlan = p + "g0"
        self.if_segw_lan = p + "g1"
        self.if_enb_lan = p + "e0"
        self._created: list[str] = []
        self._local_ts: list[str] = []

    def __repr__(self) -> str:
        return (
            f"<Topology {self.prefix} ue={self.ue_wlan} segw={self.segw_wlan} enb={self.enb_lwip}>"
        )

    # ---- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Topology:
        self.setup()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def setup(self) -> None:
        """Create namespaces, links, addresses, routes, forwarding and the R6 rules."""
        if self._created:
            raise StrongswanError("topology", "already set up")
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def _setup(self) -> None:
        ue, gw, enb = (self.namespaces[r] for r in ROLES)
        for ns in (ue, gw, enb):
            _host("ip", "netns", "add", ns)
            self._created.append(ns)
        _host("ip", "link", "add", self.if_ue_wlan, "netns", ue, "type", "veth",
              "peer", "name", self.if_segw_wlan, "netns", gw)  # fmt: skip
        _host("ip", "link", "add", self.if_segw_lan, "netns", gw, "type", "veth",
              "peer", "name", self.if_enb_lan, "netns", enb)  # fmt: skip
        for ns, dev, addrs in (
            (ue, self.if_ue_wlan, [f"{self.ue_wlan}/24"]),
            (gw, self.if_segw_wlan, [f"{self.segw_wlan}/24"]),
            (gw, self.if_segw_lan, [f"{self.segw_lan}/{self.lan_prefix}"]),
            (
                enb,
                self.if_enb_lan,
                [f"{a}/{self.lan_prefix}" for a in (self.enb_lwip, self.enb_other)],
            ),
        ):
            for addr in addrs:
                _host("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            _host("ip", "-n", ns, "link", "set", dev, "up")
        for ns in (ue, gw, enb):
            _host("ip", "-n", ns, "link", "set", "lo", "up")
        _host("ip", "-n", enb, "route", "add", "default", "via", self.segw_lan)
        _host("ip", "-n", ue, "route", "add", f"198.51.100.0/{self.lan_prefix}", "via",
              self.segw_wlan)  # fmt: skip
        _host("ip", "netns", "exec", gw, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
        _host("ip", "netns", "exec", gw, "nft", "-f", "-", input=self._nft_rules())
        self.add_segw_local_ts(self.enb_lwip)

    def _nft_rules(self) -> str:
        wlan = self.if_segw_wlan
        return f"""table inet {NFT_TABLE} {{
  chain input {{
    type filter hook input priority 0; policy accept;
    iifname "{wlan}" udp dport {{ 500, 4500 }} accept
    iifname "{wlan}" meta l4proto esp accept
    iifname "{wlan}" counter drop comment "r6-wlan-input"
  }}
  chain forward {{
    type filter hook forward priority 0; policy accept;
    iifname "{wlan}" counter drop comment "r6-from-wlan"
    oifname "{wlan}" counter drop comment "r6-to-wlan"
  }}
}}
"""

    def add_segw_local_ts(self, address: str) -> None:
        """Let the SeGW's kernel-libipsec (5.9.8) install CHILD_SAs whose local TS is
        ``address``/32, an eNB address the SeGW forwards to.

        kernel-libipsec installs its route to the TUN device with the SeGW's own address inside
        the local TS as preferred source, and fails ("unable to install IPsec policies") when
        there is none (fixed upstream in 5.9.12). So the SeGW gets ``address`` on ``lo``; its
        ``local`` route moves from table local to charon's table, where it only validates that
        preferred source, and a rule ahead of charon's sends traffic to ``address`` to the main
        table, so the SeGW keeps forwarding it to the eNB instead of delivering it locally.
        """
        addr = _address(address, "address")
        if addr.version != 4:
            raise InvalidFieldError("address", "IPv4 only")
        ns = self.namespaces["segw"]
        _host("ip", "-n", ns, "addr", "add", f"{addr}/32", "dev", "lo")
        _host("ip", "-n", ns, "route", "del", "local", str(addr), "dev", "lo", "table", "local")
        _host("ip", "-n", ns, "route", "add", "local", str(addr), "dev", "lo", "table",
              str(ROUTING_TABLE))  # fmt: skip
        _host("ip", "-n", ns, "rule", "add", "pref", str(ROUTING_TABLE - 20), "to", str(addr),
              "lookup", "main")  # fmt: skip
        self._local_ts.append(str(addr))

    def close(self) -> None:
        """Remove the namespaces (and with them the links); stop leftover processes in them."""
        while self._created:
            ns = self._created.pop()
            self._stop_leftovers(ns)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False, env=_env())

    @staticmethod
    def _stop_leftovers(ns: str) -> None:
        r = subprocess.run(
            ["ip", "netns", "pids", ns], capture_output=True, text=True, check=False, env=_env()
        )
        pids = [int(p) for p in r.stdout.split() if p.isdigit()]
        if not pids:
            return
        log.warning("stopping %d leftover process(es) in namespace %s: %s", len(pids), ns, pids)
        for sig, wait_s in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 1.0)):
            for pid in pids:
                with suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
                time.sleep(0.05)
            pids = [pid for pid in pids if _alive(pid)]
            if not pids:
                return

    # ---- use ---------------------------------------------------------------------------------

    def namespace(self, ns: Role | str) -> str:
        """The namespace name of a role (``ue``, ``segw``, ``enb``), or a name of ours as is."""
        for role, name in self.namespaces.items():
            if ns in (role, name):
                return name
        raise InvalidFieldError("ns", f"not a namespace of this topology: {ns!r}")

    def run(
        self,
        ns: Role | str,
        *cmd: str,
        check: bool = False,
        input: str | None = None,
        timeout_s: float = 30.0,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` inside namespace ``ns``."""
        return subprocess.run(
            ["ip", "netns", "exec", self.namespace(ns), *cmd],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=check,
            env=_env(),
        )

    def ping_count(
        self,
        ns: Role | str,
        dst: str,
        *,
        count: int = 1,
        timeout_s: float = 1.0,
        source: str | None = None,
    ) -> int:
        """How many of ``count`` ICMP echo requests from ``ns`` to ``dst`` were answered."""
        cmd = ["ping", "-n", "-q", "-c", str(count), "-i", "0.2", "-W", f"{timeout_s:g}"]
        if source is not None:
            cmd += ["-I", str(_address(source, "source"))]
        cmd.append(str(_address(dst, "dst")))  # never a name: no resolver is ever asked
        r = self.run(ns, *cmd, timeout_s=0.2 * count + timeout_s + 10.0)
        m = re.search(r"(\d+) (?:packets )?received", r.stdout)
        return int(m.group(1)) if m else 0

    def ping(
        self,
        ns: Role | str,
        dst: str,
        *,
        count: int = 1,
        timeout_s: float = 1.0,
        source: str | None = None,
    ) -> bool:
        """True when at least one echo request from ``ns`` to ``dst`` was answered."""
        return self.ping_count(ns, dst, count=count, timeout_s=timeout_s, source=source) > 0

    def wlan_down(self) -> None:
        """The UE's WLAN link goes down (the SeGW's end loses carrier)."""
        _host("ip", "-n", self.namespaces["ue"], "link", "set", self.if_ue_wlan, "down")

    def wlan_up(self, *, timeout_s: float = 5.0) -> None:
        """The UE's WLAN link comes back; returns once both ends have carrier."""
        _host("ip", "-n", self.namespaces["ue"], "link", "set", self.if_ue_wlan, "up")
        deadline = time.monotonic() + timeout_s
        ends: tuple[tuple[Role, str], ...] = (("ue", self.if_ue_wlan), ("segw", self.if_segw_wlan))
        while True:
            if all(self._lower_up(ns, dev) for ns, dev in ends):
                return
            if time.monotonic() > deadline:
                raise StrongswanError("wlan_up", f"no carrier after {timeout_s} s")
            time.sleep(0.02)

    def wlan_is_up(self) -> bool:
        return self._lower_up("ue", self.if_ue_wlan) and self._lower_up("segw", self.if_segw_wlan)

    def _lower_up(self, ns: Role, dev: str) -> bool:
        r = subprocess.run(
            ["ip", "-n", self.namespaces[ns], "-o", "link", "show", "dev", dev],
            capture_output=True,
            text=True,
            check=False,
            env=_env(),
        )
        flags = re.search(r"<([^>]*)>", r.stdout)
        return flags is not None and {"UP", "LOWER_UP"} <= set(flags.group(1).split(","))

    def drop_counts(self) -> dict[str, int]:
        """Packets dropped by each R6 rule on the SeGW, by rule comment: ``r6-from-wlan``,
        ``r6-to-wlan`` (forwarding) and ``r6-wlan-input`` (to the SeGW itself)."""
        r = self.run("segw", "nft", "-j", "list", "table", "inet", NFT_TABLE, check=True)
        counts: dict[str, int] = {}
        for item in json.loads(r.stdout).get("nftables", []):
            rule = item.get("rule") if isinstance(item, dict) else None
            if not isinstance(rule, dict) or "comment" not in rule:
                continue
            for expr in rule.get("expr", []):
                if isinstance(expr, dict) and "counter" in expr:
                    counts[str(rule["comment"])] = int(expr["counter"]["packets"])
        return counts


def _host(*cmd: str, input: str | None = None) -> None:
    """Run ``cmd``; a failure is a StrongswanError carrying its stderr."""
    r = subprocess.run(
        list(cmd), input=input, capture_output=True, text=True, check=False, env=_env()
    )
    if r.returncode != 0:
        raise StrongswanError(" ".join(cmd), (r.stderr or r.stdout).strip() or f"rc={r.returncode}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- charon ----------------------------------------------------------------------------------


def render_strongswan_conf(
    directory: Path,
    *,
    plugins: Sequence[str] = PLUGINS,
    log_levels: Mapping[str, int] = DEFAULT_LOG_LEVELS,
    retransmit_timeout_s: float = 1.0,
    retransmit_base: float = 1.0,
    retransmit_tries: int = 2,
) -> str:
    """strongswan.conf for one charon whose files live in ``directory``.

    Nothing is read from /etc. Retransmits (also DPD's) are 1 s apart and give up after
    ``retransmit_tries`` + 1 tries, so with ``dpd_delay`` 2 s a dead peer is found in about 5 s.
    """
    for group, level in log_levels.items():
        if not re.fullmatch(r"[a-z]{3,7}", group):
            raise InvalidFieldError("log_levels", f"not a charon log group: {group!r}")
        if not -1 <= level <= MAX_LOG_LEVEL:
            raise InvalidFieldError(
                "log_levels", f"{group}={level}: use -1..{MAX_LOG_LEVEL}; level 4 logs keys"
            )
    for plugin in plugins:
        if not re.fullmatch(r"[a-z0-9-]+", plugin):
            raise InvalidFieldError("plugins", f"not a plugin name: {plugin!r}")
    levels = "\n".join(f"            {g} = {lvl}" for g, lvl in log_levels.items())
    return f"""# generated by lwip_enb.strongswan for one charon instance; nothing from /etc
charon {{
    load_modular = no
    load = {" ".join(plugins)}
    install_routes = yes
    routing_table = {ROUTING_TABLE}
    routing_table_prio = {ROUTING_TABLE}
    retransmit_timeout = {retransmit_timeout_s:g}
    retransmit_base = {retransmit_base:g}
    retransmit_tries = {int(retransmit_tries)}
    plugins {{
        vici {{
            socket = unix://{directory}/run/charon.vici
        }}
    }}
    filelog {{
        main {{
            path = {directory}/charon.log
            time_format = %H:%M:%S
            time_add_ms = yes
            append = no
            flush_line = yes
{levels}
        }}
    }}
    syslog {{
        daemon {{
            default = -1
        }}
    }}
}}
"""


class Charon:
    """One charon in network namespace ``namespace``, with its own ``directory``:
    ``strongswan.conf``, ``charon.log`` (:attr:`log_path`), ``stdout.log`` and ``run/``
    (bind-mounted on ``/run`` for charon only: pid file and VICI socket).

    Without ``directory`` a temporary one is made and removed by :meth:`stop` unless
    ``keep_dir``.
    """

    def __init__(
        self,
        namespace: str,
        directory: str | os.PathLike[str] | None = None,
        *,
        plugins: Sequence[str] = PLUGINS,
        log_levels: Mapping[str, int] = DEFAULT_LOG_LEVELS,
        retransmit_timeout_s: float = 1.0,
        retransmit_base: float = 1.0,
        retransmit_tries: int = 2,
        start_timeout_s: float = 10.0,
        keep_dir: bool = False,
    ) -> None:
        self.namespace = namespace
        self._owns_dir = directory is None
        self.directory = Path(
            tempfile.mkdtemp(prefix="lwip-charon-") if directory is None else directory
        ).resolve()
        self.keep_dir = keep_dir
        self.conf_path = self.directory / "strongswan.conf"
        self.log_path = self.directory / "charon.log"
        self.stdout_path = self.directory / "stdout.log"
        self.run_dir = self.directory / "run"
        self.vici_path = self.run_dir / "charon.vici"
        if len(str(self.vici_path)) > _UNIX_PATH_MAX:
            raise InvalidFieldError("directory", f"too long for a unix socket: {self.vici_path}")
        self._conf = render_strongswan_conf(
            self.directory,
            plugins=plugins,
            log_levels=log_levels,
            retransmit_timeout_s=retransmit_timeout_s,
            retransmit_base=retransmit_base,
            retransmit_tries=retransmit_tries,
        )
        self.plugins = tuple(plugins)
        self.start_timeout_s = start_timeout_s
        self.startup_s: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._stdout: Any = None

    def __repr__(self) -> str:
        state = f"pid {self._proc.pid}" if self.running and self._proc else "stopped"
        return f"<Charon {self.namespace} {state} {self.directory}>"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> Charon:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start charon and return once its VICI socket answers with the expected plugins."""
        if self._proc is not None:
            raise StrongswanError("charon", "already started")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.run_dir.iterdir():
            if not stale.is_dir():
                stale.unlink()
        self.conf_path.write_text(self._conf)
        env = _env(STRONGSWAN_CONF=str(self.conf_path))
        cmd = [
            "ip", "netns", "exec", self.namespace,
            "unshare", "--mount", "--propagation", "private",
            "sh", "-c", 'mount --bind "$0" /run && exec "$1"', str(self.run_dir), str(CHARON_PATH),
        ]  # fmt: skip
        t0 = time.monotonic()
        self._stdout = open(self.stdout_path, "wb")  # noqa: SIM115 - closed by stop()
        self._proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_ready(t0)
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.monotonic() - t0
        log.info("charon in %s up in %.3f s (pid %s)", self.namespace, self.startup_s, self.pid)

    def _wait_ready(self, t0: float) -> None:
        assert self._proc is not None
        deadline = t0 + self.start_timeout_s
        while True:
            rc = self._proc.poll()
            if rc is not None:
                raise StrongswanError(
                    f"charon in {self.namespace}", f"exited with {rc} on start: {self.tail()}"
                )
            try:
                session = self.session(timeout_s=2.0)
            except OSError:
                if time.monotonic() > deadline:
                    raise StrongswanError(
                        f"charon in {self.namespace}",
                        f"VICI did not answer within {self.start_timeout_s} s: {self.tail()}",
                    ) from None
                time.sleep(0.02)
                continue
            try:
                loaded = {_text(p) for p in session.stats().get("plugins", [])}
            finally:
                _close_session(session)
            missing = [p for p in self.plugins if p not in loaded]
            if missing:
                raise StrongswanError(
                    f"charon in {self.namespace}", f"plugins not loaded: {' '.join(missing)}"
                )
            return

    def tail(self, lines: int = 5) -> str:
        """The last lines of charon's output and log, for error messages."""
        out: list[str] = []
        for path in (self.stdout_path, self.log_path):
            with suppress(OSError):
                out += path.read_text(errors="replace").splitlines()[-lines:]
        return " | ".join(out) or "(no output)"

    def session(self, *, timeout_s: float | None = 30.0) -> ViciSession:
        """A new VICI session (a ``vici.Session``); ``timeout_s`` bounds each wait for charon."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout_s)
            sock.connect(str(self.vici_path))
        except BaseException:
            sock.close()
            raise
        session: ViciSession = _vici_module().Session(sock)
        return session

    def stop(self, *, timeout_s: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout_s``. Idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                log.warning("charon in %s ignored SIGTERM; killing it", self.namespace)
                proc.kill()
                proc.wait(timeout_s)
        if self._stdout is not None:
            self._stdout.close()
            self._stdout = None
        if self._owns_dir and not self.keep_dir:
            shutil.rmtree(self.directory, ignore_errors=True)


# --- events ----------------------------------------------------------------------------------


class TunnelEvent(NamedTuple):
    """An IKE_SA or CHILD_SA going up or down; ``ev[:2]`` is ``(kind, idi_hex)``."""

    kind: Literal["up", "down"]
    idi_hex: str  # "" when the SA's name is not one of ours
    layer: Literal["ike", "child"]
    sa_name: str
    at: float  # time.monotonic() when received
    ike_id: str


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
                        self._dispatch(_text(name), message)
            finally:
                with suppress(Exception):
                    stream.close()  # unregisters; fails harmlessly when charon is gone
        except Exception as exc:
            if not self._stopping.is_set():
                self.error = _describe(exc)
                log.warning("event watcher stopped: %s", self.error)
        finally:
            self._ready.set()
            _close_session(session)
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
                _text(body.get("uniqueid")),
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
            _close_session(self._session)


# --- backends --------------------------------------------------------------------------------


class _Backend:
    """What both ends share: a command session (serialised by a lock), names, an event
    watcher."""

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
        with self._lock:
            try:
                return call(self._command_session(what))
            except StrongswanError:
                raise
            except Exception as exc:
                failure, command_failed = _describe(exc), _is_command_error(exc)
                if not command_failed:
                    self._drop_session()
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
        _close_session(self._session)
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

    def _unload(self, name: str) -> None:
        self._request_ok("unload-conn", lambda s: s.unload_conn({"name": name}))
        self._request_ok("unload-shared", lambda s: s.unload_shared({"id": name}))

    # ---- inspection ------------------------------------------------------------------------

    def sas(self) -> list[dict[str, Any]]:
        """The IKE_SAs (list-sas), values decoded to str; each has its config ``name``."""
        raw = self._request("list-sas", lambda s: list(s.list_sas()))
        out: list[dict[str, Any]] = []
        for entry in raw:
            for name, body in entry.items():
                out.append({"name": name, **_decode(body)})
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
        return {_text(k) for k in reply.get("keys", [])}

    def conn_names(self) -> set[str]:
        """Names of the connections loaded over VICI (get-conns)."""
        reply = self._request("get-conns", lambda s: s.get_conns())
        return {_text(c) for c in reply.get("conns", [])}

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
        self.wlan_address = str(_address(wlan_address, "wlan_address"))
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

    def __enter__(self) -> SegwBackend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def conn_name(self, idi: Idi) -> str:
        """The name of ``idi``'s connection, IKE_SA and shared key in charon."""
        return self._names.name(idi)

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
        conn_gone = self._request_ok("unload-conn", lambda s: s.unload_conn({"name": name}))
        self._request_ok("unload-shared", lambda s: s.unload_shared({"id": name}))
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

    def close(self) -> None:
        """Remove every IDi, unload the pool, stop the watcher (best effort when charon is
        gone)."""
        if self._closed:
            return
        try:
            self.remove_all()
            self._request_ok("unload-pool", lambda s: s.unload_pool({"name": self.pool_name}))
        except StrongswanError as exc:
            log.warning("SeGW close: %s", exc)
        finally:
            self._close()


class UeBackend(_Backend):
    """The UE on a charon: one LWIP tunnel at a time to the SeGW it was told (R2).

    It asks for everything (``remote_ts`` 0.0.0.0/0) and gets what the SeGW grants: the eNB's
    LWIP address only (R7)."""

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
        self.wlan_address = str(_address(wlan_address, "wlan_address"))
        self.segw_address = (
            str(_address(segw_address, "segw_address")) if segw_address is not None else None
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

    def __enter__(self) -> UeBackend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def idi(self) -> Idi | None:
        """The IDi of the loaded connection, if any."""
        return self._idi

    def conn_name(self, idi: Idi) -> str:
        return self._names.name(idi)

    def connect(self, segw_address: str | None, idi: Idi, psk: KeyMaterial) -> bool:
        """Run IKE to ``segw_address`` (default: the constructor's) as ``idi`` with ``psk``.

        True when the tunnel is up. False when IKE failed: :attr:`last_failure` says why (e.g.
        ``AUTHENTICATION_FAILED``), :attr:`last_log` has charon's control log, and nothing of
        this attempt stays loaded. A previous connection is released first."""
        segw = segw_address if segw_address is not None else self.segw_address
        if segw is None:
            raise InvalidFieldError("segw_address", "no SeGW address given")
        segw = str(_address(segw, "segw_address"))
        self.disconnect()
        self.last_failure, self.last_log = None, ()
        name = self._names.register(idi)
        self._idi = idi
        conn = {
            name: {
                "version": "2",
                "local_addrs": [self.wlan_address],
                "remote_addrs": [segw],
                "proposals": list(self.ike_proposals),
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
        lines: list[str] = []
        failure: str | None = None
        broken = False
        with self._lock:
            try:
                for entry in self._command_session("initiate").initiate(message):
                    lines.append(_text(entry.get("msg")))
            except StrongswanError:
                raise
            except Exception as exc:
                failure, broken = _describe(exc), not _is_command_error(exc)
                if broken:
                    self._drop_session()
        if broken:
            raise StrongswanError("initiate", failure or "transport failure")
        return lines, failure

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

    def close(self) -> None:
        if self._closed:
            return
        try:
            self.disconnect()
        except StrongswanError as exc:
            log.warning("UE close: %s", exc)
        finally:
            self._close()


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
