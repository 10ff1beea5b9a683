"""Where Splink runs: DuckDB in-process by default, Spark when asked.

Each backend loads an encoded Parquet file as a table with one extra column per Bloom field, its
popcount `<field>_pop`, so Dice needs only the intersection at comparison time. pyspark is an
optional extra and imported only inside the Spark backend.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.encoded import EncodedLayout
from accord.linkage.hub.model import popcount

BACKENDS = ("duckdb", "spark")


class BackendUnavailable(RuntimeError):
    """The chosen backend cannot start here (e.g. pyspark is not installed)."""


class Backend(Protocol):
    db_api: Any  # DuckDBAPI or SparkAPI

    def load(self, path: Path, name: str, layout: EncodedLayout) -> SplinkDataFrame: ...

    def close(self) -> None: ...


def _popcounts(layout: EncodedLayout) -> list[str]:
    return [f"{popcount(f, layout.words)} AS {f}_pop" for f in layout.bloom_fields]


class DuckDBBackend:
    """Splink on DuckDB; `workspace` is a database file for large runs, else memory."""

    def __init__(self, workspace: Path | None = None, threads: int | None = None) -> None:
        import duckdb
        from splink import DuckDBAPI

        self._con = duckdb.connect(str(workspace) if workspace else ":memory:")
        self._con.execute(f"SET threads = {threads or os.cpu_count() or 1}")
        self._con.execute("SET preserve_insertion_order = false")
        self._con.execute("SET enable_progress_bar = false")  # the command shows its own stages
        # DuckDB spills to ./.tmp by default: keep the hub's intermediate tables out of the
        # user's working folder.
        spill = Path(tempfile.gettempdir()) / f"accord-duckdb-{os.getpid()}"
        self._con.execute(f"SET temp_directory = '{spill}'")
        self.db_api: DatabaseAPISubClass = DuckDBAPI(connection=self._con)

    def load(self, path: Path, name: str, layout: EncodedLayout) -> SplinkDataFrame:
        """Load one file as table `name`, with popcounts; registered under the same name."""
        self._con.execute(f"CREATE OR REPLACE TABLE {name}_input AS "
                          f"SELECT *, {', '.join(_popcounts(layout))} FROM read_parquet(?)", [str(path)])
        return self.db_api.register(f"{name}_input", dataset_display_name=name)

    def close(self) -> None:
        self._con.close()


class SparkBackend:
    """Splink on a local Spark session (pyspark and a Java runtime needed)."""

    def __init__(self, master: str = "local[2]") -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise BackendUnavailable("the Spark backend needs pyspark: pip install 'accord[spark]'") from None
        from splink import SparkAPI

        self._spark: Any = (SparkSession.builder.master(master).appName("accord-link")
                            .config("spark.sql.shuffle.partitions", "8")
                            .config("spark.ui.enabled", "false").getOrCreate())
        self._spark.sparkContext.setLogLevel("ERROR")
        self._spark.sparkContext.setCheckpointDir(str(Path(tempfile.gettempdir()) / "accord-spark"))
        self.db_api = SparkAPI(spark_session=self._spark)  # type: ignore[no-untyped-call]

    def load(self, path: Path, name: str, layout: EncodedLayout) -> SplinkDataFrame:
        """Read one file into a Spark frame with popcounts and register it as `name`."""
        frame = self._spark.read.parquet(str(path)).selectExpr("*", *_popcounts(layout))
        return self.db_api.register(frame, dataset_display_name=name)

    def close(self) -> None:
        self._spark.stop()


def open_backend(name: str, workspace: Path | None = None) -> Backend:
    """The backend called `name` (one of BACKENDS)."""
    if name == "duckdb":
        return DuckDBBackend(workspace)
    if name == "spark":
        return SparkBackend()
    raise BackendUnavailable(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
