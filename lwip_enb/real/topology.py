"""The network of the strongSwan edge: network namespaces for the UE, the SeGW and each eNB,
their links, and the R6 rules.

:class:`Topology` puts the UE and the SeGW on a WLAN veth and the SeGW and each eNB on a LAN veth
of its own (:class:`EnbSite`; one eNB by default, two with :meth:`Topology.two_enbs`). R6 is
enforced on the SeGW with nftables: nothing is forwarded in clear from or to the WLAN, and the SeGW
itself accepts only IKE and ESP there. Each eNB counts the packets from the UE's side that reach
it (:meth:`Topology.arrivals`), so tests see with real packets what got through. It also works
around kernel-libipsec 5.9.8, which installs a CHILD_SA only if the SeGW owns an address inside its
local traffic selector (fixed upstream in 5.9.12): see :meth:`Topology.add_segw_local_ts`. charon
itself (:mod:`lwip_enb.real.daemon`) is started in these namespaces by the caller; the topology
only shares its routing table number.

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
from dataclasses import dataclass
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

__all__ = ["ARRIVALS_TABLE", "NFT_TABLE", "ROLES", "EnbSite", "Role", "Topology"]

log = logging.getLogger(LOGGER_NAME)

NFT_TABLE: Final = "lwip_r6"
ARRIVALS_TABLE: Final = "lwip_seen"  # in each eNB: what reached it from the UE's side

Role: TypeAlias = Literal["ue", "segw", "enb"]
ROLES: Final[tuple[Role, ...]] = ("ue", "segw", "enb")

_LAN: Final = ipaddress.ip_network("198.51.100.0/24")  # every eNB LAN lies in it
_UE_SIDE: Final = ("192.0.2.0/24", "203.0.113.0/24")  # virtual IPs (SeGW pool) and the WLAN
_SITE_NAME: Final = re.compile(r"enb(?:-[a-z])?")


@dataclass(frozen=True)
class EnbSite:
    """One eNB on its own LAN to the SeGW: ``lwip`` is its interface allowed for LWIP (R7),
    ``other`` an address of the same eNB the tunnel must not reach, ``segw`` the SeGW's
    address on that LAN. ``name`` is ``enb`` or ``enb-<letter>``."""

    name: str
    lwip: str
    other: str
    lan: str
    segw: str

    def __post_init__(self) -> None:
        if not _SITE_NAME.fullmatch(self.name):
            raise InvalidFieldError("name", f"enb or enb-<letter>, not {self.name!r}")
        try:
            lan = ipaddress.ip_network(self.lan)
        except ValueError:
            raise InvalidFieldError("lan", f"not a network: {self.lan!r}") from None
        if not lan.subnet_of(_LAN):  # type: ignore[arg-type]
            raise InvalidFieldError("lan", f"must lie in {_LAN}")
        for field in ("lwip", "other", "segw"):
            if check_address(getattr(self, field), field) not in lan:
                raise InvalidFieldError(field, f"must be a host of {lan}")
        if len({self.lwip, self.other, self.segw}) != 3:
            raise InvalidFieldError("other", "lwip, other and segw must differ")

    @property
    def prefix_len(self) -> int:
        return ipaddress.ip_network(self.lan).prefixlen

    @property
    def tag(self) -> str:
        """The role's part of names: ``enb`` for ``enb``, the letter for ``enb-<letter>``."""
        return "enb" if self.name == "enb" else self.name[-1]


