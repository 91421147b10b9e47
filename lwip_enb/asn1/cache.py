"""Where the 3GPP modules are, the compile cache, and the entry points that load the codecs.

Compiling 36.331 takes several seconds, mostly in asn1tools' parser.  The compiled objects are
pickled into a cache directory (``$LWIP_ENB_CACHE``, else ``$XDG_CACHE_HOME/lwip-enb``, else
``~/.cache/lwip-enb``) keyed by a hash of the module texts, the asn1tools and Python versions,
:data:`~lwip_enb.asn1.transform.TRANSFORM_VERSION` and the source of every module of the
:mod:`lwip_enb.asn1` package; the cache is only ever read from that directory, so it must be no
more writable than the user's own files.

Anything that keeps the modules from loading (not found, unreadable, not parsable, not
transformable) is an :class:`~lwip_enb.errors.Asn1Error`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import asn1tools  # type: ignore[import-untyped]

from lwip_enb.asn1.build import compile_modules
from lwip_enb.asn1.model import IeSpec, MessageSpec, ProcedureSpec
from lwip_enb.asn1.opentype import Codec, XwapCodec
from lwip_enb.asn1.transform import TRANSFORM_VERSION
from lwip_enb.errors import Asn1Error
from lwip_enb.progress import Progress

LOG = logging.getLogger("lwip_enb.asn1")

#: The 36.331 modules compiled by :func:`rrc` (the others are not needed by the eNB side).
RRC_MODULES: Final = ("EUTRA-RRC-Definitions",)
#: The 36.463 modules compiled by :func:`xwap` (all of clause 9.3).
XWAP_MODULES: Final = (
    "XwAP-PDU-Descriptions",
    "XwAP-PDU-Contents",
    "XwAP-IEs",
    "XwAP-CommonDataTypes",
    "XwAP-Constants",
    "XwAP-Containers",
)

_ROOT: Final = Path(__file__).resolve().parent.parent  # lwip_enb/, where the search starts
_CODE_DIR: Final = Path(__file__).resolve().parent  # lwip_enb/asn1/, hashed into the cache key


@dataclass(frozen=True)
class LoadInfo:
    """How a codec was obtained in this process."""

    kind: str
    source: Literal["cache", "compiled"]
    seconds: float
    cache_file: Path | None


def asn1_dir() -> Path:
    """Where the extracted modules are: ``lwip_enb/_asn1`` when installed, else ``asn1/``."""
    for candidate in (_ROOT / "_asn1", _ROOT.parent / "asn1"):
        if (candidate / "36331").is_dir() and (candidate / "36463").is_dir():
            return candidate
    raise Asn1Error(f"extracted ASN.1 not found next to {_ROOT}")


def cache_dir() -> Path:
    """``$LWIP_ENB_CACHE``, else ``$XDG_CACHE_HOME/lwip-enb``, else ``~/.cache/lwip-enb``."""
    explicit = os.environ.get("LWIP_ENB_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "lwip-enb"


@dataclass(frozen=True)
class _Recipe:
    kind: str
    spec: str  # for messages
    folder: str
    modules: tuple[str, ...]
    codec: str


_RECIPES: Final = {
    "rrc": _Recipe("rrc", "TS 36.331 RRC", "36331", RRC_MODULES, "uper"),
    "xwap": _Recipe("xwap", "TS 36.463 XwAP", "36463", XWAP_MODULES, "per"),
}
_CACHE_FORMAT: Final = 2
_lock = threading.RLock()
_loaded: dict[str, Any] = {}
_info: dict[str, LoadInfo] = {}


def _texts(recipe: _Recipe) -> list[str]:
    folder = asn1_dir() / recipe.folder
    try:
        return [(folder / f"{m}.asn").read_text(encoding="utf-8") for m in recipe.modules]
    except (OSError, UnicodeDecodeError) as exc:  # a broken installation, not a bug: one line
        raise Asn1Error(f"cannot read the {recipe.spec} modules: {exc}") from exc


def _code() -> list[tuple[str, str]]:
    """(file name, text) of every module of this package, by name: the code that made the
    cached objects (any of it may change what the transformation produces)."""
    files = sorted(_CODE_DIR.glob("*.py"), key=lambda p: p.name)
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def _key(recipe: _Recipe, texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for part in (
        recipe.kind,
        recipe.codec,
        *recipe.modules,
        *texts,
        asn1tools.__version__,
        f"{sys.version_info.major}.{sys.version_info.minor}",
        str(TRANSFORM_VERSION),
        str(_CACHE_FORMAT),
        *(item for name_and_text in _code() for item in name_and_text),
    ):
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def _read_cache(path: Path, key: str) -> Any:
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # any corruption: recompile
        LOG.warning("ignoring unreadable ASN.1 cache %s: %s", path, exc)
        return None
    if (
        not isinstance(payload, tuple)
        or len(payload) != 3
        or payload[0] != _CACHE_FORMAT
        or payload[1] != key
    ):
        LOG.warning("ignoring ASN.1 cache %s: unexpected content", path)
        return None
    return payload[2]


def _write_cache(path: Path, key: str, obj: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((_CACHE_FORMAT, key, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        LOG.warning("could not write ASN.1 cache %s: %s", path, exc)
        return
    kind = path.name.split("-", 1)[0]
    for stale in path.parent.glob(f"{kind}-*.pickle"):
        if stale != path:  # left by another version of the modules, asn1tools or this package
            stale.unlink(missing_ok=True)


def _load(kind: str) -> Any:
    with _lock:
        if kind in _loaded:
            return _loaded[kind]
        recipe = _RECIPES[kind]
        start = time.monotonic()
        texts = _texts(recipe)
        key = _key(recipe, texts)
        path = cache_dir() / f"{kind}-{key[:32]}.pickle"
        expected = XwapCodec if kind == "xwap" else asn1tools.compiler.Specification
        obj = _read_cache(path, key)
        if obj is not None and not isinstance(obj, expected):
            LOG.warning("ignoring ASN.1 cache %s: holds a %s", path, type(obj).__name__)
            obj = None
        source: Literal["cache", "compiled"] = "cache"
        if obj is None:
            source = "compiled"
            message = (
                f"lwip-enb: compiling the 3GPP ASN.1 ({recipe.spec}) once and caching it "
                f"in {path.parent}"
            )
            LOG.info("%s", message)
            # stages: transform the modules, compile them, write the cache
            bar = Progress(f"lwip-enb: compiling {recipe.spec}", total=3)
            if bar.enabled:
                print(message, file=sys.stderr, flush=True)
            with bar:
                try:
                    codec = compile_modules(
                        texts, recipe.codec, XwapCodec if kind == "xwap" else Codec, bar
                    )
                except asn1tools.Error as exc:  # modules asn1tools cannot parse or compile
                    raise Asn1Error(f"{recipe.spec}: {exc}") from exc
                obj = codec if kind == "xwap" else codec.spec
                _write_cache(path, key, obj)
                bar.advance()
        seconds = time.monotonic() - start
        _info[kind] = LoadInfo(kind, source, seconds, path)
        LOG.debug("%s ASN.1 %s in %.3f s", kind, source, seconds)
        _loaded[kind] = obj
        return obj


def rrc() -> Any:
    """The asn1tools specification of :data:`RRC_MODULES` (UPER), e.g.
    ``rrc().encode('DL-DCCH-Message', value)``."""
    return _load("rrc")


def xwap() -> XwapCodec:
    """The XwAP codec (APER, all six modules, open types expanded)."""
    codec = _load("xwap")
    assert isinstance(codec, XwapCodec)
    return codec


def xwap_ies(container: str) -> dict[int, IeSpec]:
    """IE id -> IeSpec for an XwAP object set name or a message type name."""
    return xwap().ies(container)


def xwap_procedures() -> dict[int, ProcedureSpec]:
    """procedureCode -> ProcedureSpec, from ``XWAP-ELEMENTARY-PROCEDURES``."""
    return xwap().procedures()


def xwap_message(type_name: str) -> MessageSpec:
    """Procedure code and PDU alternative of an XwAP message type (``LWIPAdditionRequest``)."""
    return xwap().message_spec(type_name)


def xwap_enumeration(type_name: str) -> tuple[str, ...]:
    """The values of an XwAP ENUMERATED type (``CauseRadioNetwork``), extensions included."""
    return xwap().enumeration(type_name)


def xwap_enumeration_parts(type_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An XwAP ENUMERATED type's root values and extension additions, each in PER index order."""
    return xwap().enumeration_parts(type_name)


def load_info() -> dict[str, LoadInfo]:
    """How :func:`rrc` and :func:`xwap` were obtained in this process (cache or compiled)."""
    with _lock:
        return dict(_info)
