"""A real kernel SCTP stack for the ``sctp`` tests when the host kernel has none.

The tests then run inside a small VM: virtme-ng (``vng``) boots a distribution kernel that has
SCTP as a module under QEMU (software emulation: no KVM needed), with the host's root file system
as the guest's, read-only over 9p. The repository and its virtual environment are therefore the
same files inside; only a scratch directory is shared read-write, for the script the guest runs
and the JUnit XML it writes back. ``.ci/sctp-vm-deps`` (``make sctp-deps``) installs all of it.

tests/conftest.py registers :class:`SctpVmPlugin`: on a host without SCTP it replaces each
selected sctp test by a stand-in with the same node id; the first stand-in to run boots the VM
once for all of them (``pytest -m sctp`` inside, about 1.5 min under emulation), and each then
reports its own test's outcome there. ``python tests/helpers/sctp_vm.py [pytest args]`` does one
run by hand.

Environment:

- ``LWIP_ENB_IN_VM=1`` is set inside the guest: the tests run there natively;
- ``LWIP_ENB_SCTP_VM`` = ``auto`` (default: a VM only when the host has no SCTP), ``always``
  or ``never``;
- ``LWIP_ENB_VM_KERNEL``: the kernel image to boot (default: the newest ``/boot/vmlinuz-*``
  whose modules include SCTP);
- ``LWIP_ENB_VM_TIMEOUT``: seconds for boot and run together (default 900);
- ``LWIP_ENB_VM_KEEP=1`` keeps the scratch directory (console log, script, JUnit XML; its path
  is in the session's summary).
"""

from __future__ import annotations

import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

REPO_ROOT = Path(__file__).resolve().parents[2]
IN_VM_ENV = "LWIP_ENB_IN_VM"
MODE_ENV = "LWIP_ENB_SCTP_VM"
KERNEL_ENV = "LWIP_ENB_VM_KERNEL"
TIMEOUT_ENV = "LWIP_ENB_VM_TIMEOUT"
KEEP_ENV = "LWIP_ENB_VM_KEEP"
DEFAULT_TIMEOUT = 900.0
VM_MEMORY = "2G"
VM_CPUS = 2
# Passed on into the guest, where the environment starts afresh.
FORWARDED_ENV = ("LWIP_ENB_STRICT", "LWIP_ENB_CACHE", "HYPOTHESIS_PROFILE")
LOG_TAIL = 4000  # characters of the VM's console kept for a report


@dataclass(frozen=True)
class TestOutcome:
    """How one test went inside the VM, from its JUnit XML record."""

    outcome: str  # "passed", "failed", "error" or "skipped"
    message: str = ""
    details: str = ""


@dataclass
class VmRun:
    """One boot of the VM running pytest; ``started`` is False when no result came back."""

    started: bool
    reason: str = ""
    outcomes: dict[tuple[str, str], TestOutcome] = field(default_factory=dict)
    seconds: float = 0.0
    pytest_exit: int | None = None
    kernel: str = ""
    log_tail: str = ""
    scratch: str = ""

    def outcome(self, nodeid: str) -> TestOutcome | None:
        return self.outcomes.get(junit_key(nodeid))


def in_vm() -> bool:
    return os.environ.get(IN_VM_ENV, "") not in ("", "0")


def vm_mode() -> str:
    mode = os.environ.get(MODE_ENV, "auto").strip().lower() or "auto"
    if mode not in ("auto", "always", "never"):
        raise ValueError(f"{MODE_ENV} must be auto, always or never, not {mode!r}")
    return mode


def host_has_sctp() -> bool:
    """Whether this kernel opens an SCTP socket (the module loads on demand where it can)."""
    try:
        probe = socket.socket(
            socket.AF_INET, socket.SOCK_STREAM, getattr(socket, "IPPROTO_SCTP", 132)
        )
    except OSError:
        return False
    probe.close()
    return True


