"""The node's client of a hub's API (issue 20): what the node would hand the hub as files, sent over
HTTPS with the node's client credentials instead, and the results it fetches back.

- **Credentials**: the client id and secret `accord clients add --agency A` gave at the hub; the
  secret lives in the node's own folder (`hub-client.secret`, mode 0600, written through
  `accord.secret_files` and refused when others can read it) or comes from the environment, read by
  the face. The client trades them for a bearer token (`POST /api/v1/token`, OAuth2 client
  credentials) and keeps the token until a minute before it expires; a token the hub no longer
  takes is asked for again once.
- **Uploads stream**: each file goes as a multipart part read from disk in chunks, never whole in
  memory; the hub checks the token and the agency before it reads a byte.
- **Refusals are the project's errors**: a problem (RFC 9457) from the hub becomes `HubRefused`
  (401, 403: exit 1) or `HubRejected` (anything else the caller can fix: exit 2) carrying the hub's
  one-line detail, and a rejected file's rows (file, row, field, reason); a hub that cannot be
  reached or fails is `HubUnavailable` (exit 75: the same command later). No message carries a
  personal value, a secret or a token: only URLs, files, statuses and the hub's own line.
- **Plain http only to this machine**: a token and a secret never cross a network in clear.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

import httpx

from accord.addresses import is_loopback
from accord.errors import BUSY, AccordError
from accord.linkage.file_contract import atomic_path
from accord.secret_files import create_secret, read_secret

API = "/api/v1"
SECRET_HEADER = "accord-hub-client-secret v1"
TOKEN_MARGIN = 60.0  # seconds before its expiry that a token is asked for again
CONNECT_SECONDS = 15.0
# A load answers once the hub has loaded the file whole, and a roster's load may train the lookup
# model first: minutes at a state's size. Reads wait that long; connecting does not.
WORK_SECONDS = 3600.0


class HubError(AccordError, ValueError):
    """The hub answered with a refusal; the message is its one line."""

    def __init__(self, message: str, status: int = 0,
                 rejections: Sequence[Mapping[str, Any]] = (), rows_rejected: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.rejections = list(rejections)
        self.rows_rejected = rows_rejected


class HubRejected(HubError):
    """What the node sent or asked was refused by the hub's checks (a rejected file, an agreement
    not in force, a kind the hub does not know): the node can fix it."""


class HubRefused(HubError, PermissionError):
    """The hub refused the node itself: its credentials, or an agency not its own."""

    exit_code = 1


class HubUnavailable(AccordError):
    """The hub could not be reached, or failed on its side: nothing was kept; try again later."""

    exit_code = BUSY


class HubSecretError(AccordError, ValueError):
    """The node's hub client secret file is missing, malformed, exists already or others can read it."""


class HubAddressError(AccordError, ValueError):
    """A hub address the client will not send credentials to."""


def write_client_secret(path: Path, secret: str) -> None:
    """The client secret in `path` (mode 0600, never over a file), in the node's own folder."""
    clean = secret.strip()
    if not clean or any(c.isspace() for c in clean):
        raise HubSecretError("the client secret is one word, as `accord clients add` printed it")
    create_secret(path, f"{SECRET_HEADER}\n{clean}\n".encode(), HubSecretError, "hub client secret file")


def read_client_secret(path: Path) -> str:
    hint = " (`accord node hub-secret` keeps the secret `accord clients add` printed at the hub)"
    text = read_secret(path, HubSecretError, "hub client secret file", hint).decode("utf-8", "replace")
    lines = text.split()
    if len(lines) != 3 or " ".join(lines[:2]) != SECRET_HEADER:
        raise HubSecretError(f"{path}: not a hub client secret file")
    return lines[2]


