"""The IKE step between UE and LWIP-SeGW, as an interface with an in-process model.

:class:`ModelIke` authenticates the way IKEv2 does with a pre-shared key (RFC 7296 2.15): each side
proves knowledge of the key with ``prf(prf(PSK, "Key Pad for IKEv2"), signed octets)``, the signed
octets binding both nonces and the sender's identity. A wrong LWIP-PSK or IDi therefore fails for
real. It is not IKEv2 on the wire; the strongSwan backend is (see docs/).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Final, Literal, Protocol, TypeAlias

import attrs
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _crypto_hmac

from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial

__all__ = [
    "ESP_ALSO_ACCEPTED",
    "ESP_MANDATORY",
    "ESP_PROPOSALS",
    "IKE_ALSO_ACCEPTED",
    "IKE_MANDATORY",
    "IKE_PROPOSALS",
    "IkeAuthRequest",
    "IkeAuthResponse",
    "IkeInitiator",
    "ModelIke",
    "Proposal",
    "ProposalKind",
    "Transform",
    "auth_value",
    "choose",
    "parse_proposal",
]

_KEY_PAD = b"Key Pad for IKEv2"  # RFC 7296 2.15

# ---- the R8 profile ----------------------------------------------------------------------------
#
# R8: "The profiles for IKEv2 and IPsec ESP as defined in TS 33.310 shall be used"; TS 33.310 points
# to TS 33.210 for both. The lists are in strongSwan's proposal syntax, one algorithm of each
# transform type per proposal so that each line is one suite of the profile. The TS 33.210 text is
# not on this machine: the clause citations below are from memory of TS 33.210 V17 (Release 17)
# and were not checked against the text; docs/ike-esp-profile.md says what could not be verified.
#
# The reference SeGW (peers/segw.py) and the strongSwan SeGW (real/backends.py) accept exactly
# IKE_PROPOSALS and ESP_PROPOSALS; the UE of both offers the same lists.

#: TS 33.210 V17 clause 5.4 (IKEv2 profile, IKE_SA), the algorithms that shall be supported:
#: ENCR_AES_CBC with 128-bit keys, AUTH_HMAC_SHA2_256_128 and PRF_HMAC_SHA2_256, with DH group 19
#: (256-bit random ECP) or DH group 14 (2048-bit MODP). A UE offering only these gets a tunnel.
IKE_MANDATORY: Final[tuple[str, ...]] = (
    "aes128-sha256-prfsha256-ecp256",
    "aes128-sha256-prfsha256-modp2048",
)
#: TS 33.210 V17 clause 5.4, further algorithms of the profile accepted here (AES-256, and
#: ENCR_AES_GCM_16 of RFC 5282 with the profile's PRF), with the same DH groups.
IKE_ALSO_ACCEPTED: Final[tuple[str, ...]] = (
    "aes256gcm16-prfsha256-ecp256",
    "aes256-sha256-prfsha256-ecp256",
    "aes128gcm16-prfsha256-ecp256",
    "aes256gcm16-prfsha256-modp2048",
    "aes256-sha256-prfsha256-modp2048",
    "aes128gcm16-prfsha256-modp2048",
)
#: What the SeGW accepts and the UE offers for the IKE_SA, most preferred first (the responder's
#: order decides, as strongSwan's does by default): ECP-256 before MODP-2048, and within each the
#: 256-bit suites, then the 128-bit ones, the mandatory one last. Exactly the two lists above.
IKE_PROPOSALS: Final[tuple[str, ...]] = (
    "aes256gcm16-prfsha256-ecp256",
    "aes256-sha256-prfsha256-ecp256",
    "aes128gcm16-prfsha256-ecp256",
    "aes128-sha256-prfsha256-ecp256",
    "aes256gcm16-prfsha256-modp2048",
    "aes256-sha256-prfsha256-modp2048",
    "aes128gcm16-prfsha256-modp2048",
    "aes128-sha256-prfsha256-modp2048",
)

#: TS 33.210 V17 clause 5.3 (ESP profile), the transforms that shall be supported, with
#: confidentiality: ENCR_AES_GCM_16 with 128-bit keys (RFC 4106), and ENCR_AES_CBC with 128-bit
#: keys (RFC 3602) with AUTH_HMAC_SHA2_256_128 (RFC 4868). Tunnel mode (clause 5.3).
ESP_MANDATORY: Final[tuple[str, ...]] = ("aes128gcm16", "aes128-sha256")
#: TS 33.210 V17 clause 5.3, the same transforms with 256-bit keys, accepted here as well.
ESP_ALSO_ACCEPTED: Final[tuple[str, ...]] = ("aes256gcm16", "aes256-sha256")
#: What the SeGW accepts and the UE offers for the CHILD_SA, most preferred first: exactly the
#: two lists above.
ESP_PROPOSALS: Final[tuple[str, ...]] = (
    "aes256gcm16",
    "aes128gcm16",
    "aes256-sha256",
    "aes128-sha256",
)


class Transform(enum.IntEnum):
    """IKEv2 transform types (RFC 7296 3.3.2), in the order a proposal is printed."""

    ENCR = 1
    INTEG = 3
    PRF = 2
    DH = 4
    ESN = 5


# strongSwan's proposal keywords (the subset a UE could plausibly offer) -> IANA-style names, as
# strongSwan prints a selected proposal (e.g. ``AES_CBC_128/HMAC_SHA2_256_128/...``).
_ENCR: Final[dict[str, str]] = {
    **{f"aes{k}": f"AES_CBC_{k}" for k in (128, 192, 256)},
    "aes": "AES_CBC_128",
    **{f"aes{k}ctr": f"AES_CTR_{k}" for k in (128, 192, 256)},
    **{f"aes{k}gcm{icv}": f"AES_GCM_{icv}_{k}" for k in (128, 192, 256) for icv in (8, 12, 16)},
    **{f"aes{k}gcm{bits}": f"AES_GCM_{bits // 8}_{k}"
       for k in (128, 192, 256) for bits in (64, 96, 128)},
    **{f"aes{k}ccm{icv}": f"AES_CCM_{icv}_{k}" for k in (128, 192, 256) for icv in (8, 12, 16)},
    **{f"aes{k}gmac": f"NULL_AES_GMAC_{k}" for k in (128, 192, 256)},
    **{f"camellia{k}": f"CAMELLIA_CBC_{k}" for k in (128, 192, 256)},
    "chacha20poly1305": "CHACHA20_POLY1305_256",
    "3des": "3DES_CBC",
    "des": "DES_CBC",
    "blowfish": "BLOWFISH_CBC_128",
    "cast128": "CAST_CBC_128",
    "null": "NULL",
}  # fmt: skip
_AEAD_PREFIXES: Final = ("AES_GCM_", "AES_CCM_", "CHACHA20_POLY1305", "NULL_AES_GMAC_")
_INTEG: Final[dict[str, str]] = {
    "md5": "HMAC_MD5_96",
    "md5_128": "HMAC_MD5_128",
    "sha1": "HMAC_SHA1_96",
    "sha": "HMAC_SHA1_96",
    "sha1_160": "HMAC_SHA1_160",
    "sha256": "HMAC_SHA2_256_128",
    "sha2_256": "HMAC_SHA2_256_128",
    "sha256_96": "HMAC_SHA2_256_96",
    "sha384": "HMAC_SHA2_384_192",
    "sha2_384": "HMAC_SHA2_384_192",
    "sha512": "HMAC_SHA2_512_256",
    "sha2_512": "HMAC_SHA2_512_256",
    "aesxcbc": "AES_XCBC_96",
    "aescmac": "AES_CMAC_96",
}
_PRF: Final[dict[str, str]] = {
    "prfmd5": "PRF_HMAC_MD5",
    "prfsha1": "PRF_HMAC_SHA1",
    "prfsha256": "PRF_HMAC_SHA2_256",
    "prfsha384": "PRF_HMAC_SHA2_384",
    "prfsha512": "PRF_HMAC_SHA2_512",
    "prfaesxcbc": "PRF_AES128_XCBC",
    "prfaescmac": "PRF_AES128_CMAC",
}
# strongSwan derives the IKE PRF from the integrity algorithm when a proposal names no PRF.
_PRF_OF_INTEG: Final[dict[str, str]] = {
    "HMAC_MD5_96": "PRF_HMAC_MD5",
    "HMAC_SHA1_96": "PRF_HMAC_SHA1",
    "HMAC_SHA2_256_128": "PRF_HMAC_SHA2_256",
    "HMAC_SHA2_384_192": "PRF_HMAC_SHA2_384",
    "HMAC_SHA2_512_256": "PRF_HMAC_SHA2_512",
    "AES_XCBC_96": "PRF_AES128_XCBC",
    "AES_CMAC_96": "PRF_AES128_CMAC",
}
_DH: Final[dict[str, str]] = {
    **{f"modp{b}": f"MODP_{b}" for b in (768, 1024, 1536, 2048, 3072, 4096, 6144, 8192)},
    "modp1024s160": "MODP_1024_160",
    "modp2048s224": "MODP_2048_224",
    "modp2048s256": "MODP_2048_256",
    **{f"ecp{b}": f"ECP_{b}" for b in (192, 224, 256, 384, 521)},
    **{f"ecp{b}bp": f"ECP_{b}_BP" for b in (224, 256, 384, 512)},
    "curve25519": "CURVE_25519",
    "x25519": "CURVE_25519",
    "curve448": "CURVE_448",
    "x448": "CURVE_448",
}
_ESN: Final[dict[str, str]] = {"esn": "EXT_SEQ", "noesn": "NO_EXT_SEQ"}
_KEYWORDS: Final[tuple[tuple[Transform, dict[str, str]], ...]] = (
    (Transform.ENCR, _ENCR),
    (Transform.INTEG, _INTEG),
    (Transform.PRF, _PRF),
    (Transform.DH, _DH),
    (Transform.ESN, _ESN),
)

ProposalKind: TypeAlias = Literal["ike", "esp"]


@attrs.frozen(slots=True)
class Proposal:
    """One proposal: for each transform type the algorithms it allows, in preference order."""

    algorithms: tuple[tuple[Transform, tuple[str, ...]], ...]

    def of(self, kind: Transform) -> tuple[str, ...]:
        return next((algs for t, algs in self.algorithms if t is kind), ())


def parse_proposal(text: str, kind: ProposalKind) -> Proposal:
    """A proposal in strongSwan's syntax (``aes128-sha256-prfsha256-ecp256``) as strongSwan reads
    it: an IKE proposal without a PRF takes the PRFs of its integrity algorithms and must name a
    DH group; an AEAD proposal has no integrity algorithm; an ESP proposal has no PRF, ``noesn``
    unless it says ``esn``, and its DH groups are dropped, since the CHILD_SA of IKE_AUTH has no
    key exchange (RFC 7296 1.2). Anything else is an InvalidFieldError."""
    found: dict[Transform, list[str]] = {t: [] for t in Transform}
    for token in text.strip().lower().split("-"):
        for kind_of, table in _KEYWORDS:
            if token in table:
                if table[token] not in found[kind_of]:
                    found[kind_of].append(table[token])
                break
        else:
            raise InvalidFieldError("proposal", f"unknown algorithm {token!r} in {text!r}")
    encr = found[Transform.ENCR]
    if not encr:
        raise InvalidFieldError("proposal", f"no encryption algorithm in {text!r}")
    aead = [e.startswith(_AEAD_PREFIXES) for e in encr]
    if any(aead) and not all(aead):
        raise InvalidFieldError("proposal", f"AEAD and other encryption mixed in {text!r}")
    if kind == "ike":
        if not found[Transform.PRF]:
            found[Transform.PRF] = [_PRF_OF_INTEG[i] for i in found[Transform.INTEG]
                                    if i in _PRF_OF_INTEG]  # fmt: skip
        if not found[Transform.PRF] or not found[Transform.DH]:
            raise InvalidFieldError(
                "proposal", f"an IKE proposal needs a PRF and a DH group: {text!r}"
            )
        if found[Transform.ESN]:
            raise InvalidFieldError("proposal", f"ESN in an IKE proposal: {text!r}")
    else:
        if found[Transform.PRF]:
            raise InvalidFieldError("proposal", f"a PRF in an ESP proposal: {text!r}")
        found[Transform.DH] = []
        found[Transform.ESN] = found[Transform.ESN] or ["NO_EXT_SEQ"]
    if all(aead):
        found[Transform.INTEG] = []
    elif not found[Transform.INTEG]:
        raise InvalidFieldError("proposal", f"no integrity algorithm in {text!r}")
    return Proposal(tuple((t, tuple(found[t])) for t in Transform if found[t]))


def choose(
    offered: Sequence[str], allowed: Sequence[str], kind: ProposalKind = "ike"
) -> str | None:
    """The responder's pick (RFC 7296 2.7): one algorithm of each transform type from one
    offered proposal, or None (NO_PROPOSAL_CHOSEN).

    As strongSwan does by default, the responder's own preference decides: its proposals in
    order, each against every offered proposal in order, and within a transform type the first
    of its algorithms the offer has too. The result is printed as strongSwan prints a selected
    proposal, e.g. ``AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048``. An offered
    proposal this model cannot read is not chosen; ``allowed`` must be readable."""
    ours = [parse_proposal(p, kind) for p in allowed]
    theirs: list[Proposal] = []
    for text in offered:
        try:
            theirs.append(parse_proposal(text, kind))
        except InvalidFieldError:
            continue  # an offer we do not understand is one we cannot accept
    for mine in ours:
        for offer in theirs:
            picked = _select(mine, offer)
            if picked is not None:
                return "/".join(picked)
    return None


def _select(mine: Proposal, offer: Proposal) -> list[str] | None:
    picked: list[str] = []
    for kind in Transform:
        own, other = mine.of(kind), offer.of(kind)
        if not own and not other:
            continue
        common = next((a for a in own if a in other), None)
        if common is None:
            return None
        picked.append(common)
    return picked


def auth_value(
    psk: KeyMaterial, role: bytes, nonce_own: bytes, nonce_peer: bytes, ident: bytes
) -> bytes:
    """``prf(prf(PSK, "Key Pad for IKEv2"), role | own nonce | peer nonce | identity)``."""
    pad = _crypto_hmac.HMAC(psk.view(), hashes.SHA256())
    pad.update(_KEY_PAD)
    return hmac.new(pad.finalize(), role + nonce_own + nonce_peer + ident, hashlib.sha256).digest()


@attrs.frozen(slots=True)
class IkeAuthRequest:
    """UE -> SeGW: IDi, the UE's nonce, and its proof of the PSK over a nonce of the SeGW."""

    idi: bytes
    nonce_i: bytes
    nonce_r: bytes
    auth: bytes = attrs.field(repr=False)
    ike_proposals: tuple[str, ...] = IKE_PROPOSALS
    esp_proposals: tuple[str, ...] = ESP_PROPOSALS