def _version_key(text: str) -> list[tuple[int, int | str]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def _kernel_has_sctp(release: str) -> bool:
    modules = Path("/lib/modules") / release
    if list((modules / "kernel" / "net" / "sctp").glob("sctp.ko*")):
        return True
    builtin = modules / "modules.builtin"
    return builtin.is_file() and "net/sctp/sctp.ko" in builtin.read_text()


def find_kernel() -> Path | None:
    """The kernel image to boot: $LWIP_ENB_VM_KERNEL, else the newest with SCTP in /boot."""
    chosen = os.environ.get(KERNEL_ENV)
    if chosen:
        return Path(chosen)
    images = [
        image
        for image in Path("/boot").glob("vmlinuz-*")
        if os.access(image, os.R_OK) and _kernel_has_sctp(image.name.removeprefix("vmlinuz-"))
    ]
    return max(images, key=lambda image: _version_key(image.name), default=None)


def find_vng() -> Path | None:
    """virtme-ng's ``vng``: beside this Python (the project's venv) first, then on PATH."""
    for candidate in (Path(sys.executable).parent / "vng", REPO_ROOT / ".venv" / "bin" / "vng"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("vng")
    return Path(found) if found else None


def qemu_binary() -> str:
    return f"qemu-system-{platform.machine()}"


def vm_available() -> tuple[bool, str]:
    """Whether a VM can be booted here, and what with (or what is missing)."""
    missing: list[str] = []
    vng = find_vng()
    if vng is None:
        missing.append("virtme-ng's vng (pip install virtme-ng)")
    qemu = shutil.which(qemu_binary())
    if qemu is None:
        missing.append(f"{qemu_binary()} (Debian: qemu-system-x86)")
    if shutil.which("busybox") is None:
        missing.append("busybox, for virtme-ng's initramfs (Debian: busybox-static)")
    kernel = find_kernel()
    if kernel is None:
        missing.append("a kernel image with SCTP modules in /boot (Debian: linux-image-amd64)")
    elif not kernel.is_file():
        missing.append(f"the kernel image {kernel} (${KERNEL_ENV})")
    if missing:
        return False, "no VM for SCTP: missing " + "; ".join(missing) + " - run `make sctp-deps`"
    return True, f"vng {vng}, {qemu}, kernel {kernel}"


def junit_key(nodeid: str) -> tuple[str, str]:
    """The (classname, name) under which pytest's JUnit XML records the test ``nodeid``."""
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
    names[-1] += bracket + params
    return ".".join(names[:-1]), names[-1]


def parse_junit(xml_path: Path) -> dict[tuple[str, str], TestOutcome]:
    outcomes: dict[tuple[str, str], TestOutcome] = {}
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        key = (case.get("classname", ""), case.get("name", ""))
        outcome = TestOutcome("passed")
        for kind in ("skipped", "error", "failure"):  # the last one found wins
            element = case.find(kind)
            if element is not None:
                outcome = TestOutcome(
                    {"failure": "failed", "error": "error"}.get(kind, kind),
                    element.get("message", ""),
                    (element.text or "").strip(),
                )
        outcomes[key] = outcome
    return outcomes


def _guest_script(
    scratch: Path, rootdir: Path, pytest_args: Sequence[str], env: dict[str, str]
) -> str:
    exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in sorted(env.items()))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--rootdir={rootdir}",
        f"--junitxml={scratch / 'junit.xml'}",
        "-m",
        "sctp",
        *pytest_args,
    ]
    return "\n".join(
        [
            "#!/bin/sh",
            f"cd {shlex.quote(str(rootdir))} || exit 99",
            "echo \"guest uptime before modprobe: $(cut -d' ' -f1 /proc/uptime) s\"",
            "modprobe sctp || echo 'modprobe sctp failed' >&2",
            f"export {exports}",
            " ".join(shlex.quote(part) for part in command),
            f"echo $? > {shlex.quote(str(scratch / 'exit'))}",
            "echo \"guest uptime after pytest: $(cut -d' ' -f1 /proc/uptime) s\"",
            "",
        ]
    )


def run_pytest_in_vm(
    pytest_args: Sequence[str], timeout: float | None = None, rootdir: Path = REPO_ROOT
) -> VmRun:
    """Boot the VM once and run ``pytest -m sctp *pytest_args`` inside it from ``rootdir``.

    ``pytest_args`` are node ids (relative to ``rootdir``) or other pytest arguments. The
    outcomes come back keyed by JUnit (classname, name); look them up with ``VmRun.outcome``.
    """
    ok, reason = vm_available()
    if not ok:
        return VmRun(started=False, reason=reason)
    if timeout is None:
        timeout = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    vng, kernel = find_vng(), find_kernel()
    assert vng is not None and kernel is not None
    scratch = Path(tempfile.mkdtemp(prefix="lwip-enb-sctp-vm-"))
    run = VmRun(started=False, kernel=str(kernel), scratch=str(scratch))
    guest_env = {name: os.environ[name] for name in FORWARDED_ENV if name in os.environ}
    guest_env |= {
        IN_VM_ENV: "1",
        "PYTHONDONTWRITEBYTECODE": "1",  # the repository is read-only in the guest
        "PYTHONUNBUFFERED": "1",
        "HYPOTHESIS_STORAGE_DIRECTORY": str(scratch / "hypothesis"),
    }
    script = scratch / "run.sh"
    script.write_text(_guest_script(scratch, rootdir, pytest_args, guest_env))
    command = [
        str(vng),
        "--run",
        str(kernel),
        "--disable-kvm",
        "--force-9p",
        "--memory",
        VM_MEMORY,
        "--cpus",
        str(VM_CPUS),
        "--rwdir",
        str(scratch),
        "--cwd",
        str(rootdir),
        "--exec",
        f"sh {shlex.quote(str(script))}",
    ]
    host_env = dict(os.environ)
    # vng starts virtme-run and friends by name: they are installed beside it.
    host_env["PATH"] = os.pathsep.join([str(vng.parent), host_env.get("PATH", os.defpath)])
    log_path = scratch / "console.log"
    started = time.monotonic()
    try:
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=rootdir,
                env=host_env,
                start_new_session=True,  # so that a timeout ends QEMU too
            )
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                run.reason = f"the VM did not finish within {timeout:.0f} s"
            except BaseException:  # interrupted: take QEMU down with us
                os.killpg(process.pid, signal.SIGKILL)
                raise
        run.seconds = time.monotonic() - started
        run.log_tail = log_path.read_text(errors="replace")[-LOG_TAIL:]
        exit_file, junit = scratch / "exit", scratch / "junit.xml"
        if exit_file.is_file():
            run.pytest_exit = int(exit_file.read_text().strip() or -1)
        if junit.is_file():
            run.outcomes = parse_junit(junit)
            run.started = True
        elif not run.reason:
            run.reason = (
                f"the VM wrote no test results (vng exit {process.returncode}, "
                f"pytest exit {run.pytest_exit})"
            )
    except OSError as error:
        run.reason = f"could not start the VM: {error}"
    finally:
        if os.environ.get(KEEP_ENV, "") in ("", "0"):
            shutil.rmtree(scratch, ignore_errors=True)
            run.scratch = ""
    if not run.started and run.log_tail:
        run.reason += "\n--- end of the VM's console ---\n" + run.log_tail
    return run


