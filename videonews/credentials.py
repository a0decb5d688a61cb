"""Signing credentials: the newsroom's C2PA certificate and key, or local *untrusted test* credentials.

A newsroom plugs in its real certificate with `signing_key` / `signing_cert` (`VIDEONEWS_SIGNING_KEY`,
`VIDEONEWS_SIGNING_CERT` or `videonews.toml`): a PEM private key (EC P-256, ES256) and the PEM chain, its own
certificate first, issued by a CA on the C2PA trust list. Without them a build is unsigned.

`init_test_credentials(DIR)` (`videonews keys init --out DIR`) makes a local test CA and a signer certificate
it issued: what c2pa-rs accepts (ES256 on P-256, the signer with digitalSignature key usage and the
emailProtection EKU, not a CA, validity dates, subject/authority key ids). Every name in them says
"UNTRUSTED TEST": a reader sees Valid credentials from an unknown signer (signingCredential.untrusted),
never a newsroom's identity. The sample story asks for them (`test_credentials = true` in story.toml); they
are made once in the user cache folder and reused.
"""

from __future__ import annotations

import datetime
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from videonews.errors import InputError
from videonews.fsutil import atomic_write, locked

log = logging.getLogger(__name__)

KEY_NAME = "signer.key.pem"
CERT_NAME = "signer.chain.pem"
CA_NAME = "ca.cert.pem"
TEST_ORG = "videonews UNTRUSTED TEST credentials"


@dataclass(frozen=True)
class SigningCredentials:
    key_pem: bytes
    chain_pem: bytes
    key_path: Path
    cert_path: Path
    test: bool  # untrusted test credentials made by videonews

    @property
    def signer_name(self) -> str:
        """The signer certificate's subject, as readers will show it."""
        from cryptography import x509

        cert = x509.load_pem_x509_certificate(self.chain_pem)
        return cert.subject.rfc4514_string()


def test_credentials_dir() -> Path:
    """Where the reusable test credentials live: $XDG_CACHE_HOME/videonews/test-credentials."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "videonews" / "test-credentials"


def load_credentials(key: Path, cert: Path, *, test: bool = False) -> SigningCredentials:
    """Read a PEM key and certificate chain; refuse what C2PA signing cannot use, naming the file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    try:
        key_pem, chain_pem = Path(key).read_bytes(), Path(cert).read_bytes()
    except OSError as exc:
        missing = key if not Path(key).is_file() else cert
        raise InputError(f"cannot read the signing credentials: {exc.strerror or exc}", path=missing,
                         remedy="set signing_key and signing_cert to PEM files, or run `videonews keys init`"
                         ) from exc
    try:
        private = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise InputError("not an unencrypted PEM private key", path=key,
                         remedy="give signing_key a PKCS#8 PEM key (EC P-256 or Ed25519)") from exc
    try:
        leaf = x509.load_pem_x509_certificates(chain_pem)[0]
    except (ValueError, IndexError) as exc:
        raise InputError("not a PEM certificate chain", path=cert,
                         remedy="give signing_cert the signer's certificate first, then its CA") from exc
    ok = (isinstance(private, ec.EllipticCurvePrivateKey) and isinstance(private.curve, ec.SECP256R1)) or \
        isinstance(private, ed25519.Ed25519PrivateKey)
    if not ok:
        raise InputError("signing key is neither EC P-256 (ES256) nor Ed25519", path=key,
                         remedy="issue the C2PA signer with an ES256 or Ed25519 key")
    if leaf.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) != \
            private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
        raise InputError("the first certificate in the chain is not the signing key's", path=cert,
                         remedy="put the signer's own certificate first in signing_cert")
    return SigningCredentials(key_pem=key_pem, chain_pem=chain_pem, key_path=Path(key), cert_path=Path(cert),
                              test=test or TEST_ORG in leaf.subject.rfc4514_string())


def signing_alg(creds: SigningCredentials) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = serialization.load_pem_private_key(creds.key_pem, password=None)
    return "ed25519" if isinstance(key, ed25519.Ed25519PrivateKey) else "es256"


def init_test_credentials(out: Path, *, force: bool = False) -> SigningCredentials:
    """Make (or reuse) an untrusted test CA and a signer certificate it issued in `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with locked(out / ".lock"):
        key, cert = out / KEY_NAME, out / CERT_NAME
        if key.is_file() and cert.is_file() and not force:
            creds = load_credentials(key, cert, test=True)
            if _still_valid(creds):
                return creds
        key_pem, chain_pem, ca_pem = _make_test_pki()
        atomic_write(out / CA_NAME, ca_pem)
        atomic_write(cert, chain_pem)
        atomic_write(key, key_pem)
        os.chmod(key, 0o600)
        atomic_write(out / "README.txt", "UNTRUSTED TEST CREDENTIALS made by `videonews keys init`.\n"
                     "Content signed with them validates as from an unknown signer. Never publish with them:\n"
                     "set signing_key / signing_cert to your newsroom's C2PA certificate instead.\n")
        return load_credentials(key, cert, test=True)


def _still_valid(creds: SigningCredentials, days: int = 30) -> bool:
    from cryptography import x509

    leaf = x509.load_pem_x509_certificate(creds.chain_pem)
    return leaf.not_valid_after_utc > datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)


def _make_test_pki() -> tuple[bytes, bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORG)])

    def usage(*, sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=not sign, crl_sign=not sign,
                             encipher_only=False, decipher_only=False)

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("videonews UNTRUSTED TEST CA")).issuer_name(
        name("videonews UNTRUSTED TEST CA")).public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(name("videonews UNTRUSTED TEST signer")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(sign=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    ca_pem = ca.public_bytes(pem)
    return key_pem, leaf.public_bytes(pem) + ca_pem, ca_pem


def resolve_credentials(key: Path | None, cert: Path | None, *, allow_test: bool) -> SigningCredentials | None:
    """The newsroom's credentials when set; else the cached test credentials when allowed; else None."""
    if key is not None or cert is not None:
        if key is None or cert is None:
            raise InputError("only one of signing_key and signing_cert is set", field="signing_key",
                             remedy="set both (VIDEONEWS_SIGNING_KEY and VIDEONEWS_SIGNING_CERT), or neither")
        return load_credentials(key, cert)
    if allow_test:
        folder = test_credentials_dir()
        creds = init_test_credentials(folder)
        log.warning("signing with UNTRUSTED TEST credentials from %s (set signing_key/signing_cert for real ones)",
                    folder)
        return creds
    return None
