"""The general XwAP codec: any ``XwAP-PDU`` of TS 36.463, through asn1tools and the compiled
modules.

:func:`to_value` and the IE parsers translate between the typed messages of :mod:`.messages` and
asn1tools' values; :func:`encode` and :func:`decode_with_notify` run those through APER with
every constraint checked. Decoding is strict and applies 36.463 clause 10: it raises
:class:`~lwip_enb.errors.DecodeError` carrying the procedure code, IE id, criticality and cause
that an Error Indication needs, skips IEs of criticality ``ignore`` and reports those of
``notify``.

This is the reference the fast path (:mod:`.fast`) is held to, and what the public functions of
:mod:`lwip_enb.codec.xwap` fall back to, or use alone with ``fast=False``.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any, Final

import asn1tools  # type: ignore[import-untyped]

from lwip_enb import asn1
from lwip_enb.codec.fields import WlanIdentifiers, bits_to_uint, uint_to_bits
from lwip_enb.codec.xwap.messages import (
    MESSAGE_CLASSES,
    TIME_TO_WAIT_S,
    Cause,
    Criticality,
    CriticalityDiagnostics,
    EnbIdKind,
    GlobalEnbId,
    GtpTunnelEndpoint,
    IeDiagnostic,
    IpAddress,
    MessageKind,
    RawIe,
    SeGwSecurityInfo,
    Value,
    WlanInformation,
    WlanUsage,
    WtId,
    XwapMessage,
    message_info,
)
from lwip_enb.errors import DecodeError, EncodeError, InvalidFieldError
from lwip_enb.keys import KeyMaterial

__all__ = ["decode", "decode_value", "decode_with_notify", "encode", "read_ue_ids", "to_value"]

_BY_MESSAGE: Final = {cls.MESSAGE: cls for cls in MESSAGE_CLASSES}


# --- IE values <-> asn1tools values -------------------------------------------------------------


def _ue_id_to(v: int) -> bytes:
    return v.to_bytes(3, "big")


def _ue_id_from(v: bytes) -> int:
    return int.from_bytes(v, "big")


def _address_bits(addr: IpAddress) -> tuple[bytes, int]:
    return addr.packed, len(addr.packed) * 8


def _address_from_bits(v: tuple[bytes, int]) -> IpAddress:
    data, width = v
    if width == 32:
        return ipaddress.IPv4Address(data[:4])
    if width == 128:
        return ipaddress.IPv6Address(data[:16])
    raise InvalidFieldError("address", f"transport address of {width} bits is not supported")


def _gtp_to(v: GtpTunnelEndpoint) -> Value:
    return {"transportLayerAddress": _address_bits(v.address), "gTP-TEID": v.teid}


def _gtp_from(v: Value) -> GtpTunnelEndpoint:
    return GtpTunnelEndpoint(_address_from_bits(v["transportLayerAddress"]), v["gTP-TEID"])


def _security_to(v: SeGwSecurityInfo) -> Value:
    return {"lWIP-PSK": (v.psk.reveal(), 256), "iKE-Initiator-Identity": v.idi}


def _security_from(v: Value) -> SeGwSecurityInfo:
    data, _width = v["lWIP-PSK"]
    return SeGwSecurityInfo(KeyMaterial(data), v["iKE-Initiator-Identity"])


def _mobility_set_to(v: tuple[WlanIdentifiers, ...]) -> Value:
    out = []
    for w in v:
        item: dict[str, bytes] = {}
        if w.bssid is not None:
            item["bSSID"] = w.bssid
        if w.ssid is not None:
            item["sSID"] = w.ssid
        if w.hessid is not None:
            item["hESSID"] = w.hessid
        out.append(item)
    return out


def _mobility_set_from(v: Value) -> tuple[WlanIdentifiers, ...]:
    return tuple(WlanIdentifiers(i.get("sSID"), i.get("bSSID"), i.get("hESSID")) for i in v)


def _cause_to(v: Cause) -> Value:
    return (v.group.value, v.value)


def _cause_from(v: Value) -> Cause:
    return Cause(v[0], v[1])


def _diagnostics_to(v: CriticalityDiagnostics) -> Value:
    out: dict[str, Value] = {}
    if v.procedure_code is not None:
        out["procedureCode"] = v.procedure_code
    if v.triggering_message is not None:
        out["triggeringMessage"] = v.triggering_message.triggering_message
    if v.procedure_criticality is not None:
        out["procedureCriticality"] = v.procedure_criticality.value
    if v.ies:
        out["iEsCriticalityDiagnostics"] = [
            {"iECriticality": i.criticality.value, "iE-ID": i.ie_id, "typeOfError": i.type_of_error}
            for i in v.ies
        ]
    return out


_TRIGGERING: Final = {k.triggering_message: k for k in MessageKind}
_KINDS: Final = {k.value: k for k in MessageKind}


def _diagnostics_from(v: Value) -> CriticalityDiagnostics:
    trig = v.get("triggeringMessage")
    crit = v.get("procedureCriticality")
    return CriticalityDiagnostics(
        v.get("procedureCode"),
        _TRIGGERING[trig] if trig is not None else None,
        Criticality(crit) if crit is not None else None,
        tuple(
            IeDiagnostic(i["iECriticality"], i["iE-ID"], i["typeOfError"])
            for i in v.get("iEsCriticalityDiagnostics", ())
        ),
    )


def _enb_id_to(v: GlobalEnbId) -> Value:
    bits = v.kind.bits
    return {
        "pLMNidentity": v.plmn,
        "eNB-ID": (v.kind.asn1_name, uint_to_bits(v.enb_id, bits)),
    }


def _enb_id_from(v: Value) -> GlobalEnbId:
    name, bits = v["eNB-ID"]
    kinds = {k.asn1_name: k for k in EnbIdKind}
    if name not in kinds:
        raise InvalidFieldError("enb_id", f"{name} is not supported")
    return GlobalEnbId(v["pLMNidentity"], bits_to_uint(bits), kinds[name])


def _wt_id_to(v: WtId) -> Value:
    if v.plmn is not None:
        return (
            "wTID-Type1",
            {"pLMN-Identity": v.plmn, "shortWTID": uint_to_bits(v.value, 24)},
        )
    return ("wTID-Type2", uint_to_bits(v.value, 48))


def _wt_id_from(v: Value) -> WtId:
    name, body = v
    if name == "wTID-Type1":
        return WtId(bits_to_uint(body["shortWTID"]), body["pLMN-Identity"])
    return WtId(bits_to_uint(body))


def _usage_spec() -> asn1.IeSpec:
    """id and criticality of ``id-WLANUsage`` in ``WLANInformation-ExtIEs`` (9.2.7)."""
    (spec,) = asn1.xwap_ies("WLANInformation-ExtIEs").values()
    return spec


def _wlan_info_to(w: WlanInformation) -> Value:
    info: dict[str, Value] = {}
    if w.bssid is not None:
        info["bSS-Item"] = {"bSSID": w.bssid}
    if w.ssid is not None:
        info["sSID"] = w.ssid
    if w.hessid is not None:
        info["hESSID"] = w.hessid
    if w.usage is not None:
        spec = _usage_spec()
        info["iE-Extensions"] = [
            {
                "id": spec.id,
                "criticality": spec.criticality,
                "extensionValue": (spec.type_name, w.usage.value),
            }
        ]
    return info


def _wlan_info_from(info: Value) -> WlanInformation:
    bss = info.get("bSS-Item")
    usage = None
    usage_id = _usage_spec().id
    for ext in info.get("iE-Extensions", ()):
        value = ext["extensionValue"]
        if ext["id"] == usage_id and isinstance(value, tuple):
            usage = WlanUsage(value[1])
        elif ext["criticality"] == "reject":
            # 36.413 10.3.4.2: an extension not comprehended with criticality reject
            raise InvalidFieldError("wlan_identifiers", f"extension {ext['id']} not comprehended")
    return WlanInformation(
        info.get("sSID"), bss["bSSID"] if bss else None, info.get("hESSID"), usage
    )


def _single_container(item_set: str) -> asn1.IeSpec:
    (spec,) = asn1.xwap_ies(item_set).values()
    return spec


def _container_list_to(item_set: str, bodies: list[Value]) -> Value:
    spec = _single_container(item_set)
    return [
        {"id": spec.id, "criticality": spec.criticality, "value": (spec.type_name, body)}
        for body in bodies
    ]


def _container_list_from(v: Value) -> list[Value]:
    # an item of an id this version does not know stays raw bytes: it is skipped
    return [field["value"][1] for field in v if isinstance(field["value"], tuple)]


def _wlan_list_to(v: tuple[WlanInformation, ...]) -> Value:
    bodies = [{"wLANInformation": _wlan_info_to(w)} for w in v]
    return _container_list_to("WLANIdentifier-ItemIEs", bodies)


def _wlan_list_from(v: Value) -> tuple[WlanInformation, ...]:
    return tuple(_wlan_info_from(body["wLANInformation"]) for body in _container_list_from(v))


def _delete_list_to(v: tuple[bytes, ...]) -> Value:
    bodies = [{"bSSID": bssid} for bssid in v]
    return _container_list_to("WLANIdentifiersToDelete-ItemIEs", bodies)


def _delete_list_from(v: Value) -> tuple[bytes, ...]:
    return tuple(body["bSSID"] for body in _container_list_from(v))


def _delete_extension_list_to(v: tuple[WlanIdentifiers, ...]) -> Value:
    bodies = []
    for w in v:
        body: dict[str, bytes] = {}
        if w.ssid is not None:
            body["sSID"] = w.ssid
        if w.hessid is not None:
            body["hESSID"] = w.hessid
        bodies.append(body)
    return _container_list_to("WLANIdentifiersToDeleteExtension-ItemIEs", bodies)


def _delete_extension_list_from(v: Value) -> tuple[WlanIdentifiers, ...]:
    return tuple(
        WlanIdentifiers(ssid=body.get("sSID"), hessid=body.get("hESSID"))
        for body in _container_list_from(v)
    )


_TIME_TO_WAIT_NAMES: Final = {s: f"v{s}s" for s in TIME_TO_WAIT_S}


_CODECS: Final[dict[str, tuple[Callable[[Any], Value], Callable[[Value], Any]]]] = {
    "UE-XwAP-ID": (_ue_id_to, _ue_id_from),
    "UE-Identity": (bytes, bytes),
    "PLMN-Identity": (bytes, bytes),
    "LWIP-SeGWSecurityInfo": (_security_to, _security_from),
    "GTPtunnelEndpoint": (_gtp_to, _gtp_from),
    "MobilitySet": (_mobility_set_to, _mobility_set_from),
    "Cause": (_cause_to, _cause_from),
    "CriticalityDiagnostics": (_diagnostics_to, _diagnostics_from),
    "Global-ENB-ID": (_enb_id_to, _enb_id_from),
    "WTID": (_wt_id_to, _wt_id_from),
    "WLANIdentifier-List": (_wlan_list_to, _wlan_list_from),
    "WLANIdentifiersToDelete-List": (_delete_list_to, _delete_list_from),
    "WLANIdentifiersToDeleteExtension-List": (
        _delete_extension_list_to,
        _delete_extension_list_from,
    ),
    "TimeToWait": (lambda s: _TIME_TO_WAIT_NAMES[s], lambda v: int(v[1:-1])),
}


# --- encode / decode -------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == ()


def to_value(msg: XwapMessage) -> Value:
    """The ``XwAP-PDU`` value of ``msg`` in asn1tools' form, open types as ``(type, value)``."""
    info = message_info(msg.MESSAGE)
    ies: list[Value] = []
    for attr, id_name in msg.FIELDS:
        value = getattr(msg, attr)
        spec = info.by_name[id_name]
        if _empty(value):
            if spec.presence == "mandatory":
                raise EncodeError(f"{msg.MESSAGE}: {attr} is mandatory")
            continue
        to_asn1, _ = _CODECS[spec.type_name]
        ies.append(
            {
                "id": spec.id,
                "criticality": spec.criticality,
                "value": (spec.type_name, to_asn1(value)),
            }
        )
    for raw in getattr(msg, "other_ies", ()):
        ies.append({"id": raw.ie_id, "criticality": raw.criticality.value, "value": raw.value})
    body = {
        "procedureCode": info.procedure_code,
        "criticality": info.procedure_criticality,
        "value": (msg.MESSAGE, {"protocolIEs": ies}),
    }
    return (info.kind.value, body)


