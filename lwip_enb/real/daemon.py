"""The charon daemon: one per network namespace, with its own files and VICI socket.

:func:`render_strongswan_conf` renders the strongswan.conf of one instance (nothing is read from
/etc; log levels above 3 are refused, since level 4 logs keys). :class:`Charon` runs it: plugins
are loaded explicitly, in the order of :data:`~lwip_enb.real.host.PLUGINS` (kernel-libipsec for
userspace ESP, so no XFRM is needed, before kernel-netlink; kdf is required), and because charon
hard-codes its pid file under ``/run`` each instance runs in a private mount namespace with its
own directory bind-mounted on ``/run``. A running charon is stopped on SIGTERM, SIGINT and at exit
(:mod:`lwip_enb.real.cleanup`); in a namespace of a topology its directory is recorded in the
topology's marker, so that what a killed run leaves is found again. What is said over its VICI
socket is up to the backends (:mod:`lwip_enb.real.backends`) and the event watcher
(:mod:`lwip_enb.real.events`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from lwip_enb.errors import InvalidFieldError, StrongswanError
from lwip_enb.real.cleanup import CONF_HEADER, critical, marker_for, track, untrack
from lwip_enb.real.host import CHARON_PATH, LOGGER_NAME, PLUGINS, ROUTING_TABLE, env
from lwip_enb.real.session import ViciSession, close_session, open_session, text

__all__ = ["DEFAULT_LOG_LEVELS", "MAX_LOG_LEVEL", "Charon", "render_strongswan_conf"]

log = logging.getLogger(LOGGER_NAME)

MAX_LOG_LEVEL: Final = 3  # charon level 4 dumps key material
DEFAULT_LOG_LEVELS: Final[Mapping[str, int]] = {"default": 1, "cfg": 2, "ike": 2, "knl": 1}
_UNIX_PATH_MAX: Final = 107


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
    return f"""{CONF_HEADER} for one charon instance; nothing from /etc
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

    Without ``directory`` a temporary one is made (recorded in the marker of the topology of
    this process that owns ``namespace``, if there is one) and removed by :meth:`stop` unless
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
        if directory is None:
            # Not under /run: charon gets a /run of its own. Recorded in the topology's marker,
            # a killed run's files are swept with its namespaces.
            directory = tempfile.mkdtemp(prefix="lwip-charon-")
            marker = marker_for(namespace)
            if marker is not None:
                marker.add_path(Path(directory))
        self.directory = Path(directory).resolve()
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
        charon_env = env(STRONGSWAN_CONF=str(self.conf_path))
        cmd = [
            "ip", "netns", "exec", self.namespace,
            "unshare", "--mount", "--propagation", "private",
            "sh", "-c", 'mount --bind "$0" /run && exec "$1"', str(self.run_dir), str(CHARON_PATH),
        ]  # fmt: skip
        t0 = time.monotonic()
        self._stdout = open(self.stdout_path, "wb")  # noqa: SIM115 - closed by stop()
        track(self)  # before the process exists: a signal from here on stops it
        try:
            self._proc = subprocess.Popen(
                cmd,
                env=charon_env,
                stdin=subprocess.DEVNULL,
                stdout=self._stdout,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the terminal's SIGINT is ours to handle, in order
            )
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
                loaded = {text(p) for p in session.stats().get("plugins", [])}
            finally:
                close_session(session)
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
        return open_session(self.vici_path, timeout_s=timeout_s)

    def stop(self, *, timeout_s: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout_s``. Idempotent; a SIGTERM/SIGINT of this
        process waits for it."""
        with critical():
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
            untrack(self)

    def close(self) -> None:
        """:meth:`stop` (what :mod:`lwip_enb.real.cleanup` calls)."""
        self.stop()
