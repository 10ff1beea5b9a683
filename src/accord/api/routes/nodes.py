"""Agency nodes as machine clients: a token for client credentials (RFC 6749, 4.4), and uploads of
what a node submits, each for the node's own agency only, size-limited and checked as the command
line checks them (the same workflow, the same one-line refusals)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile

from accord.api.deps import FOR_NODES, PUBLIC, HubDep, NodeDep, SessionDep, now
from accord.errors import AccordError
from accord.workflows.machine_clients import acting_for, issue_token
from accord.workflows.research import submit

router = APIRouter(tags=["agency nodes"])
MAX_UPLOAD = 256 * 1024 * 1024  # bytes per file
CHUNK = 1024 * 1024


class UploadTooLarge(AccordError, ValueError):
    """An uploaded file past the service's limit."""


class GrantInvalid(AccordError, ValueError):
    """A token request for a grant the service does not give."""


@router.post("/token", **PUBLIC)
def token(session: SessionDep, grant_type: Annotated[str, Form()], client_id: Annotated[str, Form()],
          client_secret: Annotated[str, Form()]) -> dict[str, Any]:
    if grant_type != "client_credentials":
        raise GrantInvalid("grant_type must be client_credentials")
    access, seconds = issue_token(session, client_id, client_secret, now())
    return {"access_token": access, "token_type": "bearer", "expires_in": seconds}


def _saved(upload: UploadFile, folder: Path, name: str) -> Path:
    """The upload streamed to `folder`, refused past MAX_UPLOAD without keeping any of it."""
    path = folder / name
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > MAX_UPLOAD:
                raise UploadTooLarge(f"{name}: larger than {MAX_UPLOAD // (1024 * 1024)} MB")
            out.write(chunk)
    return path


@router.post("/studies/{study_id}/submissions/{agency_id}", **FOR_NODES)
def submit_to_study(study_id: str, agency_id: str, session: SessionDep, hub: HubDep, node: NodeDep,
                    encodings: Annotated[UploadFile, File()],
                    hub_copy: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """A node's encodings and hub copy for a study's next build."""
    acting_for(node, agency_id)
    folder = Path(tempfile.mkdtemp(prefix="accord-upload-"))
    try:
        rows = submit(session, hub, study_id, agency_id, _saved(encodings, folder, "encodings.parquet"),
                      _saved(hub_copy, folder, "copy.csv"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"study": study_id, "agency": agency_id, "rows": rows}