@attrs.frozen(slots=True)
class IkeAuthResponse:
    """SeGW -> UE: the SeGW's proof of the same PSK; ``ok`` False when it refused."""

    ok: bool
    auth: bytes = attrs.field(default=b"", repr=False)
    reason: str = ""
    ike_proposal: str = ""
    esp_proposal: str = ""


class IkeInitiator(Protocol):
    """What a UE needs from an IKE implementation."""

    def start(self, idi: bytes, psk: KeyMaterial, nonce_r: bytes) -> IkeAuthRequest: ...

    def finish(
        self, request: IkeAuthRequest, response: IkeAuthResponse, psk: KeyMaterial
    ) -> bool: ...


class ModelIke:
    """The in-process IKE model used by the reference UE and SeGW."""

    @staticmethod
    def new_nonce() -> bytes:
        return secrets.token_bytes(32)

    def __init__(
        self,
        ike_proposals: tuple[str, ...] = IKE_PROPOSALS,
        esp_proposals: tuple[str, ...] = ESP_PROPOSALS,
    ) -> None:
        self.ike_proposals, self.esp_proposals = ike_proposals, esp_proposals

    def start(self, idi: bytes, psk: KeyMaterial, nonce_r: bytes) -> IkeAuthRequest:
        nonce_i = self.new_nonce()
        auth = auth_value(psk, b"I", nonce_i, nonce_r, idi)
        return IkeAuthRequest(idi, nonce_i, nonce_r, auth, self.ike_proposals, self.esp_proposals)

    @staticmethod
    def verify_initiator(request: IkeAuthRequest, psk: KeyMaterial) -> bool:
        expected = auth_value(psk, b"I", request.nonce_i, request.nonce_r, request.idi)
        return hmac.compare_digest(expected, request.auth)

    @staticmethod
    def respond(
        request: IkeAuthRequest, psk: KeyMaterial, ike_proposal: str, esp_proposal: str
    ) -> IkeAuthResponse:
        auth = auth_value(psk, b"R", request.nonce_r, request.nonce_i, request.idi)
        return IkeAuthResponse(True, auth, "", ike_proposal, esp_proposal)

    def finish(self, request: IkeAuthRequest, response: IkeAuthResponse, psk: KeyMaterial) -> bool:
        if not response.ok:
            return False
        expected = auth_value(psk, b"R", request.nonce_r, request.nonce_i, request.idi)
        return hmac.compare_digest(expected, response.auth)
