"""Links by band of match probability, as the linkage report counts them (linkage/hub/figures.py)."""

from __future__ import annotations

from accord.linkage.hub.figures import bands


def test_bands_start_at_the_threshold() -> None:
    assert [label for label, _ in bands([], 0.5)] == ["0.5 – 0.9", "0.9 – 0.99", "≥ 0.99"]
    assert [label for label, _ in bands([], 0.95)] == ["0.95 – 0.99", "≥ 0.99"]
    assert [label for label, _ in bands([], 0.995)] == ["≥ 0.995"]


def test_probabilities_are_banded_as_the_links_file_writes_them() -> None:
    # 0.98999996 is written 0.990000, so it counts at >= 0.99, as a reader of the file would count it;
    # 0.8999999 likewise counts at 0.9 - 0.99.
    counts = dict(bands([0.5, 0.8999999, 0.9, 0.98999996, 0.99, 1.0], 0.5))
    assert counts == {"0.5 – 0.9": 1, "0.9 – 0.99": 2, "≥ 0.99": 3}


def test_every_kept_pair_is_counted_whatever_the_threshold_s_decimals() -> None:
    # Rounded to six decimals, 0.12345641 would fall below a threshold of 0.1234564.
    assert sum(n for _, n in bands([0.12345641, 0.5], 0.1234564)) == 2
