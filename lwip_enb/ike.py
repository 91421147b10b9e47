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

from .keys import KeyMaterial

__all__ = ["IkeAuthRequest", "IkeAuthResponse", "IkeInitiator", "ModelIke", "auth_value"]

_KEY_PAD = b"Key Pad for IKEv2"  # RFC 7296 2.15


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


@attrs.frozen(slots=True)
class IkeAuthResponse:
    """SeGW -> UE: the SeGW's proof of the same PSK; ``ok`` False when it refused."""

    ok: bool
    auth: bytes = attrs.field(default=b"", repr=False)
    reason: str = ""


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

    def start(self, idi: bytes, psk: KeyMaterial, nonce_r: bytes) -> IkeAuthRequest:
        nonce_i = self.new_nonce()
        return IkeAuthRequest(idi, nonce_i, nonce_r, auth_value(psk, b"I", nonce_i, nonce_r, idi))

    @staticmethod
    def verify_initiator(request: IkeAuthRequest, psk: KeyMaterial) -> bool:
        expected = auth_value(psk, b"I", request.nonce_i, request.nonce_r, request.idi)
        return hmac.compare_digest(expected, request.auth)

    @staticmethod
    def respond(request: IkeAuthRequest, psk: KeyMaterial) -> IkeAuthResponse:
        return IkeAuthResponse(
            True, auth_value(psk, b"R", request.nonce_r, request.nonce_i, request.idi)
        )

    def finish(self, request: IkeAuthRequest, response: IkeAuthResponse, psk: KeyMaterial) -> bool:
        if not response.ok:
            return False
        expected = auth_value(psk, b"R", request.nonce_r, request.nonce_i, request.idi)
        return hmac.compare_digest(expected, response.auth)
