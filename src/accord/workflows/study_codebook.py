"""The values each dimension of a study lists (issue 18, ADR 0024): every question's table lists every
combination of them, empty or not, so that which rows appear says nothing about who is in the study.
All of them are fixed before any child is read:

- declared: the study's own `categories` (in its rules, approved with the study's version), in their
  order;
- else public structure: a flag's yes, no and not recorded; a partner's membership: no, or the
  programs the partner runs that a list may name (no or yes for a partner that runs none); a grade the
  K-12 scale's; a school one the education agency registered (the public school directory, `accord
  agencies add --school`); an entry year one its dates allow (`domain.studies.public_values`).

A build whose children hold a value their dimension's values do not list is refused (such a child
would be in no row of a table grouped by it), in one line saying how to list it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.terms import study_categories
from accord.domain.crosscheck import PROGRAM_LISTS
from accord.domain.studies import Study, StudyError, public_values
from accord.store.repositories.agencies import get_agency
from accord.store.study_tables import Filter
from accord.workflows.study_spec import narrowed

# How a build's refusal says to list a value its dimension misses, beside declaring the dimension's
# categories in the study's rules.
_ELSE = {"school": "or register the school among the education agency's (`accord agencies add --school`)"}


def fixed_values(session: Session, study: Study) -> dict[str, tuple[str, ...]]:
    """Every dimension's values, none read from a child: declared, else public."""
    runs: dict[str, list[str]] = {}
    for partner in study.partners:
        agency = get_agency(session, partner)
        runs[partner] = [p.value for p in PROGRAM_LISTS if agency is not None and p in agency.programs]
    school = get_agency(session, study.school_agency_id)
    return codebook(study, runs, school.schools if school is not None else frozenset())


def codebook(study: Study, runs: Mapping[str, Sequence[str]],
             schools: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every dimension's values given the programs each partner runs and the education agency's
    schools: the study's declared categories, else the public ones."""
    return public_values(study, runs, schools) | study_categories(study.rules)


def check_categories(study: Study) -> None:
    """A study's declared categories name only its own dimensions (checked at registration)."""
    unknown = sorted(set(study_categories(study.rules)) - set(study.dimensions))
    if unknown:
        raise StudyError(f"study {study.id}: its categories name {', '.join(unknown)}, not among its "
                         f"dimensions ({', '.join(study.dimensions)})")


def listed_values(session: Session, study: Study, group_by: Sequence[str],
                  filters: Sequence[Filter]) -> list[list[str]]:
    """Each grouped dimension's values, narrowed only by the question's own filters on it."""
    fixed = fixed_values(session, study)
    return [narrowed(fixed[d], tuple(filters), d) for d in group_by]


def refuse_strays(study: Study, rows: Sequence[Mapping[str, Any]],
                  fixed: Mapping[str, Sequence[str]]) -> None:
    """Refuse a build whose children hold a value their dimension's fixed values do not list; says how
    many children, and the values (categories, never a child's identifier)."""
    problems, astray = [], []
    for dim, values in sorted(fixed.items()):
        strays = Counter(str(r[dim]) for r in rows if dim in r and str(r[dim]) not in values)
        if strays:
            astray.append(dim)
            problems.append(f"{sum(strays.values())} children's {dim} is {', '.join(sorted(strays))}, not "
                            f"among its values ({', '.join(values) or 'none'})")
    if problems:
        remedies = "".join(f" {_ELSE[d]}" for d in astray if d in _ELSE)
        raise StudyError(f"study {study.id} cannot be built: {'; '.join(problems)}: declare the dimension's "
                         f"categories in the study's rules (a new version){remedies}")
