"""The IKE step between UE and LWIP-SeGW, as an interface with an in-process model.

:class:`ModelIke` authenticates the way IKEv2 does with a pre-shared key (RFC 7296 2.15): each side
proves knowledge of the key with ``prf(prf(PSK, "Key Pad for IKEv2"), signed octets)``, the signed
octets binding both nonces and the sender's identity. A wrong LWIP-PSK or IDi therefore fails for
real. It is not IKEv2 on the wire; the strongSwan backend is (see docs/).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Protocol

import attrs
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _crypto_hmac

from lwip_enb.keys import KeyMaterial

__all__ = [
    "ESP_PROPOSALS",
    "IKE_PROPOSALS",
    "IkeAuthRequest",
    "IkeAuthResponse",
    "IkeInitiator",
    "ModelIke",
    "auth_value",
    "choose",
]

_KEY_PAD = b"Key Pad for IKEv2"  # RFC 7296 2.15

#: The IKEv2 and ESP profile of the 3GPP network domain security spec (R8: the seed cites
#: TS 33.310, the profiles are in TS 33.210): AES-GCM or AES-CBC with SHA-256, ECP-256 or
#: MODP-2048, in strongSwan's proposal syntax, most preferred first. The reference SeGW accepts
#: nothing else; the strongSwan backend configures the same lists.
IKE_PROPOSALS: tuple[str, ...] = (
    "aes256gcm16-prfsha256-ecp256",
    "aes256-sha256-ecp256",
    "aes256gcm16-prfsha256-modp2048",
    "aes256-sha256-modp2048",
)
ESP_PROPOSALS: tuple[str, ...] = ("aes256gcm16", "aes256-sha256")


def choose(offered: tuple[str, ...], allowed: tuple[str, ...]) -> str | None:
    """The responder's pick (RFC 7296 2.7): the first offered proposal it accepts, else None."""
    return next((p for p in offered if p in allowed), None)


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
