"""The machine the strongSwan edge runs on: what it must provide, and running its commands.

:func:`available` says whether this process can run charon in network namespaces and names what
is missing (``.ci/strongswan-deps`` installs it). The paths and plugins are those of Debian's
strongSwan 5.9 packages. Every command gets :func:`env`, whose ``PATH`` has the sbin directories
where ``ip`` and ``nft`` live. :func:`check_address` is how addresses given by callers are checked.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import shutil
import subprocess
from pathlib import Path
from typing import Final

from lwip_enb.errors import InvalidFieldError, StrongswanError

__all__ = [
    "CHARON_PATH",
    "LOGGER_NAME",
    "PLUGINS",
    "PLUGIN_DIR",
    "ROUTING_TABLE",
    "TOOLS",
    "TUN_DEVICE",
    "alive",
    "available",
    "check_address",
    "env",
    "run",
    "run_checked",
]

#: The one logger of the strongSwan edge, whichever module logs (the name predates the modules).
LOGGER_NAME: Final = "lwip_enb.strongswan"

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
#: charon's policy routing table (kernel-libipsec routes to its TUN): charon's configuration and
#: the SeGW's routes must agree on it.
ROUTING_TABLE: Final = 220

#: The tools live in /usr/sbin; a minimal PATH (some CI shells) may not have it.
_SEARCH_PATH: Final = os.pathsep.join(
    [os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]
)


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


def env(**extra: str) -> dict[str, str]:
    """This process's environment with the tools' ``PATH``, plus ``extra``."""
    return {**os.environ, "PATH": _SEARCH_PATH, **extra}


def run(
    *cmd: str,
    input: str | None = None,
    check: bool = False,
    timeout_s: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` with :func:`env`, its output captured as text."""
    return subprocess.run(
        list(cmd),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=check,
        env=env(),
    )


def run_checked(*cmd: str, input: str | None = None) -> None:
    """Run ``cmd``; a failure is a StrongswanError carrying its stderr."""
    r = run(*cmd, input=input)
    if r.returncode != 0:
        raise StrongswanError(" ".join(cmd), (r.stderr or r.stdout).strip() or f"rc={r.returncode}")


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]  # the state follows the command name


def check_address(value: str, field: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``value`` as an IP address; anything else is an InvalidFieldError naming ``field``."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        raise InvalidFieldError(field, f"not an IP address: {value!r}") from None
