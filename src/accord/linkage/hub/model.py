"""The Splink model over keyed encodings: Dice levels on Bloom filters, exact levels on tokens.

Bloom filters arrive as W signed 64-bit words per field. Dice is 2|A∩B| / (|A|+|B|); |A| is
precomputed per record as `<field>_pop`, and |A∩B| is summed word by word with `bit_count(l & r)`,
which DuckDB and Spark SQL both support. DuckDB's bit_count returns TINYINT, so every term is
cast to INTEGER before the sum overflows it. Thresholds are compared without division:
2|A∩B| >= t (|A|+|B|).
"""

from __future__ import annotations

from typing import Any

from splink.blocking_rule_library import CustomRule

from accord.linkage.hub.carried import Carried, everything
from accord.linkage.hub.encoded import EncodedLayout

ADDRESS_LEVELS = (0.9, 0.7)
# Filters salted with the full date of birth are comparable only between records with equal dates,
# which the hub sees as equal `tok_dob_pair` (a token of its own, so that training can tell these
# comparisons apart from the date comparison, which reads `tok_dob`).
SAME_DATE = "tok_dob_pair"
# The last name is salted with the date and the first-name code, the parts of `tok_dob_first`: equal
# tokens, comparable surname filters.
SURNAME_SALT = "tok_dob_first"
HOUSEHOLD = "tok_street_postcode"
# Two of the three date parts equal within one household (whatever the names say).
HOME_PARTIAL_DATE_TOKENS = ("tok_home_ym", "tok_home_yd", "tok_home_md")
# Blocking on tokens that each join the date of birth with a name code or the ZIP, plus the
# household and the shared identifier: every pair a block yields shares a rare combination.
BLOCKING_TOKENS = ("tok_dob_first", "tok_swapped_names", "tok_dob_postcode", HOUSEHOLD, "tok_national_id")
# And one block on what the date-salted filters already show: one birth date and a similar street,
# middle name or first name, for a child whose first name was recorded differently (no equal
# first-name code, so no comparable surname) and who has moved or whose ZIP was mistyped.
AT_BIRTH_DICE = {"street_address": 0.7, "middle_name": 0.9, "first_name": 0.7}


def blocking_rules(words: int, carried: Carried | None = None) -> list[str]:
    """The prediction blocks as SQL conditions in `l.` / `r.` naming, tokens first; with `carried`,
    only the blocks on encodings every side carries."""
    def kept(*columns: str) -> bool:
        return carried is None or carried.all(*columns)
    rules = [same(t) for t in BLOCKING_TOKENS if kept(t)]
    similar = " OR ".join(f"({blocking_dice(field, words, t)})" for field, t in AT_BIRTH_DICE.items()
                          if kept(field))
    if similar and kept(SAME_DATE):
        rules.append(f"{same(SAME_DATE)} AND ({similar})")
    return rules


def same(token: str) -> str:
    """SQL: the token is equal on both sides of a pair, in `l.` / `r.` naming."""
    return f"l.{token} = r.{token}"


def blocking_dice(field: str, words: int, threshold: float) -> str:
    """Dice(l.field, r.field) >= threshold, in a blocking rule's `l.` / `r.` naming."""
    common = " + ".join(f"CAST(bit_count(l.{field}_bf_{i} & r.{field}_bf_{i}) AS INTEGER)"
                        for i in range(words))
    return f"2 * ({common}) >= {threshold} * (l.{field}_pop + r.{field}_pop)"


def intersection(left: str, right: str, words: int) -> str:
    """SQL for |L ∩ R| of two filters given as `<field>_bf_<i>` word columns.

    Splink names the two sides of a pair by suffix: `x_l` and `x_r`.
    """
    terms = (f"CAST(bit_count({left}_bf_{i}_l & {right}_bf_{i}_r) AS INTEGER)" for i in range(words))
    return "(" + " + ".join(terms) + ")"


def dice_at_least(left: str, right: str, words: int, threshold: float) -> str:
    """SQL condition: Dice(l.left, r.right) >= threshold."""
    return f"2 * {intersection(left, right, words)} >= {threshold} * ({left}_pop_l + {right}_pop_r)"


def popcount(field: str, words: int) -> str:
    """SQL for the number of set bits of one record's filter (0 when the field is missing)."""
    terms = " + ".join(f"CAST(bit_count({field}_bf_{i}) AS INTEGER)" for i in range(words))
    return f"COALESCE({terms}, 0)"


