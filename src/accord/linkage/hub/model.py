"""The Splink model over keyed encodings: Dice levels on Bloom filters, exact levels on tokens.

Bloom filters arrive as W signed 64-bit words per field. Dice is 2|A∩B| / (|A|+|B|); |A| is
precomputed per record as `<field>_pop`, and |A∩B| is summed word by word with `bit_count(l & r)`,
which DuckDB and Spark SQL both support. DuckDB's bit_count returns TINYINT, so every term is
cast to INTEGER before the sum overflows it. Thresholds are compared without division:
2|A∩B| >= t (|A|+|B|).
"""

from __future__ import annotations

from typing import Any

from splink import block_on

from accord.linkage.hub.encoded import EncodedLayout

ADDRESS_LEVELS = (0.9, 0.7)
# Blocking on tokens that each join the date of birth, or part of it, with a name code or the ZIP,
# plus the household and the shared identifier: every pair a block yields shares a rare
# combination, and together they tolerate one error of each kind.
BLOCKING_TOKENS = ("tok_dob_first", "tok_swapped_last", "tok_names_yob", "tok_md_names", "tok_dob_postcode",
                   "tok_names_postcode", "tok_street_postcode", "tok_national_id")
# Filters salted with the full date of birth are comparable only between records with equal dates,
# which the hub sees as equal `tok_dob_pair` (a token of its own, so that training can tell these
# comparisons apart from the date comparison, which reads `tok_dob`).
SAME_DATE = "tok_dob_pair"
# Comparison -> the token whose within-file pairs estimate its u-probabilities (salted_u.py).
# The first-name comparison of partly equal dates is sampled within one year, month and surname code.
U_SAMPLING_TOKENS = {**{f: SAME_DATE for f in ("first_name", "last_name", "middle_name", "street_address")},
                     "first_name_home": "tok_street_postcode", "names_with_partial_date": "tok_ym_last"}
# Two of the three date parts equal, each token carrying the surname code as well.
PARTIAL_DATE_TOKENS = ("tok_ym_last", "tok_yd_last", "tok_md_last")
# EM passes: a blocking token, and the columns whose comparisons that block biases. Splink leaves a
# comparison's m-probabilities alone in a pass whose blocking rule mentions one of its columns, so
# each biased column is mentioned in an always-true clause.
EM_PASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tok_dob_first", ("tok_dob",)),
    ("tok_names_postcode", ()),
    ("tok_ym_last", ("tok_dob",)),
)
# Linking files adds a pass on the household: across two rosters its pairs are mostly one child
# recorded twice. Within one roster they are brothers and sisters, and EM would learn "same family"
# as its match class, so deduplication leaves this pass out.
LINKING_EM_PASSES = (*EM_PASSES, ("tok_street_postcode", ()))


def em_blocking_rule(token: str, biased: tuple[str, ...]) -> str:
    """The SQL blocking rule of one EM pass."""
    keep_fixed = "".join(f" AND (l.{c} IS NULL OR l.{c} IS NOT NULL)" for c in biased)
    return f"l.{token} = r.{token}{keep_fixed}"


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


def _partial_date() -> str:
    """Two of the three parts of the birth date equal (and the surname code): a typo in one part."""
    return "(" + " OR ".join(f"coalesce({t}_l = {t}_r, false)" for t in PARTIAL_DATE_TOKENS) + ")"


def _null(field: str, when_dates_equal: bool) -> dict[str, Any]:
    condition = f"{field}_bf_0_l IS NULL OR {field}_bf_0_r IS NULL"
    if when_dates_equal:
        # Different dates mean different salts: the bits are unrelated and say nothing either way.
        condition += f" OR NOT {_same_date()}"
    return _null_level(condition, "missing or not comparable")


def _null_level(condition: str, label: str) -> dict[str, Any]:
    return {"sql_condition": condition, "label_for_charts": label, "is_null_level": True}


def _else() -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "different"}


def _level(condition: str, label: str) -> dict[str, Any]:
    return {"sql_condition": condition, "label_for_charts": label}


