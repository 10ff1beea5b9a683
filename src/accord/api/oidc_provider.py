"""The service as a relying party of its OpenID Connect provider (issue 20): the authorization code
flow with PKCE (S256), through Authlib's OAuth 2 client, and the ID token checked with Authlib's
JOSE (joserfc) and its OIDC claims: the signature against the provider's published keys (JWKS, an
asymmetric algorithm only), `iss` the configured issuer, `aud` this client (and `azp` when there are
more audiences), `exp` and `iat`, and `nonce` the one this trip kept.

Only the `openid` scope is asked for: the service needs the subject and how the person signed in
(`amr`), never their name or e-mail address. The provider's metadata and keys are read afresh for
each sign-in (sign-ins are rare; a key the provider rotates is used at once). Whatever goes wrong on
the way back (an error from the provider, a refused code, a bad token, a provider that does not
answer) is one `ProviderRefused` that carries nothing of what was sent or received.

Signing out of a session opened through the provider ends the provider's session too when its
discovery document has an `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0): the browser
goes there with the session's ID token as `id_token_hint`, this client's id, and the service's root as
`post_logout_redirect_uri` (the callback's origin; registered with the provider beside the callback)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from authlib.deprecate import AuthlibDeprecationWarning  # type: ignore[import-untyped]
from authlib.integrations.base_client.errors import OAuthError  # type: ignore[import-untyped]
from authlib.oidc.core import CodeIDToken  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from accord.config import Settings

with warnings.catch_warnings():
    # Authlib's httpx client would rather have httpx2; the service ships httpx (the node's client).
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped]

SCOPE = "openid"
ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")  # never "none", never a shared-secret HMAC
TIMEOUT_SECONDS = 10.0
LEEWAY_SECONDS = 60  # clock skew allowed on exp and iat
DISCOVERY = "/.well-known/openid-configuration"
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")  # those a sign-in needs
_FAILURES = (httpx.HTTPError, OAuthError, JoseError, ValueError, KeyError, TypeError)


class ProviderRefused(Exception):
    """The way back from the provider failed; the message says nothing of what was sent or received."""


class ProviderUnavailable(Exception):
    """The provider's metadata could not be read (it did not answer, or answered nonsense)."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Whom the provider vouched for, and how they signed in (RFC 8176 method names)."""

    issuer: str
    subject: str
    amr: list[str]
    id_token: str  # as the provider signed it: kept with the session for the provider's logout


def _safe(url: str) -> bool:
    """https, or plain http to this machine (a provider beside the service, as in the tests)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return True
    if parts.scheme != "http":
        return False
    try:
        return host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoints_safe(meta: dict[str, Any]) -> bool:
    """The endpoints the service uses are there, and each is https (or this machine); the logout's,
    optional, too when published."""
    logout = meta.get("end_session_endpoint")
    return all(isinstance(meta.get(k), str) and _safe(meta[k]) for k in ENDPOINTS) and (
        logout is None or isinstance(logout, str) and _safe(logout))


class Provider:
    """The configured provider (settings.oidc_on must hold)."""

    def __init__(self, settings: Settings) -> None:
        if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_redirect_url):
            raise ValueError("OIDC sign-in is off: ACCORD_OIDC_ISSUER and the rest are not set")
        self.issuer = settings.oidc_issuer
        self.client_id = settings.oidc_client_id
        self.redirect_url = settings.oidc_redirect_url
        secret = settings.oidc_client_secret
        self._secret = secret.get_secret_value() if secret is not None else None

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, for this issuer exactly; ProviderUnavailable if not."""
        try:
            got = httpx.get(self.issuer.rstrip("/") + DISCOVERY, timeout=TIMEOUT_SECONDS)
            got.raise_for_status()
            meta = got.json()
        except (httpx.HTTPError, ValueError):
            raise ProviderUnavailable("the identity provider did not answer") from None
        if not isinstance(meta, dict) or meta.get("issuer") != self.issuer or not _endpoints_safe(meta):
            raise ProviderUnavailable("the identity provider's metadata is not for this issuer")
        return meta

    def end_session_url(self, meta: dict[str, Any], id_token: str) -> str | None:
        """Where to send the browser to sign out at the provider too, if it publishes where (RP-Initiated
        Logout 1.0); the endpoint's own query is kept, as the specification asks."""
        endpoint = meta.get("end_session_endpoint")
        if not isinstance(endpoint, str):
            return None
        parts = urlsplit(endpoint)
        query = [*parse_qsl(parts.query), ("id_token_hint", id_token), ("client_id", self.client_id),
                 ("post_logout_redirect_uri", urljoin(self.redirect_url, "/"))]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def _client(self, meta: dict[str, Any]) -> Any:
        methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        method = ("none" if self._secret is None else "client_secret_basic"
                  if "client_secret_basic" in methods or "client_secret_post" not in methods
                  else "client_secret_post")
        return OAuth2Client(client_id=self.client_id, client_secret=self._secret,
                            token_endpoint_auth_method=method, redirect_uri=self.redirect_url, scope=SCOPE,
                            code_challenge_method="S256", timeout=TIMEOUT_SECONDS)

    def authorization_url(self, meta: dict[str, Any], state: str, nonce: str, code_verifier: str) -> str:
        """Where to send the browser: the code flow, with the trip's state, nonce and PKCE challenge."""
        with self._client(meta) as client:
            url, _ = client.create_authorization_url(meta["authorization_endpoint"], state=state,
                                                     code_verifier=code_verifier, nonce=nonce)
        return str(url)

    def identity(self, code: str, nonce: str, code_verifier: str) -> Identity:
        """The code exchanged at the token endpoint and its ID token checked; ProviderRefused if not."""
        try:
            meta = self.metadata()
            with self._client(meta) as client:
                token = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=code_verifier)
            keys = httpx.get(meta["jwks_uri"], timeout=TIMEOUT_SECONDS)
            keys.raise_for_status()
            return self._checked(token, KeySet.import_key_set(keys.json()), nonce)
        except (ProviderUnavailable, *_FAILURES):
            raise ProviderRefused("the identity provider's answer was refused") from None

    def _checked(self, token: dict[str, Any], keys: KeySet, nonce: str) -> Identity:
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise ValueError("no ID token")
        decoded = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
        claims = CodeIDToken(
            decoded.claims, decoded.header,
            {"iss": {"essential": True, "value": self.issuer}, "sub": {"essential": True},
             "aud": {"essential": True, "value": self.client_id},
             "nonce": {"essential": True, "value": nonce}},
            {"nonce": nonce, "client_id": self.client_id, "access_token": token.get("access_token")})
        claims.validate(leeway=LEEWAY_SECONDS)
        subject, amr = claims["sub"], claims.get("amr") or []
        if not isinstance(subject, str) or not all(isinstance(m, str) for m in amr):
            raise ValueError("a subject or an authentication method that is not a string")
        return Identity(self.issuer, subject, list(amr), id_token)


def provider_sign_out(settings: Settings, id_token: str | None) -> str | None:
    """The provider's logout URL for a session that kept its ID token, or None: not opened through the
    provider, OIDC off, no `end_session_endpoint`, or a provider that does not answer (the session here
    has ended whatever the provider does)."""
    if id_token is None or not settings.oidc_on:
        return None
    provider = Provider(settings)
    try:
        return provider.end_session_url(provider.metadata(), id_token)
    except ProviderUnavailable:
        return None
