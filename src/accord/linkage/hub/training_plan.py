"""Where each of the model's probabilities is learned from (`link.train` carries the plan out).

- u of the salted comparisons: within-file pairs sharing the salt's token (salted_u.py), since
  random pairs almost never share a salt;
- u of the date comparison: counted exactly from token group sizes (exact_u.py);
- u of the rest: random pairs within each file (within_file_u.py);
- m of the date comparison: pairs that are one child by their household and first name
  (anchored_m.py);
- m of the rest: EM on the blocks below.
"""

from __future__ import annotations

from accord.linkage.hub.carried import Carried
from accord.linkage.hub.model import HOUSEHOLD, SAME_DATE, SURNAME_SALT, blocking_dice, same

# Comparison -> the token whose within-file pairs estimate its u-probabilities (salted_u.py): the
# pairs sharing the filters' salt.
DATE_SALTED = ("first_name", "middle_name", "street_address")
U_SAMPLING_TOKENS = {**dict.fromkeys(DATE_SALTED, SAME_DATE), "last_name": SURNAME_SALT,
                     "first_name_home": HOUSEHOLD}
# Comparisons whose m comes from pairs that are one child by the household and the first name
# (anchored_m.py), neither of which they look at.
ANCHORED_M = ("date_of_birth",)
# The date comparison reads this token (and the salted filters `SAME_DATE`, its copy): a block on it
# holds the date comparison alone fixed.
BIRTH_DATE = "tok_dob"
EXACT_U = "date_of_birth"  # the comparison whose u is counted exactly (exact_u.py)
IDENTIFIER = ("national_id", "tok_national_id")  # and the one whose exact level is, with its token


def em_blocking_rule(condition: str, biased: tuple[str, ...]) -> str:
    """The SQL blocking rule of one EM pass: `condition`, holding the `biased` columns' m fixed.

    Splink leaves a comparison's m alone in a pass whose blocking rule mentions one of its columns,
    so each biased column is mentioned in an always-true clause."""
    keep_fixed = "".join(f" AND (l.{c} IS NULL OR l.{c} IS NOT NULL)" for c in biased)
    return f"{condition}{keep_fixed}"


def em_passes(carried: Carried, linking: bool) -> list[tuple[str, str]]:
    """The EM passes (label, SQL blocking rule) for linking two files or deduplicating one, on the
    tokens the files carry. Each names the comparisons its block biases, held fixed in it.

    First pairs of one date and one first-name code (the date and the first name held). Linking,
    then one household: across two rosters its pairs are mostly one child recorded twice; within
    one roster they are brothers and sisters, and EM would learn "same family" as its match class,
    so deduplication leaves it out. Last, pairs born on one day (the date held; anchored_m.py sets
    its m), in which every other comparison that applies between equal dates is free: one pass
    trains the names on a block that holds neither (ADR 0012, "Later (stop 35)")."""
    passes = [("tok_dob_first", em_blocking_rule(same("tok_dob_first"), (BIRTH_DATE, "first_name_bf_0")))]
    if linking:
        passes.append((HOUSEHOLD, em_blocking_rule(same(HOUSEHOLD), ("street_address_bf_0",))))
    passes.append((BIRTH_DATE, em_blocking_rule(same(BIRTH_DATE), (BIRTH_DATE,))))
    return [(label, rule) for label, rule in passes if label in carried]


# Deterministic rules for the share of matching pairs, strongest first: the first the files carry
# and that finds pairs is used (Splink's estimate_probability_two_random_records_match).
PRIOR_RULES = (
    ("date, first-name code and both name codes", ("tok_dob_first", "tok_swapped_names")),
    ("the shared identifier", ("tok_national_id",)),
    ("date, first-name code and ZIP", ("tok_dob_first", "tok_dob_postcode")),
    ("date and household", (BIRTH_DATE, HOUSEHOLD)),
)


def prior_rules(carried: Carried) -> list[tuple[str, str]]:
    """(label, SQL rule) of the deterministic rules whose tokens the files carry."""
    return [(label, " AND ".join(same(t) for t in tokens)) for label, tokens in PRIOR_RULES
            if carried.all(*tokens)]


def date_anchor(words: int) -> str:
    """The SQL join condition of pairs that are one child whatever their birth dates say: one
    household and one first name (anchored_m.py sets the date comparison's m from them)."""
    return f"{same(HOUSEHOLD)} AND {blocking_dice('first_name_home', words, 0.92)}"