def _same_date() -> str:
    return f"coalesce({SAME_DATE}_l = {SAME_DATE}_r, false)"


def dice_label(threshold: float) -> str:
    """The chart label of a Dice level, which chance_u.py reads its threshold back from."""
    return f"dice>={threshold}"


def dice_threshold(label: str) -> float | None:
    """The threshold of a level labelled by `dice_label`; None for any other level."""
    return float(label.removeprefix("dice>=")) if label.startswith("dice>=") else None


def _null(field: str, salt_token: str | None) -> dict[str, Any]:
    condition = f"{field}_bf_0_l IS NULL OR {field}_bf_0_r IS NULL"
    if salt_token:
        # Different salts: the bits are unrelated and say nothing either way.
        condition += f" OR NOT coalesce({salt_token}_l = {salt_token}_r, false)"
    return _null_level(condition, "missing or not comparable")


def _null_level(condition: str, label: str) -> dict[str, Any]:
    return {"sql_condition": condition, "label_for_charts": label, "is_null_level": True}


def _else() -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "different"}


def _level(condition: str, label: str) -> dict[str, Any]:
    return {"sql_condition": condition, "label_for_charts": label}


def dice_comparison(field: str, words: int, thresholds: tuple[float, ...], salt_token: str | None = SAME_DATE,
                    extra: tuple[dict[str, Any], ...] = (), fallback: tuple[dict[str, Any], ...] = ()
                    ) -> dict[str, Any]:
    """One level per Dice threshold, strongest first; `extra` levels follow the strongest and
    `fallback` levels the weakest. Filters are compared only between records with equal
    `salt_token` (their salt)."""
    levels = [_null(field, salt_token)]
    levels += [_level(dice_at_least(field, field, words, t), dice_label(t)) for t in thresholds[:1]]
    levels += extra
    levels += [_level(dice_at_least(field, field, words, t), dice_label(t)) for t in thresholds[1:]]
    levels += fallback
    levels.append(_else())
    return {"output_column_name": field, "comparison_levels": levels,
            "comparison_description": f"Dice similarity of the keyed {field} filters"}


def names_swapped() -> dict[str, Any]:
    """First and last name entered the wrong way round, between equal dates: the same two name codes
    (tok_swapped_names holds them unordered) but not the same first-name code."""
    return _level(f"tok_swapped_names_l = tok_swapped_names_r AND {SURNAME_SALT}_l <> {SURNAME_SALT}_r",
                  "first and last swapped")


def same_postcode() -> dict[str, Any]:
    """Another street but the same ZIP, between equal dates (`tok_dob_postcode` is the date and the
    ZIP): a move within the town, or a street recorded differently. One level of the address
    comparison, not a comparison of its own: a move changes street and ZIP together, and two
    comparisons would count it twice."""
    return _level("tok_dob_postcode_l = tok_dob_postcode_r", "another street, same ZIP")


def _term_frequencies(token: str) -> dict[str, Any]:
    """Weigh agreement on a token by how common its value is: two Emma Johnsons born in one year are
    weaker evidence than two Saoirse Okonkwos. The hub already sees how often each token occurs."""
    return {"tf_adjustment_column": token, "tf_adjustment_weight": 1.0}


def token_comparison(name: str, levels: tuple[tuple[str, str], ...], when_dates_differ: bool
                     ) -> dict[str, Any]:
    """Exact levels on tokens, strongest first; with `when_dates_differ`, only between different dates
    (equal dates bring the salted filters, which say the same things and more)."""
    tokens = [t for t, _ in levels]
    condition = " AND ".join(f"({t}_l IS NULL OR {t}_r IS NULL)" for t in tokens)
    if when_dates_differ:
        condition = f"({condition}) OR {_same_date()}"
    return {
        "output_column_name": name, "comparison_description": f"keyed tokens: {', '.join(tokens)}",
        "comparison_levels": [
            _null_level(condition, "missing or not applicable"),
            *(_level(f"{t}_l = {t}_r", label) | _term_frequencies(t) for t, label in levels), _else()],
    }


def first_name_at_home(words: int) -> dict[str, Any]:
    """First names salted with the household, compared when the household is the same and the birth
    dates differ: a mistyped date of the same child, or a brother or sister."""
    field = "first_name_home"
    applicable = f"coalesce(tok_street_postcode_l = tok_street_postcode_r, false) AND NOT {_same_date()}"
    return {"output_column_name": field, "comparison_description": "first name within one household",
            "comparison_levels": [
                _null_level(f"{field}_bf_0_l IS NULL OR {field}_bf_0_r IS NULL OR NOT ({applicable})",
                            "missing or not applicable"),
                *(_level(dice_at_least(field, field, words, t), dice_label(t)) for t in (0.92, 0.7)),
                _else()]}


