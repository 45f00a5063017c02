"""Secrets of wiki connections (bot passwords, OAuth 2 tokens), encrypted at rest.

Fernet (AES-128-CBC with HMAC-SHA256) with a key derived from `WIKI_SECRET_KEY`, or from
`SECRET_KEY` when that is not set. Changing the key makes stored secrets unreadable: the
connections say so and a manager enters the secret again."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted with another key."""


def _fernet() -> Fernet:
    key = getattr(settings, "WIKI_SECRET_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(b"hub.wiki.connections\x00" + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable from exc
