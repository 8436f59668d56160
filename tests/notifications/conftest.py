"""Real servers on loopback for the notification tests: SMTP (aiosmtpd; plain, STARTTLS, implicit TLS) and HTTP."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from notifications.support import SmtpHandler, WebhookReceiver, authenticator, free_port


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (certificate path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=2))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def trust_test_ca(tls_files, monkeypatch):
    """Make the SMTP client trust the self-signed test certificate (and only it)."""
    from chainkeeper.notifications import email as email_module

    monkeypatch.setattr(email_module, "tls_context", lambda: ssl.create_default_context(cafile=str(tls_files[0])))


def _server_context(tls_files) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, tls_files))
    return context


@pytest.fixture
def smtp_server():
    """A plain SMTP server on loopback: ``(handler, port)``."""
    handler, port = SmtpHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def smtp_tls_server(tls_files):
    """An SMTP server that requires STARTTLS and then AUTH (SMTP_USER / SMTP_PASSWORD): ``(handler, port)``."""
    handler, port = SmtpHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=_server_context(tls_files),
                            require_starttls=True, authenticator=authenticator, auth_required=True,
                            auth_require_tls=True)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def smtps_server(tls_files):
    """An SMTP server with implicit TLS (like port 465) and AUTH: ``(handler, port)``.

    (aiosmtpd warns of AUTH without STARTTLS, not knowing that TLS is implicit here.)
    """
    handler, port = SmtpHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=_server_context(tls_files),
                            authenticator=authenticator, auth_required=True, auth_require_tls=False)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def receiver_factory():
    """``receiver_factory(statuses=[500], default=200)`` starts a receiver stopped after the test."""
    started = []

    def start(**kwargs) -> WebhookReceiver:
        receiver = WebhookReceiver(**kwargs).__enter__()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.__exit__()
