"""``cold_start_s``: a new process to its first encoded RRC and XwAP message, ASN.1 cache warm.

Like for like with pycrate, whose start is importing its generated modules: ours loading the
XwAP and the RRC ASN.1 against pycrate importing its XwAP and RRCLTE modules, and ours loading
the XwAP ASN.1 alone against pycrate importing XwAP alone. (Our RRC fast path needs no RRC
ASN.1, so by default the library loads only the XwAP one; the headline loads both anyway.)

Each child reports what it loaded, and the parent checks it: the ASN.1 specifications of ours
(from :func:`lwip_enb.asn1.load_info`) and the pycrate modules in ``sys.modules``; ours also
print the bytes they encoded, which must be this process's.
"""

from __future__ import annotations

import statistics
from typing import Final

from lwip_enb.codec import rrc, xwap
from lwip_enb.keys import KeyMaterial
from lwip_enb.progress import Progress
from lwip_enb.tools.bench.quantity import Figure, measured
from lwip_enb.tools.bench.timing import Instruments, Sizes

__all__ = ["CHILDREN", "KEY", "measure"]

KEY = "cold_start_s"

_REPORT_OURS = (
    '*(f"asn1:{k}={v.source}" for k, v in asn1.load_info().items())'  # what was loaded, how
)
_REPORT_PYCRATE = (
    '*(f"module={m}" for m in ("pycrate_asn1dir.XwAP", "pycrate_asn1dir.RRCLTE") '
    "if m in sys.modules)"
)
_ADDITION = (
    'xwap.LwipAdditionRequest(1, b"\\x02" + bytes(5), '
    "xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), bytes(16)))"
)
_SETUP = 'rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", bytes(16), 0)'

#: kind -> the program of its child. Each prints ``time.time()`` (taken before it builds its
#: report) and then ``name=value`` tokens saying what it loaded and encoded.
CHILDREN: Final = {
    "ours_xwap_rrc": f"""\
import time
from lwip_enb import asn1
from lwip_enb.codec import rrc, xwap
from lwip_enb.keys import KeyMaterial
asn1.xwap(), asn1.rrc()
r = rrc.encode({_SETUP})
x = xwap.encode({_ADDITION})
t = time.time()
print(t, "rrc=" + r.hex(), "xwap=" + x.hex(), {_REPORT_OURS})
""",
    "pycrate_xwap_rrc": f"""\
import time, sys
import pycrate_asn1dir.XwAP, pycrate_asn1dir.RRCLTE
t = time.time()
print(t, {_REPORT_PYCRATE})
""",
    "ours_xwap": f"""\
import time
from lwip_enb import asn1
from lwip_enb.codec import xwap
from lwip_enb.keys import KeyMaterial
x = xwap.encode({_ADDITION})
t = time.time()
print(t, "xwap=" + x.hex(), {_REPORT_OURS})
""",
    "pycrate_xwap": f"""\
import time, sys
import pycrate_asn1dir.XwAP
t = time.time()
print(t, {_REPORT_PYCRATE})
""",
    "python_pass": "import time; print(time.time())",
}

_PYCRATE_BOTH = ["pycrate_asn1dir.XwAP", "pycrate_asn1dir.RRCLTE"]


def _expected() -> dict[str, dict[str, list[str]]]:
    """kind -> the tokens its child must print (the ASN.1 sources are checked apart)."""
    setup = rrc.encode(rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", bytes(16), 0))
    addition = xwap.encode(
        xwap.LwipAdditionRequest(
            1, b"\x02" + bytes(5), xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), bytes(16))
        )
    )
    return {
        "ours_xwap_rrc": {"rrc": [setup.hex()], "xwap": [addition.hex()]},
        "pycrate_xwap_rrc": {"module": _PYCRATE_BOTH},
        "ours_xwap": {"xwap": [addition.hex()]},
        "pycrate_xwap": {"module": _PYCRATE_BOTH[:1]},
        "python_pass": {},
    }


#: kind -> the ASN.1 specifications its child must have loaded
_ASN1: Final = {"ours_xwap_rrc": {"xwap", "rrc"}, "ours_xwap": {"xwap"}}


def _tokens(rest: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """A child's ``name=value`` tokens, and the ``asn1:kind=source`` ones apart."""
    tokens: dict[str, list[str]] = {}
    asn1: dict[str, str] = {}
    for token in rest.split():
        name, _, value = token.partition("=")
        if name.startswith("asn1:"):
            asn1[name.removeprefix("asn1:")] = value
        else:
            tokens.setdefault(name, []).append(value)
    return tokens, asn1


def measure(sizes: Sizes, inst: Instruments) -> Figure:
    """Median seconds from spawning ``python -c`` to the time its program prints, per kind.

    One warm-up round, then ``sizes.cold_runs`` rounds, each running every kind of
    :data:`CHILDREN` once in turn. The ASN.1 cache is warm: this process loaded (and, the first
    time, compiled and cached) both specifications before. Every child's report is checked
    against what its kind must load and encode. All measured: the headline is ours with the
    XwAP and RRC ASN.1; beside it ours with the XwAP ASN.1 alone; the baselines are pycrate's
    two imports and ``python -c`` of nothing but the time (the interpreter's own start).
    """
    expected = _expected()
    times: dict[str, list[float]] = {k: [] for k in CHILDREN}
    sources: dict[str, dict[str, str]] = {}
    with Progress("cold starts", (sizes.cold_runs + 1) * len(CHILDREN)) as progress:
        for run_no in range(sizes.cold_runs + 1):
            for kind, code in CHILDREN.items():
                seconds, rest = inst.spawn(code)
                progress.advance()
                tokens, asn1 = _tokens(rest)
                if tokens != expected[kind]:
                    raise AssertionError(f"cold start {kind}: the child printed {tokens}")
                if set(asn1) != _ASN1.get(kind, set()):
                    raise AssertionError(f"cold start {kind}: the child loaded ASN.1 {asn1}")
                sources[kind] = asn1
                if run_no:  # the first round is the warm-up
                    times[kind].append(seconds)
    runs = sizes.cold_runs
    basis = f"median of {runs} runs after a warm-up, spawn to the child's printed time"

    not_cached = {k: v for k, v in sources.items() if any(s != "cache" for s in v.values())}
    return Figure(
        KEY,
        "cold start to first encoded message, warm ASN.1 cache",
        measured(
            "ours: XwAP + RRC ASN.1 loaded, first RRC + XwAP message",
            statistics.median(times["ours_xwap_rrc"]),
            "s",
            runs,
            basis,
        ),
        {
            "pycrate_xwap_rrc_s": measured(
                "baseline: pycrate, import XwAP + RRCLTE (no message)",
                statistics.median(times["pycrate_xwap_rrc"]),
                "s",
                runs,
                basis,
                baseline=True,
            ),
            "ours_xwap_s": measured(
                "ours: XwAP ASN.1 alone, first XwAP message",
                statistics.median(times["ours_xwap"]),
                "s",
                runs,
                basis,
            ),
            "pycrate_xwap_s": measured(
                "baseline: pycrate, import XwAP alone (no message)",
                statistics.median(times["pycrate_xwap"]),
                "s",
                runs,
                basis,
                baseline=True,
            ),
            "python_pass_s": measured(
                "baseline: python -c, the interpreter alone",
                statistics.median(times["python_pass"]),
                "s",
                runs,
                basis,
                baseline=True,
            ),
        },
        notes=(
            (f"the children's ASN.1 was not all from the cache: {not_cached}",)
            if not_cached
            else ()
        ),
        extra={"asn1_sources": sources},
    )