def encode(msg: XwapMessage) -> bytes:
    """APER-encode a typed XwAP message as an ``XwAP-PDU``, through asn1tools (any value, and the
    errors)."""
    value = to_value(msg)
    try:
        return bytes(asn1.xwap().encode_pdu(value, check_constraints=True))
    except (asn1tools.Error, asn1.Asn1Error) as exc:
        raise EncodeError(f"{msg.MESSAGE}: {exc}") from None


def decode_value(data: bytes) -> Value:
    """Decode an ``XwAP-PDU`` to asn1tools' form; raises DecodeError (transfer syntax)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DecodeError(f"expected bytes, got {type(data).__name__}")
    try:
        return asn1.xwap().decode_pdu(bytes(data), check_constraints=True)
    except Exception as exc:  # asn1tools raises several types on hostile input
        raise DecodeError(f"XwAP-PDU: {exc or type(exc).__name__}") from None


def decode(data: bytes) -> XwapMessage:
    """Strictly decode one XwAP PDU into its typed message (see :func:`decode_with_notify`)."""
    return decode_with_notify(data)[0]


def decode_with_notify(data: bytes) -> tuple[XwapMessage, tuple[IeDiagnostic, ...]]:
    """Decode through asn1tools, and also return the IEs with criticality ``notify`` that were
    not understood.

    36.463 clause 10: an IE not comprehended with criticality ``reject`` and a missing mandatory
    IE with criticality ``reject`` raise :class:`DecodeError`; ``ignore`` IEs are skipped;
    ``notify`` IEs are skipped and reported in the second element.
    """
    value = decode_value(data)
    kind_name, body = value
    if kind_name not in _KINDS:
        raise DecodeError(
            f"XwAP-PDU alternative {kind_name!r} is not known", cause="abstract-syntax-error-reject"
        )
    kind = _KINDS[kind_name]
    code = body["procedureCode"]
    proc_crit = body["criticality"]
    context: dict[str, Any] = {
        "procedure_code": code,
        "triggering_message": kind.value,
        "procedure_criticality": proc_crit,
    }
    content = body["value"]
    if not isinstance(content, tuple):
        raise DecodeError(
            f"procedure code {code} is not known",
            criticality=proc_crit,
            cause=(  # 36.463 9.2.6: the cause names the criticality
                "abstract-syntax-error-ignore-and-notify"
                if proc_crit == "notify"
                else "abstract-syntax-error-reject"
            ),
            **context,
        )
    name, message = content
    cls = _BY_MESSAGE.get(name)
    if cls is None:
        raise DecodeError(
            f"{name} is not supported here",
            criticality=proc_crit,
            cause="message-not-compatible-with-receiver-state",
            **context,
        )
    info = message_info(name)
    by_id = {spec.id: attr for attr, id_name in cls.FIELDS for spec in (info.by_name[id_name],)}
    fields: dict[str, Any] = {}
    other: list[RawIe] = []
    notify: list[IeDiagnostic] = []
    seen: set[int] = set()
    for ie in message["protocolIEs"]:
        ie_id, crit, ie_value = ie["id"], ie["criticality"], ie["value"]
        if ie_id in seen:
            raise DecodeError(
                f"{name}: IE {ie_id} twice",
                ie_id=ie_id,
                criticality=crit,
                cause="abstract-syntax-error-falsely-constructed-message",
                **context,
            )
        seen.add(ie_id)
        spec = info.ies.get(ie_id)
        if spec is None:
            if crit == "reject":
                raise DecodeError(
                    f"{name}: IE {ie_id} not comprehended",
                    ie_id=ie_id,
                    criticality=crit,
                    type_of_error="not-understood",
                    cause="abstract-syntax-error-reject",
                    **context,
                )
            if crit == "notify":
                notify.append(IeDiagnostic(crit, ie_id, "not-understood"))
            continue
        attr = by_id.get(ie_id)
        if attr is None:
            other.append(RawIe(ie_id, Criticality(crit), ie_value))
            continue
        try:
            fields[attr] = _CODECS[spec.type_name][1](ie_value[1])
        except (InvalidFieldError, KeyError, ValueError, TypeError, IndexError) as exc:
            if crit == "reject":
                raise DecodeError(
                    f"{name}: IE {spec.name}: {exc}",
                    ie_id=ie_id,
                    criticality=crit,
                    type_of_error="not-understood",
                    cause="abstract-syntax-error-reject",
                    **context,
                ) from None
            # 36.413 10.3.4.2: a value not comprehended with criticality ignore (or notify) is
            # skipped and the procedure goes on with the IEs understood (e.g. a Cause value of
            # a later version); with notify it is reported.
            fields[attr] = None
            if crit == "notify":
                notify.append(IeDiagnostic(crit, ie_id, "not-understood"))
    for spec in info.ies.values():
        if spec.presence == "mandatory" and spec.id not in seen:
            if spec.criticality == "reject":
                raise DecodeError(
                    f"{name}: mandatory IE {spec.name} missing",
                    ie_id=spec.id,
                    criticality=spec.criticality,
                    type_of_error="missing",
                    cause="abstract-syntax-error-reject",
                    **context,
                )
            # 36.413 10.3.5: a missing IE of criticality ignore (or notify) does not stop the
            # procedure; the message carries None for it (notify: reported).
            missing = by_id.get(spec.id)
            if missing is not None:
                fields[missing] = None
            if spec.criticality == "notify":
                notify.append(IeDiagnostic(spec.criticality, spec.id, "missing"))
    try:
        msg = cls(**fields, other_ies=tuple(other))  # type: ignore[call-arg]
    except (InvalidFieldError, TypeError) as exc:
        raise DecodeError(
            f"{name}: {exc}", criticality=proc_crit, cause="abstract-syntax-error-reject", **context
        ) from None
    return msg, tuple(notify)


def read_ue_ids(data: bytes) -> tuple[int | None, int | None]:
    """(eNB UE XwAP ID, WT UE XwAP ID) of an XwAP PDU, as far as they can be read, even when the
    message itself does not decode (36.463 8.6.2: an Error Indication about a UE-associated
    message carries its ids). (None, None) when the bytes do not get that far."""
    try:
        _kind, body = decode_value(data)
        content = body["value"]
        if not isinstance(content, tuple):
            return None, None
        ids: dict[str, int] = {}
        for ie in content[1]["protocolIEs"]:
            value = ie["value"]
            if isinstance(value, tuple) and value[0] == "UE-XwAP-ID":
                name = _ue_id_names().get(ie["id"])
                if name is not None and len(value[1]) == 3:
                    ids[name] = _ue_id_from(value[1])
        return ids.get("enb"), ids.get("wt")
    except (DecodeError, KeyError, TypeError, ValueError, IndexError):
        return None, None


@functools.cache
def _ue_id_names() -> dict[int, str]:
    spec = asn1.xwap_ies("LWIPReleaseRequired")  # any message with both ids
    by_name = {ie.name: ie.id for ie in spec.values()}
    return {by_name["id-ENB-UE-XwAP-ID"]: "enb", by_name["id-WT-UE-XwAP-ID"]: "wt"}