# The pytest side: registered by tests/conftest.py.

PLUGIN_NAME = "lwip-enb-sctp-vm"


def tests_need_vm() -> bool:
    """Whether this session's sctp tests go to a VM ($LWIP_ENB_SCTP_VM, else only without SCTP)."""
    mode = vm_mode()
    if mode == "never" or in_vm():
        return False
    return mode == "always" or not host_has_sctp()


class SctpTestInVm(pytest.Item):
    """Stands for an sctp test (same node id and markers); its outcome is the one in the VM."""

    def __init__(self, *, original: pytest.Item, plugin: SctpVmPlugin, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.original = original
        self.plugin = plugin
        self.own_markers.extend(original.own_markers)
        self.keywords.update(original.keywords)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.original.reportinfo()

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, pytest.fail.Exception):
            return str(excinfo.value)  # the reason, without a traceback through this file
        return super().repr_failure(excinfo, style)

    def runtest(self) -> None:
        run = self.plugin.vm_run(self.session)
        if not run.started:
            self.plugin.require_peer(False, run.reason)
        result = run.outcome(self.nodeid)
        if result is None:
            pytest.fail(
                f"the SCTP VM run did not report this test (pytest exit {run.pytest_exit})\n"
                f"--- end of the VM's console ---\n{run.log_tail}",
                pytrace=False,
            )
        if result.outcome == "skipped":
            pytest.skip(f"in the SCTP VM: {result.message}")
        if result.outcome != "passed":
            pytest.fail(
                f"in the SCTP VM ({result.outcome}): {result.message}\n{result.details}",
                pytrace=False,
            )


class SctpVmPlugin:
    """Puts the selected sctp tests in one VM run when this kernel has no SCTP."""

    def __init__(self, require_peer: Callable[[bool, str], None]) -> None:
        self.require_peer = require_peer
        self.run: VmRun | None = None

    @pytest.hookimpl(trylast=True)  # after -m and -k have deselected what they deselect
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not any(item.get_closest_marker("sctp") for item in items) or not tests_need_vm():
            return
        items[:] = [
            SctpTestInVm.from_parent(item.parent, name=item.name, original=item, plugin=self)
            if item.get_closest_marker("sctp") and item.parent is not None
            else item
            for item in items
        ]

    def vm_run(self, session: pytest.Session) -> VmRun:
        """The VM run of every stand-in in this session, booted by the first to ask."""
        if self.run is None:
            nodeids = [item.nodeid for item in session.items if isinstance(item, SctpTestInVm)]
            # The guest sees the host's files read-only and runs Python ~18x slower: compile the
            # 3GPP ASN.1 here, once, and point the guest at the same cache.
            from lwip_enb import asn1

            asn1.rrc()
            asn1.xwap()
            os.environ.setdefault("LWIP_ENB_CACHE", str(asn1.cache_dir()))
            self.run = run_pytest_in_vm(nodeids, rootdir=session.config.rootpath)
        return self.run

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.run is None:
            return
        terminalreporter.write_sep("-", "sctp tests in a VM (tests/helpers/sctp_vm.py)")
        if self.run.started:
            terminalreporter.write_line(
                f"{len(self.run.outcomes)} tests, kernel {self.run.kernel}: "
                f"boot and run {self.run.seconds:.1f} s, pytest exit {self.run.pytest_exit}"
            )
        else:
            terminalreporter.write_line(self.run.reason.splitlines()[0])
        if self.run.scratch:
            terminalreporter.write_line(f"kept: {self.run.scratch}")


def main(argv: Sequence[str]) -> int:
    """``python tests/helpers/sctp_vm.py [pytest args]``: run the sctp tests in the VM, by hand."""
    run = run_pytest_in_vm(list(argv))
    print(run.log_tail if run.started else run.reason)
    print(f"VM boot and run: {run.seconds:.1f} s, pytest exit {run.pytest_exit}")
    return 0 if run.started and run.pytest_exit == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
