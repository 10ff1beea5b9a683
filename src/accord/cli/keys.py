"""`accord keys`: the hub's own keys. Rotating the content key re-seals everything under a new
key and retires the old one."""

from __future__ import annotations

import typer

from accord.cli.common import BadInput, console, settings, store_session
from accord.store.crypto import ENV_KEY, ContentCipher, generate_content_key_file, next_key_file
from accord.workflows.key_rotation import ROTATION_BATCH, rotate_content

app = typer.Typer(help="The hub's keys: rotate the key that seals record content.", no_args_is_help=True)


@app.command("rotate-content")
def rotate_content_key(batch: int = typer.Option(ROTATION_BATCH, min=1, help="Rows per transaction")) -> None:
    """Re-seal all record content under a new key, then retire the old key (its file then holds the
    new one). Resumable: run it again after any stop. Nothing else should load or release content
    while it runs; loads and requests started during it are refused."""
    config = settings()
    if config.content_key is not None:
        raise BadInput(f"{ENV_KEY} holds the content key inline; a rotation replaces the key file, so "
                       "point ACCORD_CONTENT_KEY_FILE at the key instead")
    current = config.content_key_file
    following = next_key_file(current)
    old = ContentCipher.from_key_file(current)
    if following.exists():
        new = ContentCipher.from_key_file(following)
        console.print(f"Resuming the rotation from key {old.key_id} to key {new.key_id}.")
    else:
        new = generate_content_key_file(following)
        console.print(f"New content key {new.key_id} written to {following} (mode 0600).")
    done = rotate_content(store_session, old, new, batch,
                          progress=lambda n: console.print(f"  re-sealed {n:,} rows", highlight=False))
    following.replace(current)  # the old key's file now holds the new key: the old one is gone
    recorded = f" Recorded in the ledger as entry #{done.entry_seq}." if done.entry_seq is not None else ""
    console.print(f"Content key {old.key_id} retired: {done.total:,} rows are sealed under key {new.key_id}, "
                  f"which {current} now holds.{recorded} Destroy any copy of the old key (backups "
                  "included).", highlight=False)