def date_of_birth_comparison() -> dict[str, Any]:
    """Exact, day and month transposed (with the name codes, or not), one of three parts mistyped (with
    the name codes, or in one household), or different."""
    at_home = " OR ".join(f"{t}_l = {t}_r" for t in HOME_PARTIAL_DATE_TOKENS)
    return {
        "output_column_name": "date_of_birth",
        "comparison_description": "keyed date-of-birth tokens",
        "comparison_levels": [
            {"sql_condition": "tok_dob_l IS NULL OR tok_dob_r IS NULL", "label_for_charts": "missing",
             "is_null_level": True},
            {"sql_condition": "tok_dob_l = tok_dob_r", "label_for_charts": "exact"},
            _level("tok_swapped_names_l = tok_swapped_names_r", "day and month swapped, and the name codes"),
            _level("tok_dob_swapped_l = tok_dob_swapped_r", "day and month swapped"),
            _level(at_home, "two of three parts equal, in one household"),
            _else(),
        ],
    }


def national_id_comparison(words: int) -> dict[str, Any]:
    """The shared identifier: exact token, one or two digits mistyped, or different."""
    typo = dice_at_least("national_id", "national_id", words, 0.75)
    return {
        "output_column_name": "national_id", "comparison_description": "keyed national identifier",
        "comparison_levels": [_null("national_id", salt_token=None),
                              _level("tok_national_id_l = tok_national_id_r", "exact"),
                              _level(typo, dice_label(0.75)), _else()],
    }


def postcode_comparison() -> dict[str, Any]:
    """The ZIP between equal dates, for files that carry a ZIP but no street address."""
    return {"output_column_name": "postcode", "comparison_description": "keyed date and ZIP",
            "comparison_levels": [
                _null_level(f"tok_dob_postcode_l IS NULL OR tok_dob_postcode_r IS NULL OR NOT {_same_date()}",
                            "missing or not comparable"),
                same_postcode(), _else()]}


def comparisons(words: int, carried: Carried) -> list[dict[str, Any]]:
    """The comparisons whose encodings every side carries (each is named with what it needs)."""
    candidates: list[tuple[tuple[str, ...], dict[str, Any]]] = [
        (("first_name",), dice_comparison("first_name", words, (0.92, 0.7, 0.5), extra=(names_swapped(),))),
        (("last_name", SURNAME_SALT),
         dice_comparison("last_name", words, (0.92, 0.7, 0.5), salt_token=SURNAME_SALT)),
        (("middle_name",), dice_comparison("middle_name", words, (0.9,))),
        (("tok_dob",), date_of_birth_comparison()),
        (("street_address",), dice_comparison("street_address", words, ADDRESS_LEVELS,
                                              fallback=(same_postcode(),))),
        (("tok_street_postcode",),
         token_comparison("household_without_date", (("tok_street_postcode", "street and ZIP"),), True)),
        (("first_name_home",), first_name_at_home(words)),
        (("national_id",), national_id_comparison(words)),
    ]
    chosen = [comparison for needs, comparison in candidates if carried.all(*needs)]
    if "street_address" not in carried and "tok_dob_postcode" in carried:
        chosen.append(postcode_comparison())
    return chosen


def prior_before_training(carried: Carried) -> float:
    """The share of matching pairs the model starts from, and keeps when no deterministic rule can
    estimate it (training.py): each record of the smaller file matches at most one of the other."""
    return 1.0 / max(*carried.rows, 2) if carried.rows else 1e-4


def settings(layout: EncodedLayout, link_type: str, carried: Carried | None = None) -> dict[str, Any]:
    """The Splink settings dictionary for files of `layout`, on what they carry (default: all)."""
    words = layout.words
    carried = carried or everything(layout)
    rules = [CustomRule(rule) for rule in blocking_rules(words, carried)]
    return {
        "link_type": link_type,
        "unique_id_column_name": "record_id",
        "comparisons": comparisons(words, carried),
        "blocking_rules_to_generate_predictions": rules,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "probability_two_random_records_match": prior_before_training(carried),
        "max_iterations": 20,
    }
