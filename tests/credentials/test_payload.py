"""Signing and offline verification of payloads, and the key files: no database involved."""

from __future__ import annotations

import base64
import os
import stat
from dataclasses import replace

import pytest
import zxingcpp
from credentials.support import TODAY, days, decode_png

from chainkeeper.core.keys import (
    KeyProblem, NoSigningKey, SigningKey, export_public, generate_key, load_public_keys, rotate_key, signing_key,
)
from chainkeeper.credentials.payload import Claims, sign_claims, verify_payload
from chainkeeper.credentials.qr import qr_png, qr_svg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CERTIFICATE = Claims("certificate", "7K3M9Q2X4B1C", days(-10), days(170),
                     {"uscc": "91320583MA1ABCDE2X", "name": "昆山汽车座椅线束有限公司",
                      "list": "江苏省重点产业链供应链企业白名单", "batch": 3, "category": "汽车零部件"})
PASS = Claims("vehicle_pass", "M2P8Q4R6S1T3", days(-1), days(29),
              {"number": "320583000001", "plate": "苏E12345D", "origin": "320583", "destination": "220104",
               "goods": "汽车座椅总成", "name": "昆山汽车座椅线束有限公司"})


@pytest.fixture
def key_dir(tmp_path):
    directory = tmp_path / "keys"
    generate_key(directory)
    return directory


def _check(payload, key_dir, revoked=(), today=TODAY):
    return verify_payload(payload, public_keys=load_public_keys(key_dir), revoked_ids=set(revoked), today=today)


def _flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1:]


@pytest.mark.parametrize("claims", [CERTIFICATE, PASS], ids=["certificate", "pass"])
def test_round_trip_keeps_every_claim(key_dir, claims):
    key = signing_key(key_dir)
    verdict = _check(sign_claims(claims, key), key_dir)
    assert verdict.status == "valid", verdict.reason
    assert verdict.claims == replace(claims, key_id=key.key_id)


def test_payload_is_compact(key_dir):
    payload = sign_claims(CERTIFICATE, signing_key(key_dir))
    assert payload.startswith("CK1.") and len(payload.encode()) <= 360


def test_every_flipped_character_of_body_or_signature_is_forged(key_dir):
    payload = sign_claims(CERTIFICATE, signing_key(key_dir))
    start = len("CK1.") + 9
    statuses = {_check(_flip(payload, i), key_dir).status for i in range(start, len(payload)) if payload[i] != "."}
    assert statuses == {"forged"}


def test_a_flipped_bit_of_the_signature_is_forged(key_dir):
    payload = sign_claims(PASS, signing_key(key_dir))
    head, signature = payload.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    altered = f"{head}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"
    assert _check(altered, key_dir).status == "forged"


def test_foreign_key_is_unknown_and_a_spoofed_key_id_is_forged(key_dir):
    foreign = Ed25519PrivateKey.generate()
    from chainkeeper.core.keys import key_id

    own = SigningKey(key_id(foreign.public_key()), foreign)
    assert _check(sign_claims(CERTIFICATE, own), key_dir).status == "unknown_key"
    spoofed = SigningKey(signing_key(key_dir).key_id, foreign)
    verdict = _check(sign_claims(CERTIFICATE, spoofed), key_dir)
    assert verdict.status == "forged" and verdict.claims is None


def test_expired_and_not_yet_valid(key_dir):
    payload = sign_claims(CERTIFICATE, signing_key(key_dir))
    assert _check(payload, key_dir, today=days(170)).status == "valid"
    assert _check(payload, key_dir, today=days(171)).status == "expired"
    early = _check(payload, key_dir, today=days(-11))
    assert early.status == "expired" and "not valid yet" in early.reason


def test_revoked_offline(key_dir):
    payload = sign_claims(CERTIFICATE, signing_key(key_dir))
    verdict = _check(payload, key_dir, revoked={CERTIFICATE.credential_id})
    assert verdict.status == "revoked" and verdict.claims.credential_id == CERTIFICATE.credential_id


@pytest.mark.parametrize("text", ["", "hello", "CK2.abcdef12.AAAA.BBBB", "CK1.abcdef12.AAAA", "CK1..AA.BB",
                                  "CK1.abcdef12.AA=.BB", "x" * 5000])
def test_malformed(key_dir, text):
    assert _check(text, key_dir).status == "malformed"


def test_a_verify_url_is_accepted(key_dir):
    from urllib.parse import quote

    payload = sign_claims(PASS, signing_key(key_dir))
    assert _check(f"https://ck.example.cn/verify?p={quote(payload)}", key_dir).status == "valid"


def test_rotation_keeps_old_credentials_valid(key_dir):
    old_key = signing_key(key_dir)
    old = sign_claims(CERTIFICATE, old_key)
    new_id = rotate_key(key_dir)
    assert new_id != old_key.key_id and signing_key(key_dir).key_id == new_id
    new = sign_claims(PASS, signing_key(key_dir))
    assert _check(old, key_dir).status == "valid" and _check(new, key_dir).status == "valid"
    assert len(load_public_keys(key_dir)) == 2


def test_key_files_are_private_and_never_shown(key_dir, tmp_path):
    kid = signing_key(key_dir).key_id
    private = key_dir / f"{kid}.key"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_dir).st_mode) == 0o700
    assert "PRIVATE" not in repr(signing_key(key_dir)) and "private_key" not in repr(signing_key(key_dir))
    exported = export_public(key_dir, tmp_path / "checkpoint")
    assert [p.name for p in exported] == [f"{kid}.pub"]
    assert all("PRIVATE" not in p.read_text() for p in exported)
    assert set(load_public_keys(tmp_path / "checkpoint")) == {kid}


def test_generate_refuses_a_second_key_and_signing_needs_one(tmp_path, key_dir):
    with pytest.raises(KeyProblem):
        generate_key(key_dir)
    with pytest.raises(NoSigningKey):
        signing_key(tmp_path / "empty")
    assert load_public_keys(tmp_path / "nowhere") == {}


def test_qr_png_decodes_back_to_the_payload(key_dir):
    payload = sign_claims(CERTIFICATE, signing_key(key_dir))
    found = zxingcpp.read_barcodes(decode_png(qr_png(payload)))
    assert [code.text for code in found] == [payload]
    assert _check(found[0].text, key_dir).status == "valid"
    assert qr_svg(payload).lstrip().startswith(b"<?xml") and b"<svg" in qr_svg(payload)
