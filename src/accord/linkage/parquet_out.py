"""Writing encoded records to Parquet in batches, atomically.

Columns: record_id, then for each Bloom-filtered field `<field>_bf_0 .. <field>_bf_{w-1}` (signed
64-bit words, all null when the field is missing), then the token columns. The file is written
under a temporary name beside the target and renamed only when complete, so a failed run leaves
nothing behind. Compression is off: the words and tokens are random-looking and do not compress,
and uncompressed bytes let a test confirm no clear text is inside.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

# pyarrow ships no type information; this module is the only one that touches it.
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from accord.linkage.encode.record import BLOOM_FIELDS, TOKENS, EncodedRecord, RecordEncoder


def schema(words: int, metadata: dict[str, str]) -> pa.Schema:
    """The output schema for filters of `words` 64-bit words."""
    fields = [pa.field("record_id", pa.string(), nullable=False)]
    fields += [pa.field(f"{name}_bf_{i}", pa.int64()) for name in BLOOM_FIELDS for i in range(words)]
    fields += [pa.field(name, pa.int64()) for name in TOKENS]
    return pa.schema(fields, metadata={k.encode(): v.encode() for k, v in metadata.items()})


def to_batch(records: list[EncodedRecord], encoder: RecordEncoder, out_schema: pa.Schema) -> pa.RecordBatch:
    """Column-major arrays for one batch of records, built from buffers without per-value Python."""
    n, words = len(records), encoder.bits // 64
    columns: list[pa.Array] = [pa.array([r.record_id for r in records], pa.string())]
    zero = bytes(encoder.bits // 8)
    for field in BLOOM_FIELDS:
        filters = [r.blooms[field] for r in records]
        # Arrow's validity bitmap is exactly the data buffer of a boolean array of "present".
        present = [f is not None for f in filters]
        validity = None if all(present) else pa.array(present, pa.bool_()).buffers()[1]
        # All records' words in one buffer; column i is every words-th word from offset i, and
        # a strided memoryview copies it out contiguously in C.
        flat = memoryview(b"".join(f or zero for f in filters)).cast("q")
        for i in range(words):
            data = pa.py_buffer(flat[i::words].tobytes())
            columns.append(pa.Array.from_buffers(pa.int64(), n, [validity, data]))
    for name in TOKENS:
        columns.append(pa.array([r.tokens[name] for r in records], pa.int64()))
    return pa.RecordBatch.from_arrays(columns, schema=out_schema)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it on success and removed on any failure."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def write_parquet(target: Path, batches: Iterable[list[EncodedRecord]], encoder: RecordEncoder,
                  metadata: dict[str, str]) -> None:
    """Write all batches to `target`, or nothing at all if any batch raises."""
    out_schema = schema(encoder.bits // 64, {"accord.encoding": json.dumps(metadata, sort_keys=True)})
    with atomic_path(target) as temp:
        with pq.ParquetWriter(temp, out_schema, compression="none") as writer:
            for records in batches:
                if records:
                    writer.write_batch(to_batch(records, encoder, out_schema))
