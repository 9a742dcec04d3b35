"""A throwaway certificate authority and signer for tests (and the signing bench), and pyHanko's check of a
signed PDF against that authority."""

import datetime as dt
import io

PASSWORD = "rahasia-ttd-2025"
SIGNER = "Dr. H. Sutiaji, S.Si., M.Si."


def make_pki(*, signer=SIGNER, issuer_org="Lembaga Sertifikasi Uji", days=30, ago=1, password=PASSWORD, key=True,
             rsa=False):  # fmt: skip
    """A certificate authority and a signer's certificate issued by it (EC P-256 keys, or RSA 2048 for the
    signer), valid from ``ago`` days back for ``days`` days: (CA certificate, PKCS#12 bytes with the key and
    the chain)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{issuer_org} CA"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, issuer_org)])  # fmt: skip
    usage = {"content_commitment": False, "key_encipherment": False, "data_encipherment": False,
             "key_agreement": False, "encipher_only": False, "decipher_only": False}  # fmt: skip
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    if rsa:
        from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

        signer_key = generate_private_key(public_exponent=65537, key_size=2048)
    else:
        signer_key = ec.generate_private_key(ec.SECP256R1())
    usage["content_commitment"] = True
    certificate = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signer)]))
        .issuer_name(ca_name).public_key(signer_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=ago)).not_valid_after(now + dt.timedelta(days=days - ago))
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage),
                       critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    encryption = serialization.BestAvailableEncryption(password.encode())
    data = pkcs12.serialize_key_and_certificates(b"ttd", signer_key if key else None, certificate, [ca], encryption)
    return ca, data


def validate(signed: bytes, ca):
    from concurrent.futures import ThreadPoolExecutor

    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    (embedded,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(ca.public_bytes(Encoding.DER))
    # On a thread of its own: pyHanko validates with asyncio.run, refused where a browser test left a loop.
    with ThreadPoolExecutor(1) as thread:
        status = thread.submit(validate_pdf_signature, embedded, ValidationContext(trust_roots=[root])).result()
    return embedded, status