class Topology:
    """Network namespaces: the UE and the SeGW on a WLAN veth, the SeGW and each eNB on a LAN
    veth. Everything is removed by :meth:`close` (or leaving the ``with`` block), also after a
    failed setup, on SIGTERM/SIGINT and at exit.

    ====== ================================= ==========================================
    node   addresses                         notes
    ====== ================================= ==========================================
    UE     ``ue_wlan`` 203.0.113.2/24        route to 198.51.100.0/24 via the SeGW, so
                                             that traffic outside the tunnel is really
                                             offered to the SeGW in clear (where R6 drops
                                             it)
    SeGW   ``segw_wlan`` 203.0.113.1/24,     forwards; nft table ``lwip_r6`` (R6);
           ``segw_lan`` 198.51.100.254/24    kernel-libipsec workaround for each
                                             eNB's LWIP address
    eNB    ``enb_lwip`` 198.51.100.1/24,     default route via the SeGW; ``enb_other`` is
           ``enb_other`` 198.51.100.2/24     an eNB address the tunnel must not reach (R7)
    ====== ================================= ==========================================

    With two eNBs (:meth:`two_enbs`) the LAN is cut in two: ``enb-a`` on 198.51.100.0/25
    (LWIP .1, other .2, SeGW .126) and ``enb-b`` on 198.51.100.128/25 (LWIP .129, other .130,
    SeGW .254). The single-eNB attributes (``enb_lwip``, ``enb_other``, ``segw_lan``,
    ``if_enb_lan`` ...) describe the first site.

    The tunnel policy is the LWIP address only, all protocols and ports (``enb_lwip/32``).
    Names carry the owning process's pid (``lw<pid>x<n>``), so runs at once do not collide.
    """

    def __init__(
        self,
        *,
        enb_lwip: str = "198.51.100.1",
        enb_other: str = "198.51.100.2",
        prefix: str | None = None,
        sites: tuple[EnbSite, ...] | None = None,
    ) -> None:
        self.prefix = prefix or new_prefix()
        if not re.fullmatch(r"[a-z][a-z0-9]{0,12}", self.prefix):
            raise InvalidFieldError("prefix", "1..13 lowercase letters and digits")
        self.ue_wlan = "203.0.113.2"
        self.segw_wlan = "203.0.113.1"
        if sites is None:
            for field, value in (("enb_lwip", enb_lwip), ("enb_other", enb_other)):
                if check_address(value, field) not in _LAN or value == "198.51.100.254":
                    raise InvalidFieldError(
                        field, f"must be a host of {_LAN} other than the SeGW's"
                    )
            if enb_lwip == enb_other:
                raise InvalidFieldError("enb_other", "must differ from enb_lwip")
            sites = (EnbSite("enb", enb_lwip, enb_other, str(_LAN), "198.51.100.254"),)
        if not sites or len({s.name for s in sites}) != len(sites):
            raise InvalidFieldError("sites", "one or more eNB sites with distinct names")
        nets = [ipaddress.ip_network(s.lan) for s in sites]
        if any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :]):
            raise InvalidFieldError("sites", "the eNB LANs must not overlap")
        self.sites: dict[str, EnbSite] = {s.name: s for s in sites}
        first = sites[0]
        self.enb_lwip = str(ipaddress.ip_address(first.lwip))
        self.enb_other = str(ipaddress.ip_address(first.other))
        self.segw_lan = first.segw
        self.lan_prefix = first.prefix_len
        p = self.prefix
        self.namespaces: dict[str, str] = {"ue": p + "ue", "segw": p + "gw"}
        for site in sites:
            self.namespaces[site.name] = p + ("enb" if site.tag == "enb" else "e" + site.tag)
        self.if_ue_wlan = p + "u0"
        self.if_segw_wlan = p + "g0"
        # (SeGW end, eNB end) of each site's LAN veth; the single-eNB names stay g1 / e0
        self._lan_ifs: dict[str, tuple[str, str]] = {
            s.name: (p + "g1", p + "e0") if s.tag == "enb" else (p + "g" + s.tag, p + s.tag + "0")
            for s in sites
        }
        self.if_segw_lan, self.if_enb_lan = self._lan_ifs[first.name]
        self.marker: RunMarker | None = None
        self._created: list[str] = []
        self._local_ts: list[str] = []
        self._close_lock = threading.RLock()

    @classmethod
    def two_enbs(cls, *, prefix: str | None = None) -> Topology:
        """Two eNBs, ``enb-a`` and ``enb-b``, behind one SeGW, each on a /25 of its own."""
        return cls(
            prefix=prefix,
            sites=(
                EnbSite("enb-a", "198.51.100.1", "198.51.100.2", "198.51.100.0/25",
                        "198.51.100.126"),
                EnbSite("enb-b", "198.51.100.129", "198.51.100.130", "198.51.100.128/25",
                        "198.51.100.254"),
            ),
        )  # fmt: skip

    def __repr__(self) -> str:
        enbs = " ".join(f"{s.name}={s.lwip}" for s in self.sites.values())
        return f"<Topology {self.prefix} ue={self.ue_wlan} segw={self.segw_wlan} {enbs}>"

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
        ue, gw = self.namespaces["ue"], self.namespaces["segw"]
        existing = set(run("ip", "netns", "list").stdout.split())
        for ns in self.namespaces.values():
            if ns in existing:
                raise StrongswanError(
                    "topology", f"namespace {ns} exists already (not made by a marked run?)"
                )
            run_checked("ip", "netns", "add", ns)
            self._created.append(ns)
        run_checked("ip", "link", "add", self.if_ue_wlan, "netns", ue, "type", "veth",
                    "peer", "name", self.if_segw_wlan, "netns", gw)  # fmt: skip
        links: list[tuple[str, str, list[str]]] = [
            (ue, self.if_ue_wlan, [f"{self.ue_wlan}/24"]),
            (gw, self.if_segw_wlan, [f"{self.segw_wlan}/24"]),
        ]
        for site in self.sites.values():
            enb = self.namespaces[site.name]
            if_gw, if_enb = self._lan_ifs[site.name]
            run_checked("ip", "link", "add", if_gw, "netns", gw, "type", "veth",
                        "peer", "name", if_enb, "netns", enb)  # fmt: skip
            links.append((gw, if_gw, [f"{site.segw}/{site.prefix_len}"]))
            links.append((enb, if_enb, [f"{a}/{site.prefix_len}" for a in (site.lwip, site.other)]))
        for ns, dev, addrs in links:
            for addr in addrs:
                run_checked("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            run_checked("ip", "-n", ns, "link", "set", dev, "up")
        for ns in self.namespaces.values():
            run_checked("ip", "-n", ns, "link", "set", "lo", "up")
        for site in self.sites.values():
            enb = self.namespaces[site.name]
            run_checked("ip", "-n", enb, "route", "add", "default", "via", site.segw)
            rules = self._arrival_rules(site)
            run_checked("ip", "netns", "exec", enb, "nft", "-f", "-", input=rules)
        run_checked("ip", "-n", ue, "route", "add", str(_LAN), "via", self.segw_wlan)
        run_checked("ip", "netns", "exec", gw, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
        run_checked("ip", "netns", "exec", gw, "nft", "-f", "-", input=self._nft_rules())
        for site in self.sites.values():
            self.add_segw_local_ts(site.lwip)

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

    def _arrival_rules(self, site: EnbSite) -> str:
        ue_side = ", ".join(_UE_SIDE)
        return f"""table inet {ARRIVALS_TABLE} {{
  chain prerouting {{
    type filter hook prerouting priority -300; policy accept;
    ip saddr {{ {ue_side} }} ip daddr {site.lwip} counter comment "ue-to-lwip"
    ip saddr {{ {ue_side} }} ip daddr {site.other} counter comment "ue-to-other"
  }}
}}
"""

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
        """The namespace name of a role (``ue``, ``segw``, or an eNB site's name such as
        ``enb``, ``enb-a``), or a name of ours as is."""
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
        ends: tuple[tuple[str, str], ...] = (("ue", self.if_ue_wlan), ("segw", self.if_segw_wlan))
        while True:
            if all(self._lower_up(ns, dev) for ns, dev in ends):
                return
            if time.monotonic() > deadline:
                raise StrongswanError("wlan_up", f"no carrier after {timeout_s} s")
            time.sleep(0.02)

    def wlan_is_up(self) -> bool:
        return self._lower_up("ue", self.if_ue_wlan) and self._lower_up("segw", self.if_segw_wlan)

    def _lower_up(self, ns: str, dev: str) -> bool:
        r = run("ip", "-n", self.namespaces[ns], "-o", "link", "show", "dev", dev)
        flags = re.search(r"<([^>]*)>", r.stdout)
        return flags is not None and {"UP", "LOWER_UP"} <= set(flags.group(1).split(","))

    def drop_counts(self) -> dict[str, int]:
        """Packets dropped by each R6 rule on the SeGW, by rule comment: ``r6-from-wlan``,
        ``r6-to-wlan`` (forwarding) and ``r6-wlan-input`` (to the SeGW itself)."""
        r = self.run("segw", "nft", "-j", "list", "table", "inet", NFT_TABLE, check=True)
        return _counters(r.stdout)

    def arrivals(self, site: str = "enb") -> dict[str, int]:
        """Packets from the UE's side (its WLAN and virtual addresses) that reached eNB ``site``,
        counted before any routing there: ``ue-to-lwip`` and ``ue-to-other``."""
        r = self.run(site, "nft", "-j", "list", "table", "inet", ARRIVALS_TABLE, check=True)
        return _counters(r.stdout)


def _counters(nft_json: str) -> dict[str, int]:
    """Packet counters of ``nft -j list table`` output, by rule comment."""
    counts: dict[str, int] = {}
    for item in json.loads(nft_json).get("nftables", []):
        rule = item.get("rule") if isinstance(item, dict) else None
        if not isinstance(rule, dict) or "comment" not in rule:
            continue
        for expr in rule.get("expr", []):
            if isinstance(expr, dict) and "counter" in expr:
                counts[str(rule["comment"])] = int(expr["counter"]["packets"])
    return counts
