"""The ``lwip-enb`` command line.

Standard output carries only the result; errors are one line on standard error with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from . import __version__
from .errors import LwipError
from .keys import KENB_LENGTH, KeyMaterial, derive_lwip_psk

PROG = "lwip-enb"
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _int(text: str) -> int:
    """Decimal, or hex with 0x: what an engineer types for a counter."""
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _cmd_psk(args: argparse.Namespace) -> int:
    kenb = KeyMaterial.from_hex(args.kenb, field="kenb", length=KENB_LENGTH)
    with kenb, derive_lwip_psk(kenb, args.counter) as psk:
        # The one output of the project whose job is to show a key.
        print(psk.hex())
    return 0


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
    except LwipError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
