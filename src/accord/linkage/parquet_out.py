"""Writing encoded records to Parquet in batches, atomically.

Columns: record_id, then for each Bloom-filtered field `<field>_bf_0 .. <field>_bf_{w-1}` (signed
64-bit words, all null when the field is missing), then the token columns. The file is written
under a temporary name beside the target and renamed only when complete, so a failed run leaves
nothing behind. Compression is off: the words and tokens are random-looking and do not compress,
and uncompressed bytes let a test confirm no clear text is inside. Dictionary encoding is off for
the same reason (salted filters and tokens rarely repeat), and trying it costs several times the
write itself. Arrow arrays are made straight from the encoder's numpy buffers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

# pyarrow ships no type information; this module is the only one that touches it.
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from numpy.typing import NDArray

from accord.linkage.encode.record import BLOOM_FIELDS, TOKENS, EncodedBatch
from accord.linkage.file_contract import ENCODING_ENTRY, atomic_path


def schema(words: int, metadata: dict[str, str]) -> pa.Schema:
    """The output schema for filters of `words` 64-bit words."""
    fields = [pa.field("record_id", pa.string(), nullable=False)]
    fields += [pa.field(f"{name}_bf_{i}", pa.int64()) for name in BLOOM_FIELDS for i in range(words)]
    fields += [pa.field(name, pa.int64()) for name in TOKENS]
    return pa.schema(fields, metadata={k.encode(): v.encode() for k, v in metadata.items()})


def _int64(values: NDArray[np.int64], validity: pa.Buffer | None) -> pa.Array:
    data = pa.py_buffer(np.ascontiguousarray(values, np.int64))
    return pa.Array.from_buffers(pa.int64(), len(values), [validity, data])


def _strings(values: list[str]) -> pa.Array:
    # From buffers rather than pa.array(list): that also costs a pandas import on first use.
    joined = "".join(values)
    if joined.isascii():
        data, lengths = joined.encode("ascii"), map(len, values)
    else:
        encoded = [value.encode() for value in values]
        data, lengths = b"".join(encoded), map(len, encoded)
    if len(data) >= 2**31:
        raise ValueError("record_ids of one batch exceed 2 GiB")
    offsets = np.zeros(len(values) + 1, np.int32)
    np.cumsum(np.fromiter(lengths, np.int32, count=len(values)), out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _validity(present: NDArray[np.bool_]) -> pa.Buffer | None:
    # Arrow's validity bitmap is the mask packed least significant bit first; None when all valid.
    return None if present.all() else pa.py_buffer(np.packbits(present, bitorder="little"))


def to_batch(batch: EncodedBatch, out_schema: pa.Schema) -> pa.RecordBatch:
    """Column-major arrays for one batch, built from the encoder's buffers without per-value Python."""
    columns: list[pa.Array] = [_strings(batch.record_ids)]
    for field in BLOOM_FIELDS:
        validity = _validity(batch.present[field])
        columns += [_int64(word, validity) for word in batch.blooms[field]]
    for name in TOKENS:
        columns.append(_int64(batch.tokens[name], _validity(batch.present[name])))
    return pa.RecordBatch.from_arrays(columns, schema=out_schema)


def write_parquet(target: Path, batches: Iterable[EncodedBatch], words: int, metadata: dict[str, str],
                  row_group_rows: int = 50_000, closing: Callable[[], dict[str, str]] = dict) -> None:
    """Write all batches (filters of `words` 64-bit words) to `target` in row groups of
    `row_group_rows` (the last one shorter), or nothing at all if any batch raises. `closing` gives
    the footer's entries known only once every batch is written."""
    out_schema = schema(words, {ENCODING_ENTRY: json.dumps(metadata, sort_keys=True)})
    with atomic_path(target) as temp:
        with pq.ParquetWriter(temp, out_schema, compression="none", use_dictionary=False) as writer:
            pending: list[pa.RecordBatch] = []
            rows = 0
            for batch in batches:
                if not len(batch):
                    continue
                pending.append(to_batch(batch, out_schema))
                rows += len(batch)
                while rows >= row_group_rows:  # encoding batches are small; row groups need not be
                    table = pa.Table.from_batches(pending, out_schema)
                    writer.write_table(table.slice(0, row_group_rows), row_group_size=row_group_rows)
                    rest = table.slice(row_group_rows)
                    pending, rows = rest.to_batches(), rest.num_rows
            if rows:
                writer.write_table(pa.Table.from_batches(pending, out_schema), row_group_size=row_group_rows)
            writer.add_key_value_metadata(closing())
