"""Where Splink runs: DuckDB in-process by default, Spark when asked.

Each backend loads an encoded Parquet file as a table with one extra column per Bloom field, its
popcount `<field>_pop`, so Dice needs only the intersection at comparison time. pyspark is an
optional extra and imported only inside the Spark backend.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Protocol

from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.errors import AccordError
from accord.linkage.hub.encoded import EncodedLayout
from accord.linkage.hub.model import popcount

BACKENDS = ("duckdb", "spark")


class BackendUnavailable(AccordError, RuntimeError):
    """The chosen backend cannot start here (e.g. pyspark is not installed)."""

    code = "linkage_backend_unavailable"


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
        pops = ", ".join(_popcounts(layout))
        self._con.execute(f"CREATE OR REPLACE TABLE {name}_input AS SELECT *, {pops} FROM read_parquet(?)",
                          [str(path)])
        return self.db_api.register(f"{name}_input", dataset_display_name=name)

    def execute(self, sql: str, parameters: list[object] | None = None) -> list[tuple[Any, ...]]:
        """Run the hub's own SQL on the backend's database and return every row."""
        return self._con.execute(sql, parameters or []).fetchall()

    def close(self) -> None:
        self._con.close()


# Spark's own log4j2 configuration, so that a run prints no JVM chatter (start-up notices, stage
# progress, warnings about the host name): only errors reach the console.
_SPARK_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
# PySpark's gateway counts as a shell, which announces its log level unless its logger has one.
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


def _spark_conf(scratch: Path, memory: str) -> dict[str, str]:
    """A lean local session: no UI or progress bars, few partitions, everything under `scratch`."""
    log_config = scratch / "log4j2.properties"
    log_config.write_text(_SPARK_LOG4J2, encoding="utf-8")
    return {
        "spark.driver.memory": memory,
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={log_config.as_uri()}",
        # Local mode needs no network identity; binding to loopback avoids the host-name lookup.
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # Splink runs hundreds of small queries; re-planning each one adaptively costs more than
        # it saves on one machine, and a few shuffle partitions suit two cores.
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.local.dir": str(scratch / "local"),
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
    }


class SparkBackend:
    """Splink on a local Spark session (pyspark and a Java 17+ runtime needed).

    Splink breaks the lineage of its intermediate tables by writing them as Parquet under the
    session's checkpoint directory; that, Spark's shuffle files and its warehouse live in one
    scratch directory of this run, deleted on close (they hold encodings, never clear text).
    """

    def __init__(self, master: str = "local[2]", memory: str = "1g") -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise BackendUnavailable("the Spark backend needs pyspark: pip install 'accord[spark]'") from None
        from splink import SparkAPI

        self._scratch = Path(tempfile.mkdtemp(prefix="accord-spark-"))
        try:
            builder = SparkSession.builder.master(master).appName("accord-link")
            for key, value in _spark_conf(self._scratch, memory).items():
                builder = builder.config(key, value)
            self._spark: Any = builder.getOrCreate()
        except Exception as err:  # pyspark reports a missing or unusable Java in several ways
            shutil.rmtree(self._scratch, ignore_errors=True)
            raise BackendUnavailable(f"the Spark backend could not start a local session (it needs a "
                                     f"Java 17+ runtime): {type(err).__name__}: {err}") from err
        self._spark.sparkContext.setLogLevel("ERROR")
        self._spark.sparkContext.setCheckpointDir(str(self._scratch / "checkpoints"))
        # The hub's model compares with SQL only; Splink's fuzzy-match UDF jar is not needed.
        self.db_api = SparkAPI(spark_session=self._spark,  # type: ignore[no-untyped-call]
                               break_lineage_method="parquet", register_udfs_automatically=False)

    def load(self, path: Path, name: str, layout: EncodedLayout) -> SplinkDataFrame:
        """Read one file as view `<name>_input`, with popcounts; registered under `name`."""
        frame = self._spark.read.parquet(str(path)).selectExpr("*", *_popcounts(layout))
        frame.createOrReplaceTempView(f"{name}_input")
        return self.db_api.register(f"{name}_input", dataset_display_name=name)

    def close(self) -> None:
        try:
            self._spark.stop()
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)


def open_backend(name: str, workspace: Path | None = None) -> Backend:
    """The backend called `name` (one of BACKENDS)."""
    if name == "duckdb":
        return DuckDBBackend(workspace)
    if name == "spark":
        return SparkBackend()
    raise BackendUnavailable(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
