"""Mail test helpers: a sample message, a free port and a self-signed certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest


def sample_message(to: str = "owner@example.org", sender: str = "ascolto@example.org") -> EmailMessage:
    """Return a small multipart message like a digest."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Your readers yesterday"
    message["Date"] = format_datetime(dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC))
    message["Message-ID"] = make_msgid(domain="ratings.example.org")
    message.set_content("Plain text part: 12 votes, average 4.2")
    message.add_alternative("<p>HTML part: 12 votes, average 4.2</p>", subtype="html")
    return message


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Generate a self-signed certificate for 127.0.0.1 and localhost; return (cert, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts only the test certificate (verification stays on)."""
    return ssl.create_default_context(cafile=str(certificate[0]))