def dice_comparison(field: str, words: int, thresholds: tuple[float, ...], when_dates_equal: bool = True,
                    extra: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """One level per Dice threshold, strongest first; `extra` levels follow the strongest."""
    levels = [_null(field, when_dates_equal)]
    levels += [_level(dice_at_least(field, field, words, t), f"dice>={t}") for t in thresholds[:1]]
    levels += extra
    levels += [_level(dice_at_least(field, field, words, t), f"dice>={t}") for t in thresholds[1:]]
    levels.append(_else())
    return {"output_column_name": field, "comparison_levels": levels,
            "comparison_description": f"Dice similarity of the keyed {field} filters"}


def names_swapped(words: int) -> dict[str, Any]:
    """First and last name entered the wrong way round: they are hashed alike, so cross-compare."""
    return _level(f"({dice_at_least('first_name', 'last_name', words, 0.92)}) AND "
                  f"({dice_at_least('last_name', 'first_name', words, 0.92)})", "first and last swapped")


def _term_frequencies(token: str) -> dict[str, Any]:
    """Weigh agreement on a token by how common its value is: two Emma Johnsons born in one year are
    weaker evidence than two Saoirse Okonkwos. The hub already sees how often each token occurs."""
    return {"tf_adjustment_column": token, "tf_adjustment_weight": 1.0}


def token_comparison(name: str, levels: tuple[tuple[str, str], ...], when_dates_differ: bool,
                     not_when: str = "") -> dict[str, Any]:
    """Exact levels on tokens, strongest first; with `when_dates_differ`, only between different dates
    (equal dates bring the salted filters, which say the same things and more); never when the SQL
    condition `not_when` holds (another comparison already weighs that evidence)."""
    tokens = [t for t, _ in levels]
    condition = " AND ".join(f"({t}_l IS NULL OR {t}_r IS NULL)" for t in tokens)
    if when_dates_differ:
        condition = f"({condition}) OR {_same_date()}"
    if not_when:
        condition = f"{condition} OR {not_when}"
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
                *(_level(dice_at_least(field, field, words, t), f"dice>={t}") for t in (0.92, 0.7)),
                _else()]}


def names_with_partial_date() -> dict[str, Any]:
    """Do the name codes agree, between dates that differ in one part only?

    The partial-date tokens already carry the year (or day and month) and the surname code, so
    `names_without_date` steps aside for these pairs: counting its year and surname again would
    treat one fact as two, and at a million records namesakes born a few weeks apart outnumber the
    true pairs with a mistyped date. What is left to weigh is the first-name code, whose u is
    sampled among pairs of one year, month and surname code (salted_u.py)."""
    agree = " OR ".join(f"coalesce({t}_l = {t}_r, false)" for t in ("tok_names_yob", "tok_md_names"))
    return {"output_column_name": "names_with_partial_date",
            "comparison_description": "name codes, when two of three date parts are equal",
            "comparison_levels": [
                _null_level(f"NOT {_partial_date()} OR {_same_date()}", "not applicable"),
                _level(agree, "name codes agree"), _else()]}


def date_of_birth_comparison() -> dict[str, Any]:
    """Exact, day and month transposed, one of three parts mistyped, or different."""
    one_part = " OR ".join(f"{t}_l = {t}_r" for t in PARTIAL_DATE_TOKENS)
    return {
        "output_column_name": "date_of_birth",
        "comparison_description": "keyed date-of-birth tokens",
        "comparison_levels": [
            {"sql_condition": "tok_dob_l IS NULL OR tok_dob_r IS NULL", "label_for_charts": "missing",
             "is_null_level": True},
            {"sql_condition": "tok_dob_l = tok_dob_r", "label_for_charts": "exact"},
            _level("tok_dob_swapped_l = tok_dob_swapped_r", "day and month swapped"),
            {"sql_condition": one_part, "label_for_charts": "two of three parts equal"},
            _else(),
        ],
    }


def national_id_comparison(words: int) -> dict[str, Any]:
    """The shared identifier: exact token, one or two digits mistyped, or different."""
    return {
        "output_column_name": "national_id", "comparison_description": "keyed national identifier",
        "comparison_levels": [_null("national_id", when_dates_equal=False),
                              _level("tok_national_id_l = tok_national_id_r", "exact"),
                              _level(dice_at_least("national_id", "national_id", words, 0.75), "dice>=0.75"),
                              _else()],
    }


def settings(layout: EncodedLayout, link_type: str) -> dict[str, Any]:
    """The Splink settings dictionary for files of `layout`."""
    words = layout.words
    comparisons = [
        dice_comparison("first_name", words, (0.92, 0.7), extra=(names_swapped(words),)),
        dice_comparison("last_name", words, (0.92, 0.7, 0.5)),
        dice_comparison("middle_name", words, (0.9,)),
        date_of_birth_comparison(),
        dice_comparison("street_address", words, ADDRESS_LEVELS),
        token_comparison("names_without_date", (("tok_names_yob", "name codes and year"),
                                                ("tok_md_names", "name codes, month and day"),
                                                ("tok_names_postcode", "name codes and ZIP")), True,
                         not_when=_partial_date()),
        names_with_partial_date(),
        token_comparison("household_without_date", (("tok_street_postcode", "street and ZIP"),), True),
        first_name_at_home(words),
        national_id_comparison(words),
    ]
    return {
        "link_type": link_type,
        "unique_id_column_name": "record_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [block_on(t) for t in BLOCKING_TOKENS],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "probability_two_random_records_match": 1e-4,
        "max_iterations": 20,
    }
