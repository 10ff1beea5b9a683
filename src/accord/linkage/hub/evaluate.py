"""Precision, recall and F1 of a links file against ground truth.

Truth is `agency,record_id,person_id` (as `accord synth` writes it): two records are a true pair
when they belong to the same person. Links are `left_id,right_id[,match_probability]`. The true
pairs counted for recall are those between the two agencies the links run between (or within one
agency, for deduplication), so a truth file covering five agencies can grade any pair of them.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations, product
from pathlib import Path

from accord.errors import AccordError


class LinksFileError(AccordError, ValueError):
    """A links or truth file cannot be read; the message names the file, row and column."""


@dataclass(frozen=True, slots=True)
class LinkQuality:
    """Pair counts and the three figures derived from them."""

    links: int
    true_pairs: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in columns if c not in header]
            if missing:
                raise LinksFileError(f"{path.name} row 1: missing column {', '.join(missing)}")
            index = [header.index(c) for c in columns]
            for number, cells in enumerate(reader, start=2):
                if len(cells) < len(header):
                    raise LinksFileError(
                        f"{path.name} row {number}: {len(cells)} cells, expected {len(header)}")
                yield number, [cells[i].strip() for i in index]
    except OSError as err:
        raise LinksFileError(f"{path.name}: cannot read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise LinksFileError(f"{path.name}: not valid UTF-8 text") from None


def read_truth(path: Path) -> dict[str, tuple[str, str]]:
    """record_id -> (agency, person_id)."""
    truth: dict[str, tuple[str, str]] = {}
    for number, (agency, record_id, person) in _rows(path, ("agency", "record_id", "person_id")):
        if record_id in truth:
            raise LinksFileError(f"{path.name} row {number}, column record_id: duplicate")
        truth[record_id] = (agency, person)
    return truth


def read_links(path: Path) -> set[tuple[str, str]]:
    """The (left_id, right_id) pairs of a links file."""
    return {(left, right) for _, (left, right) in _rows(path, ("left_id", "right_id"))}


def _side(ids: Iterable[str], truth: dict[str, tuple[str, str]], path: str, column: str) -> str:
    agencies = Counter(truth[i][0] for i in ids if i in truth)
    if not agencies:
        raise LinksFileError(f"{path}: no {column} appears in the truth file; name the agency explicitly")
    return agencies.most_common(1)[0][0]


def true_pairs(truth: dict[str, tuple[str, str]], left: str, right: str) -> set[tuple[str, str]]:
    """Every pair of records of one person, one from agency `left` and one from `right`."""
    people: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record_id, (agency, person) in truth.items():
        if agency in (left, right):
            people[person][agency].append(record_id)
    pairs: set[tuple[str, str]] = set()
    for records in people.values():
        if left == right:
            pairs.update(tuple(sorted(p)) for p in combinations(records[left], 2))  # type: ignore[misc]
        else:
            pairs.update(product(records[left], records[right]))
    return pairs


def evaluate(links_path: Path, truth_path: Path, left: str | None = None, right: str | None = None
             ) -> tuple[LinkQuality, str, str]:
    """Grade the links; agencies not given are those most of the link ids belong to."""
    truth, links = read_truth(truth_path), read_links(links_path)
    left = left or _side((a for a, _ in links), truth, links_path.name, "left_id")
    right = right or _side((b for _, b in links), truth, links_path.name, "right_id")
    expected = true_pairs(truth, left, right)
    found = {tuple(sorted(p)) for p in links} if left == right else links
    return LinkQuality(len(found), len(expected), len(found & expected)), left, right