def hub_address(url: str) -> str:
    """`url` without a trailing slash, when it is https, or http to this machine itself."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host or parts.query or parts.fragment:
        raise HubAddressError(f"--hub: {url!r} is not a hub's address (https://host[:port])")
    if parts.scheme == "http" and not is_loopback(host):
        raise HubAddressError(f"--hub: {url} is plain http to another machine; the node's secret and "
                              "token go only over https (http is for a hub on this machine)")
    return url.strip().rstrip("/")



@dataclass(frozen=True, slots=True)
class Credentials:
    client_id: str
    secret: str = field(repr=False)


Part = tuple[str, tuple[str, BinaryIO, str]]


class HubClient:
    """A hub's API, for one node's client. `http` replaces the network (a test's in-process app)."""

    def __init__(self, url: str, credentials: Credentials, *, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.url = hub_address(url)
        self._credentials = credentials
        self._own = http is None
        timeout = httpx.Timeout(WORK_SECONDS, connect=CONNECT_SECONDS)
        self._http = http if http is not None else httpx.Client(base_url=self.url, timeout=timeout)
        self._clock = clock
        self._token: tuple[str, float] | None = None  # the token, and when to ask again

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own:
            self._http.close()

    # --- token -----------------------------------------------------------------------------------

    def _bearer(self) -> str:
        if self._token is not None and self._clock() < self._token[1]:
            return self._token[0]
        answer = self._call("POST", f"{API}/token", data={
            "grant_type": "client_credentials", "client_id": self._credentials.client_id,
            "client_secret": self._credentials.secret})
        if answer.status_code == 401:
            raise HubRefused(f"{self.url}: the hub refused client {self._credentials.client_id}'s "
                             "credentials (a wrong or replaced secret: ask the hub's administrator for "
                             "`accord clients add`)", 401)
        body = self._json(answer)
        token, seconds = body.get("access_token"), body.get("expires_in")
        if not isinstance(token, str) or not isinstance(seconds, int | float):
            raise HubUnavailable(f"{self.url}: the hub's token answer is not one this node understands")
        self._token = (token, self._clock() + max(0.0, float(seconds) - TOKEN_MARGIN))
        return token

    # --- transport -------------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            answer = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as err:  # the URL and the kind of failure only: nothing sent is echoed
            raise HubUnavailable(f"{self.url}: cannot reach the hub ({type(err).__name__}); nothing was "
                                 "sent, or nothing kept: try again") from None
        if answer.status_code >= 500:
            raise HubUnavailable(f"{self.url}: the hub failed ({answer.status_code}); nothing was kept: try "
                                 "again, or tell the hub's administrator")
        return answer

    def _authorised(self, method: str, path: str, parts: Callable[[ExitStack], dict[str, Any]]
                    ) -> httpx.Response:
        """The call with the node's token; once more with a new token if the hub no longer takes
        it (expired, or the hub restarted). `parts` opens the files anew for each try."""
        for attempt in (1, 2):
            with ExitStack() as files:
                headers = {"Authorization": f"Bearer {self._bearer()}"}
                answer = self._call(method, path, headers=headers, **parts(files))
                if answer.status_code != 401 or attempt == 2:
                    return self._checked(answer)
            self._token = None
        raise AssertionError("unreachable")  # pragma: no cover

    def _checked(self, answer: httpx.Response) -> httpx.Response:
        if answer.status_code < 400:
            return answer
        problem = self._problem(answer)
        detail = str(problem.get("detail") or problem.get("title") or f"status {answer.status_code}")
        kind = HubRefused if answer.status_code in (401, 403) else HubRejected
        rejections = problem.get("rejections")
        rows = problem.get("rows_rejected")
        raise kind(f"the hub refused: {detail}", answer.status_code,
                   rejections if isinstance(rejections, list) else (), rows if isinstance(rows, int) else 0)

    @staticmethod
    def _problem(answer: httpx.Response) -> dict[str, Any]:
        try:
            body = answer.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _json(self, answer: httpx.Response) -> dict[str, Any]:
        body = self._problem(answer)
        if not body and answer.status_code < 400:
            raise HubUnavailable(f"{self.url}: the hub's answer is not JSON")
        return body

    @staticmethod
    def _file(files: ExitStack, name: str, path: Path) -> Part:
        """A multipart part read from `path` in chunks as it is sent."""
        return name, (path.name, files.enter_context(path.open("rb")), "application/octet-stream")

    # --- what a node sends and fetches --------------------------------------------------------------

    def load(self, agency_id: str, kind: str, source: Path, encoded: Sequence[Path] = (), *,
             element: str | None = None, incidents: Path | None = None, dry_run: bool = False
             ) -> dict[str, Any]:
        """`accord intake load` at the hub: the node's copy of a file, and its encodings (one file
        per agreement) when it has identities. Returns the hub's report."""
        fields = {"kind": kind, **({"element": element} if element else {}),
                  **({"dry_run": "true"} if dry_run else {})}

        def parts(files: ExitStack) -> dict[str, Any]:
            sent = [self._file(files, "file", source), *(self._file(files, "encoded", e) for e in encoded)]
            if incidents is not None:
                sent.append(self._file(files, "incidents", incidents))
            return {"data": fields, "files": sent}

        return self._json(self._authorised("POST", f"{API}/intake/{_segment(agency_id)}", parts))

    def submit_crosscheck(self, agreement_id: str, agency_id: str, encodings: Path, copy: Path
                          ) -> dict[str, Any]:
        """`accord crosscheck submit` at the hub: kept until the cross-check's next run."""
        path = f"{API}/crosschecks/{_segment(agreement_id)}/submissions/{_segment(agency_id)}"
        return self._submission(path, encodings, copy)

    def submit_study(self, study_id: str, agency_id: str, encodings: Path, copy: Path) -> dict[str, Any]:
        """`accord study submit` at the hub: kept until the study's next build."""
        path = f"{API}/studies/{_segment(study_id)}/submissions/{_segment(agency_id)}"
        return self._submission(path, encodings, copy)

    def _submission(self, path: str, encodings: Path, copy: Path) -> dict[str, Any]:
        def parts(files: ExitStack) -> dict[str, Any]:
            return {"files": [self._file(files, "encodings", encodings), self._file(files, "hub_copy", copy)]}

        return self._json(self._authorised("POST", path, parts))

    def crosscheck_results(self, run_id: int, agency_id: str, out: Path) -> int:
        """The agency's results of a cross-check run, under its pseudonyms, into `out` (the file
        `accord crosscheck results` writes). Returns the rows."""
        answer = self._authorised("GET", f"{API}/crosschecks/runs/{run_id}/results/{_segment(agency_id)}",
                                  lambda _: {})
        with atomic_path(out) as temp:
            temp.write_bytes(answer.content)  # a party's flags: one short row per record
        rows = answer.headers.get("X-Accord-Rows", "")
        return int(rows) if rows.isdigit() else max(0, len(answer.content.splitlines()) - 1)


def _segment(value: str) -> str:
    """An id as one path segment: nothing in it can reach another route."""
    return quote(value, safe="")


@contextmanager
def hub_client(url: str, client_id: str, secret: str, *, http: httpx.Client | None = None
               ) -> Iterator[HubClient]:
    """A client for the length of a command."""
    client = HubClient(url, Credentials(client_id, secret), http=http)
    try:
        yield client
    finally:
        client.close()
