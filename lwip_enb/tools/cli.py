"""The ``lwip-enb`` command line.

Standard output carries only the result; errors are one line on standard error with exit status 2.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import string
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final, NoReturn

from lwip_enb import __version__
from lwip_enb.errors import InvalidFieldError, LwipError
from lwip_enb.keys import KENB_LENGTH, KeyMaterial, derive_lwip_psk

PROG = "lwip-enb"
EXIT_USAGE = 2


#: Eight or more hex octets in a row, with or without separators (a 64-bit key is 8 octets): an
#: argument value that looks like this is never repeated in an error message.
_KEY_LIKE = re.compile(r"(?:0[xX])?(?:[0-9A-Fa-f]{2}[\s:.-]?){8,}")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump), exit status 2, and never repeats
    an argument value that may be key material: a misplaced KeNB or PSK (an extra positional, a
    key typed into ``--counter``, a key where a kind was expected) must not reach a terminal
    log or a CI transcript."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            count = len(message.partition(":")[2].split())
            message = f"{count} unrecognized argument(s) (values not shown)"
        message = _KEY_LIKE.sub("<value not shown>", message)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _int(text: str) -> int:
    """Decimal, or hex with 0x: what an engineer types for a counter."""
    try:
        return int(text, 0)
    except ValueError:
        # the value is not repeated: a key typed here by mistake stays off the terminal
        raise argparse.ArgumentTypeError("not an integer (decimal, or hex with 0x)") from None


def _cmd_psk(args: argparse.Namespace) -> int:
    kenb = KeyMaterial.from_hex(args.kenb, field="kenb", length=KENB_LENGTH)
    with kenb, derive_lwip_psk(kenb, args.counter) as psk:
        # The one output of the project whose job is to show a key.
        print(psk.hex())
    return 0


def _hex(text: str) -> bytes:
    digits = "".join(text.split()).removeprefix("0x")
    try:
        return bytes.fromhex(digits)
    except ValueError:
        if len(digits) % 2 and all(c in string.hexdigits for c in digits):
            # the count, not the digits: a key cut short by one digit stays off the terminal
            raise argparse.ArgumentTypeError(
                f"odd length: {len(digits)} hex digits are not whole octets"
            ) from None
        raise argparse.ArgumentTypeError("not a hexadecimal string") from None


#: The kinds of PDU ``decode`` reads (and ``encode`` writes from JSON), with what they are.
KINDS: Final = {
    "rrc-dl-dcch": "RRC DL-DCCH-Message (UPER, TS 36.331): what the eNB sends the UE "
    "(RRCConnectionReconfiguration, UECapabilityEnquiry)",
    "rrc-ul-dcch": "RRC UL-DCCH-Message (UPER): what the UE sends on DCCH "
    "(RRCConnectionReconfigurationComplete, WLANConnectionStatusReport-r13, "
    "MeasurementReport, UECapabilityInformation)",
    "rrc-ul-ccch": "RRC UL-CCCH-Message (UPER): RRCConnectionReestablishmentRequest",
    "xwap": "XwAP-PDU (APER, TS 36.463): between the eNB and the LWIP-SeGW (WT)",
}


def _read_text(path: str, field: str) -> str:
    """The text of ``path`` (``-``: standard input); errors name the file, never its content."""
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise InvalidFieldError(field, f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidFieldError(field, f"{path} is not UTF-8 text") from None


def _read_json(path: str) -> Any:
    """The JSON in ``path`` (``-``: standard input)."""
    text = _read_text(path, "json")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFieldError(
            "json", f"{path}: not JSON (line {exc.lineno}, column {exc.colno})"
        ) from None


def _cmd_encode(args: argparse.Namespace) -> int:
    from lwip_enb.codec import (
        rrc,
        xwap,  # the codecs load the ASN.1: only when asked to
    )

    if args.what in KINDS:
        from lwip_enb.codec.rrc.messages import to_channel
        from lwip_enb.tools import typedjson

        channel = None if args.what == "xwap" else to_channel(args.what.removeprefix("rrc-"))

        def accepts(cls: type[Any]) -> bool:  # the kind's typed messages only
            if channel is None:
                return issubclass(cls, xwap.XwapMessage)
            return getattr(cls, "CHANNEL", None) is channel

        msg = typedjson.from_json(_read_json(args.json), accepts)
        try:
            pdu = xwap.encode(msg) if args.what == "xwap" else rrc.encode(msg)
        finally:
            typedjson.wipe(msg)
        print(pdu.hex())
    elif args.what == "rrc-lwip-setup":
        setup = rrc.RrcConnectionReconfiguration.lwip_setup(
            args.transaction_id, args.segw, args.idi, args.counter
        )
        print(rrc.encode(setup).hex())
    elif args.what == "rrc-lwip-release":
        print(rrc.encode(rrc.RrcConnectionReconfiguration.lwip_release(args.transaction_id)).hex())
    else:
        if len(args.enb_ue_id) != 3:
            raise InvalidFieldError("enb_ue_id", f"must be 3 octets, got {len(args.enb_ue_id)}")
        with KeyMaterial(args.psk) as psk:
            addition = xwap.LwipAdditionRequest(
                int.from_bytes(args.enb_ue_id, "big"),
                args.wlan_mac,
                xwap.SeGwSecurityInfo(psk, args.idi),
            )
            print(xwap.encode(addition).hex())
    return 0


def _decoded(kind: str, data: bytes) -> Any:
    """The JSON view of one PDU of ``kind``, strictly decoded (raises the codec's error)."""
    from lwip_enb.codec import rrc, xwap
    from lwip_enb.tools.jsonview import to_json, xwap_to_json

    if kind == "xwap":
        xwap.decode(data)  # strict: IE presence, criticality, values
        return xwap_to_json(xwap.decode_value(data))
    channel = kind.removeprefix("rrc-")
    rrc.decode(channel, data)
    return to_json(rrc.decode_value(channel, data))


def _fits(kind: str, data: bytes) -> bool:
    try:
        _decoded(kind, data)
    except LwipError:
        return False
    return True


def _cmd_decode(args: argparse.Namespace) -> int:
    if args.trace is not None:
        if args.what is not None:
            raise InvalidFieldError("decode", "--trace FILE takes no KIND or HEX")
        return _decode_trace(args.trace)
    if args.what is None or args.hex is None:
        raise InvalidFieldError("decode", "give KIND HEX, or --trace FILE")
    try:
        value = _decoded(args.what, args.hex)
    except LwipError as exc:
        others = [k for k in KINDS if k != args.what and _fits(k, args.hex)]
        if not others:
            raise
        hint = f"these bytes decode as {others[0]}; try `{PROG} decode {others[0]} ...`"
        raise LwipError(f"{exc}; {hint}") from exc
    print(json.dumps(value, indent=2))
    return 0


def _decode_trace(path: str) -> int:
    """Every record of a trace (``docs/trace.md``): JSON lines as ``demo --json`` prints them, or
    one JSON array of records (``Simulation.trace``). Each message record gains ``decoded``
    (or ``error``); node events pass unchanged. One JSON array out."""
    text = _read_text(path, "trace")
    records: list[Any]
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            records = json.loads(text)
        else:
            records = []
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError:
                        raise InvalidFieldError(
                            "trace", f"{path}, line {number}: not a JSON record"
                        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidFieldError("trace", f"{path}: not JSON (line {exc.lineno})") from None
    out = []
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise InvalidFieldError("trace", f"{path}: record {number} is not an object")
        out.append(_decode_record(record))
    print(json.dumps(out, indent=2))
    return 0


def _decode_record(record: dict[str, Any]) -> dict[str, Any]:
    pdu, protocol = record.get("pdu"), record.get("protocol")
    if not isinstance(pdu, str):
        return record  # a node event
    if protocol == "xwap":
        kind = "xwap"
    elif protocol == "rrc" and f"rrc-{record.get('channel')}" in KINDS:
        kind = f"rrc-{record.get('channel')}"
    else:
        return {**record, "error": "unknown protocol or channel"}
    try:
        data = bytes.fromhex(pdu)
    except ValueError:
        return {**record, "error": "pdu is not hex"}
    try:
        return {**record, "decoded": _decoded(kind, data)}
    except LwipError as exc:
        return {**record, "error": str(exc)}


def _cmd_demo(args: argparse.Namespace) -> int:
    from lwip_enb.tools import demo

    kenb = None
    if args.kenb is not None:
        with KeyMaterial.from_hex(args.kenb, field="kenb", length=KENB_LENGTH) as k:
            kenb = k.reveal()
    if args.segw is not None:
        try:
            ipaddress.ip_address(args.segw)
        except ValueError:
            raise InvalidFieldError("segw", f"not an IP address: {args.segw!r}") from None

    def show(record: dict[str, object]) -> None:
        if args.json:
            print(json.dumps(record, separators=(",", ":")))
        else:
            print(demo.format_record(record))

    if not args.json:
        where = "strongSwan in namespaces" if args.real else "in-process"
        print(f"lwip-enb demo: scenario {args.scenario} (eNB, LWIP-SeGW and UE, {where})")
    if args.real:
        from lwip_enb.real.host import available

        ok, missing = available()
        if not ok:
            print(f"{PROG}: error: --real needs root and strongSwan: {missing}", file=sys.stderr)
            return EXIT_USAGE
        if args.segw is not None:
            raise InvalidFieldError("segw", "--real uses the SeGW address of its own topology")
    sim = demo.run(args.scenario, kenb=kenb, segw_address=args.segw, listener=show, real=args.real)
    try:
        if not args.json:
            states = ", ".join(f"UE {k}: {v.value}" for k, v in demo.final_states(sim).items())
            print(f"end of scenario {args.scenario}: {states}")
        if args.pcap is not None:
            from lwip_enb.tools import pcap

            addresses = {**pcap.DEFAULT_ADDRESSES, "segw": sim.segw_address}
            count = pcap.write_pcapng(sim.trace, args.pcap, addresses=addresses)
            # on stderr: standard output stays the story (or JSON lines)
            print(f"{PROG}: {count} PDUs written to {args.pcap} (pcapng)", file=sys.stderr)
    finally:
        close = getattr(sim, "close", None)
        if close is not None:
            close()
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from lwip_enb.tools import bench

    return bench.main(json_out=args.json, quick=args.quick)


Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="LTE-WLAN integration with IPsec tunnel (LWIP), eNB side.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    psk = sub.add_parser(
        "psk",
        help="derive an LWIP-PSK from KeNB and an LWIP counter (prints the key)",
        description="Derive LWIP-PSK = KDF(KeNB, FC 0x1E, counter) and print it as hex.",
    )
    psk.add_argument("--kenb", required=True, metavar="HEX", help="KeNB, 32 octets in hex")
    psk.add_argument(
        "--counter", required=True, type=_int, metavar="N", help="LWIP counter, 0..65535"
    )
    psk.set_defaults(handler=_cmd_psk)

    enc = sub.add_parser("encode", help="encode one message, print its hex")
    enc_sub = enc.add_subparsers(
        dest="what", metavar="MESSAGE", required=True, parser_class=_Parser
    )
    for kind, what in KINDS.items():
        typed = enc_sub.add_parser(
            kind,
            help=f"any typed {kind} message, described in JSON",
            description=f'Encode one {what}, described in JSON: {{"message": NAME, '
            "attribute: value, ...}, the attributes of the typed class (docs/cli.md).",
        )
        typed.add_argument(
            "--json", required=True, metavar="FILE", help="the message in JSON; - reads stdin"
        )
    setup = enc_sub.add_parser("rrc-lwip-setup", help="DL-DCCH reconfiguration: LWIP set-up")
    setup.add_argument("--segw", required=True, metavar="ADDR", help="LWIP-SeGW IPv4/IPv6")
    setup.add_argument("--idi", required=True, type=_hex, metavar="HEX", help="IKE IDi octets")
    setup.add_argument("--counter", required=True, type=_int, metavar="N", help="LWIP counter")
    setup.add_argument("--transaction-id", type=_int, default=0, metavar="N", help="0..3")
    release = enc_sub.add_parser("rrc-lwip-release", help="DL-DCCH reconfiguration: release")
    release.add_argument("--transaction-id", type=_int, default=0, metavar="N", help="0..3")
    add = enc_sub.add_parser("xwap-lwip-addition", help="XwAP LWIP ADDITION REQUEST")
    add.add_argument("--enb-ue-id", required=True, type=_hex, metavar="HEX", help="3 octets")
    add.add_argument("--wlan-mac", required=True, metavar="MAC", help="UE WLAN MAC")
    add.add_argument("--psk", required=True, type=_hex, metavar="HEX", help="LWIP-PSK, 32 octets")
    add.add_argument("--idi", required=True, type=_hex, metavar="HEX", help="IKE IDi octets")
    enc.set_defaults(handler=_cmd_encode)

    dec = sub.add_parser(
        "decode",
        help="decode one message from hex, or a whole trace, print JSON",
        description="Decode one PDU of KIND from HEX and print it as JSON with the "
        "specification's field names (XwAP IE ids and procedure codes named beside their "
        "numbers), or decode every message of a trace (--trace FILE).",
        epilog="kinds:\n"
        + "\n".join(f"  {k:<12} {v}" for k, v in KINDS.items())
        + "\n\nDecoding is strict: trailing octets or a missing mandatory IE are errors; when "
        "the bytes are no PDU of KIND but one of another kind, the error says which.\n"
        "A PDU carrying the LWIP-PSK (LWIP ADDITION REQUEST) is printed with it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dec.add_argument("what", nargs="?", choices=list(KINDS), metavar="KIND", help="see below")
    dec.add_argument("hex", nargs="?", type=_hex, metavar="HEX", help="the PDU's octets in hex")
    dec.add_argument(
        "--trace",
        metavar="FILE",
        help="decode every message record of a trace (demo --json, docs/trace.md); - reads stdin",
    )
    dec.set_defaults(handler=_cmd_decode)

    from lwip_enb.tools.demo import SCENARIOS

    demo = sub.add_parser("demo", help="run eNB, SeGW and UE in-process and print the story")
    demo.add_argument("--scenario", choices=sorted(SCENARIOS), default="full")
    demo.add_argument("--kenb", metavar="HEX", help="KeNB to use (32 octets)")
    demo.add_argument("--segw", metavar="ADDR", help="LWIP-SeGW address given to the UE")
    demo.add_argument("--json", action="store_true", help="print the trace as JSON lines")
    demo.add_argument(
        "--pcap", metavar="FILE", help="also write every PDU of the trace as pcapng (Wireshark)"
    )
    demo.add_argument(
        "--real", action="store_true", help="IKEv2/ESP by strongSwan in namespaces (root)"
    )
    demo.set_defaults(handler=_cmd_demo)

    bench = sub.add_parser(
        "bench",
        help="measure activation rate, release storm, memory, cold start and codecs against "
        "baselines (needs pycrate)",
    )
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument(
        "--quick", action="store_true", help="small N (seconds, for tests); same keys, N stated"
    )
    bench.set_defaults(handler=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except BrokenPipeError:  # e.g. piped into head: not an error of ours
        sys.stderr.close()
        return 0
    except LwipError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
