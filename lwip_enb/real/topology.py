"""The network of the strongSwan edge: three network namespaces, their links, and the R6 rules.

:class:`Topology` puts the UE and the SeGW on a WLAN veth and the SeGW and the eNB on a LAN
veth. R6 is enforced on the SeGW with nftables: nothing is forwarded in clear from or to the
WLAN, and the SeGW itself accepts only IKE and ESP there. It also works around kernel-libipsec
5.9.8, which installs a CHILD_SA only if the SeGW owns an address inside its local traffic
selector (fixed upstream in 5.9.12): see :meth:`Topology.add_segw_local_ts`. charon itself
(:mod:`lwip_enb.real.daemon`) is started in these namespaces by the caller; the topology only
shares its routing table number.

A topology is a run's footprint on the machine: it writes its marker before creating anything,
removes what dead runs left first, and is closed on SIGTERM, SIGINT and at exit
(:mod:`lwip_enb.real.cleanup`).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import subprocess
import threading
import time
from types import TracebackType
from typing import Final, Literal, TypeAlias

from lwip_enb.errors import InvalidFieldError, StrongswanError
from lwip_enb.real.cleanup import (
    RunMarker,
    critical,
    new_prefix,
    stop_processes_in,
    sweep,
    track,
    untrack,
)
from lwip_enb.real.host import LOGGER_NAME, ROUTING_TABLE, check_address, run, run_checked

__all__ = ["NFT_TABLE", "ROLES", "Role", "Topology"]

log = logging.getLogger(LOGGER_NAME)

NFT_TABLE: Final = "lwip_r6"

Role: TypeAlias = Literal["ue", "segw", "enb"]
ROLES: Final[tuple[Role, ...]] = ("ue", "segw", "enb")


class Topology:
    """Three network namespaces: the UE and the SeGW on a WLAN veth, the SeGW and the eNB on a
    LAN veth. Everything is removed by :meth:`close` (or leaving the ``with`` block), also after
    a failed setup, on SIGTERM/SIGINT and at exit.

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
    Names carry the owning process's pid (``lw<pid>x<n>``), so runs at once do not collide.
    """

    def __init__(
        self,
        *,
        enb_lwip: str = "198.51.100.1",
        enb_other: str = "198.51.100.2",
        prefix: str | None = None,
    ) -> None:
        self.prefix = prefix or new_prefix()
        if not re.fullmatch(r"[a-z][a-z0-9]{0,12}", self.prefix):
            raise InvalidFieldError("prefix", "1..13 lowercase letters and digits")
        lan = ipaddress.ip_network("198.51.100.0/24")
        self.ue_wlan = "203.0.113.2"
        self.segw_wlan = "203.0.113.1"
        self.segw_lan = "198.51.100.254"
        self.lan_prefix = 24
        for field, value in (("enb_lwip", enb_lwip), ("enb_other", enb_other)):
            if check_address(value, field) not in lan or value == self.segw_lan:
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
        self.marker: RunMarker | None = None
        self._created: list[str] = []
        self._local_ts: list[str] = []
        self._close_lock = threading.RLock()

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
        """Remove what dead runs left, write this run's marker, then create namespaces, links,
        addresses, routes, forwarding and the R6 rules."""
        if self.marker is not None or self._created:
            raise StrongswanError("topology", "already set up")
        sweep()
        # The marker first: whatever is created after it is found again if this process dies.
        self.marker = RunMarker.create(self.prefix, list(self.namespaces.values()))
        track(self)
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def _setup(self) -> None:
        ue, gw, enb = (self.namespaces[r] for r in ROLES)
        existing = set(run("ip", "netns", "list").stdout.split())
        for ns in (ue, gw, enb):
            if ns in existing:
                raise StrongswanError(
                    "topology", f"namespace {ns} exists already (not made by a marked run?)"
                )
            run_checked("ip", "netns", "add", ns)
            self._created.append(ns)
        run_checked("ip", "link", "add", self.if_ue_wlan, "netns", ue, "type", "veth",
                    "peer", "name", self.if_segw_wlan, "netns", gw)  # fmt: skip
        run_checked("ip", "link", "add", self.if_segw_lan, "netns", gw, "type", "veth",
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
                run_checked("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            run_checked("ip", "-n", ns, "link", "set", dev, "up")
        for ns in (ue, gw, enb):
            run_checked("ip", "-n", ns, "link", "set", "lo", "up")
        run_checked("ip", "-n", enb, "route", "add", "default", "via", self.segw_lan)
        run_checked("ip", "-n", ue, "route", "add", f"198.51.100.0/{self.lan_prefix}", "via",
                    self.segw_wlan)  # fmt: skip
        run_checked("ip", "netns", "exec", gw, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
        run_checked("ip", "netns", "exec", gw, "nft", "-f", "-", input=self._nft_rules())
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
        addr = check_address(address, "address")
        if addr.version != 4:
            raise InvalidFieldError("address", "IPv4 only")
        ns = self.namespaces["segw"]
        run_checked("ip", "-n", ns, "addr", "add", f"{addr}/32", "dev", "lo")
        run_checked("ip", "-n", ns, "route", "del", "local", str(addr), "dev", "lo",
                    "table", "local")  # fmt: skip
        run_checked("ip", "-n", ns, "route", "add", "local", str(addr), "dev", "lo",
                    "table", str(ROUTING_TABLE))  # fmt: skip
        run_checked("ip", "-n", ns, "rule", "add", "pref", str(ROUTING_TABLE - 20),
                    "to", str(addr), "lookup", "main")  # fmt: skip
        self._local_ts.append(str(addr))

    def close(self) -> None:
        """Stop leftover processes in the namespaces, remove the namespaces (and with them the
        links and nft tables), then the marker. Idempotent; a SIGTERM/SIGINT waits for it."""
        with self._close_lock, critical():
            while self._created:
                ns = self._created.pop()
                pids = stop_processes_in(ns)
                if pids:
                    log.warning(
                        "stopped %d leftover process(es) in namespace %s: %s", len(pids), ns, pids
                    )
                run("ip", "netns", "del", ns)
            marker, self.marker = self.marker, None
            if marker is not None:
                marker.release()
            untrack(self)

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
        argv = ("ip", "netns", "exec", self.namespace(ns), *cmd)
        return run(*argv, input=input, check=check, timeout_s=timeout_s)

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
            cmd += ["-I", str(check_address(source, "source"))]
        cmd.append(str(check_address(dst, "dst")))  # never a name: no resolver is ever asked
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
        run_checked("ip", "-n", self.namespaces["ue"], "link", "set", self.if_ue_wlan, "down")

    def wlan_up(self, *, timeout_s: float = 5.0) -> None:
        """The UE's WLAN link comes back; returns once both ends have carrier."""
        run_checked("ip", "-n", self.namespaces["ue"], "link", "set", self.if_ue_wlan, "up")
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
        r = run("ip", "-n", self.namespaces[ns], "-o", "link", "show", "dev", dev)
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
