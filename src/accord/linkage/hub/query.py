"""Running the hub's own SQL through Splink's backend, typed once here."""

from __future__ import annotations

from typing import Any

from splink import Linker


def query_frame(linker: Linker, sql: str) -> Any:
    """The result of `sql` on the linker's backend, as a pandas frame."""
    return linker.misc.query_sql(sql, output_type="pandas")  # type: ignore[no-untyped-call]
