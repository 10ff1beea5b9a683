"""What a study has released so far, kept compactly for query auditing (`accord.disclosure.audit`).

Each study record carries a 64-bit signature of the released cells it fell in, combined incrementally
(a released cell mixes its own tag into its members' signatures), so records that no released cell
separates share a signature: they form an *atom*. For each released cell the history keeps its released
count and the signatures of the atoms it covers; a new release splits atoms, and each cell's atoms are
replaced by their parts. Nothing here is a person's value: signatures, record indices, counts.

Size: 8 bytes per study record, plus per released cell its count and one signature per atom it covers
(a cell covers at most its own count of atoms). The study's size at each release (`n_records`) is known
to the analyst, so it is held as a released cell too (records 0..n-1: the plumbing gives records stable
indices and appends new ones).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.disclosure.outcome import Released
from accord.errors import AccordError

U64 = npt.NDArray[np.uint64]
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


class HistoryUnreadable(AccordError, ValueError):
    """A stored audit history that is not one this engine wrote."""


def mix(x: U64) -> U64:
    """SplitMix64's finaliser, elementwise (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK
        z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK
        z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK
        return z ^ (z >> np.uint64(31))


@dataclass(frozen=True)
class AuditHistory:
    n_records: int
    signatures: U64  # per study record
    values: npt.NDArray[np.float64]  # per released cell: its count
    indptr: npt.NDArray[np.int64]  # cell i covers atoms atom_sigs[indptr[i]:indptr[i+1]]
    atom_sigs: U64
    universe: int = 0  # the study size last held as a released cell

    @classmethod
    def empty(cls, n_records: int = 0) -> AuditHistory:
        return cls(n_records, np.zeros(n_records, np.uint64), np.zeros(0), np.zeros(1, np.int64),
                   np.zeros(0, np.uint64))

    @property
    def n_cells(self) -> int:
        return len(self.values)

    def atoms(self) -> tuple[U64, npt.NDArray[np.int64]]:
        """The atoms (sorted signatures) and how many study records each holds."""
        sigs, sizes = np.unique(self.signatures, return_counts=True)
        return sigs, sizes.astype(np.int64)

    def incidence(self) -> tuple[U64, npt.NDArray[np.int64], list[npt.NDArray[np.int64]]]:
        """(atoms, their sizes, per released cell the indices of its atoms)."""
        sigs, sizes = self.atoms()
        cols = np.searchsorted(sigs, self.atom_sigs)
        return sigs, sizes, [cols[self.indptr[i]:self.indptr[i + 1]] for i in range(self.n_cells)]

    def after(self, released: Released) -> AuditHistory:
        """The history once `released` is out: its released rows (and the study's size) become cells."""
        cells = [released.members[i] for i in released.released_rows()]
        values = [float(len(m)) for m in cells]
        return self.with_cells(cells, values, released.n_records)

    def with_cells(self, cells: list[npt.NDArray[np.int64]], values: list[float],
                   n_records: int) -> AuditHistory:
        n = max(n_records, self.n_records)
        sig = np.zeros(n, np.uint64)
        sig[:self.n_records] = self.signatures
        universe = self.universe
        if n_records != self.universe:  # the study's size, known to the analyst, is a released cell
            cells = [np.arange(n_records, dtype=np.int64), *cells]
            values = [float(n_records), *values]
            universe = n_records
        kept = [(c, v) for c, v in zip(cells, values, strict=True) if len(c)]  # an empty cell: no one
        cells, values = [c for c, _ in kept], [v for _, v in kept]
        old = sig.copy()
        for j, members in enumerate(cells):
            tag = mix(np.array([self.n_cells + j + 1], np.uint64))[0]
            sig[members] = mix(sig[members] ^ tag)
        # each old atom's parts: the new signatures of its records
        pairs = np.unique(np.stack([old, sig], 1), axis=0)
        parents, children = pairs[:, 0], pairs[:, 1]
        start = np.searchsorted(parents, self.atom_sigs, side="left")
        stop = np.searchsorted(parents, self.atom_sigs, side="right")
        parts = stop - start
        ends = np.concatenate([[0], np.cumsum(parts)])
        per_cell = ends[self.indptr[1:]] - ends[self.indptr[:-1]]
        take = np.arange(ends[-1]) - np.repeat(ends[:-1], parts) + np.repeat(start, parts)
        new_sigs = [children[take]]
        lengths = [per_cell.astype(np.int64)]
        for members in cells:
            own = np.unique(sig[members])
            new_sigs.append(own)
            lengths.append(np.array([len(own)], np.int64))
        lens = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
        return AuditHistory(n, sig, np.concatenate([self.values, np.asarray(values, np.float64)]),
                            np.concatenate([[0], np.cumsum(lens)]).astype(np.int64),
                            np.concatenate(new_sigs).astype(np.uint64), universe)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez_compressed(out, n_records=np.int64(self.n_records), signatures=self.signatures,
                            values=self.values, indptr=self.indptr, atom_sigs=self.atom_sigs,
                            universe=np.int64(self.universe), version=np.int64(1))
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> AuditHistory:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                if int(z["version"]) != 1:
                    raise HistoryUnreadable("an audit history of another version")
                h = cls(int(z["n_records"]), z["signatures"].astype(np.uint64),
                        z["values"].astype(np.float64), z["indptr"].astype(np.int64),
                        z["atom_sigs"].astype(np.uint64), int(z["universe"]))
        except HistoryUnreadable:
            raise
        except Exception as e:  # a truncated or foreign file: np.load's own errors vary
            raise HistoryUnreadable("the stored audit history cannot be read") from e
        if (len(h.signatures) != h.n_records or len(h.indptr) != h.n_cells + 1
                or h.indptr[-1] != len(h.atom_sigs)):
            raise HistoryUnreadable("the stored audit history is inconsistent")
        return h
