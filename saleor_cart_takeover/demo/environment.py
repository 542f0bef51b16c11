"""Environment for running Saleor locally, set before Django loads its settings.

Values the user already exported win (`setdefault`), so the demo can be pointed
at another database, host name or key without code changes.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def _stable_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret kept in the data directory, so JWTs and sessions survive restarts."""
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text()


def _rsa_private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def configure(data_dir: Path, public_url: str, host: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = os.environ
    env.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
    env.setdefault(
        "SECRET_KEY",
        _stable_secret(data_dir / "secret-key", lambda: secrets.token_urlsafe(50)),
    )
    env.setdefault(
        "RSA_PRIVATE_KEY",
        _stable_secret(data_dir / "rsa-private-key.pem", _rsa_private_key),
    )
    env.setdefault("PUBLIC_URL", public_url)
    # Listening on all interfaces means the demo is reached by some other name.
    wildcard = host in ("0.0.0.0", "::", "")  # noqa: S104
    hosts = (
        "*" if wildcard else ",".join(dict.fromkeys(["localhost", "127.0.0.1", host]))
    )
    env.setdefault("ALLOWED_HOSTS", hosts)
    env.setdefault("ALLOWED_CLIENT_HOSTS", hosts)
    # Saleor fetches app manifests and calls webhooks on this machine's loopback.
    env.setdefault("HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS", "True")
    # No broker: Celery tasks run eagerly in the request (CELERY_TASK_ALWAYS_EAGER
    # follows from an empty CELERY_BROKER_URL); no cache server: local memory.
    env.setdefault("CELERY_BROKER_URL", "")
    # A local demo reports nothing to anyone.
    env.setdefault("SEND_USAGE_TELEMETRY", "False")
