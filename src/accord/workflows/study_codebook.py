"""The values each dimension of a study lists (issue 18, ADR 0024): every question's table lists every
combination of them, empty or not, so that which rows appear says nothing about who is in the study.
Where they can be, they are fixed before any child is read:

- declared: the study's own `categories` (in its rules, approved with the study's version), in their
  order;
- closed: a flag's yes, no and not recorded, and a partner's membership: no, or the programs the
  partner runs that a list may name (no or yes for a partner that runs none);
- open: grade, school and entry year, when the study does not declare them: the values its children
  hold, kept beside its table at the build. What a listing of those still says: that some child of
  the study has the value, and at a rebuild, a value's first appearance (the newcomer's). They are what
  a teacher knows of a child, not the study's sensitive facts; a study closes them by declaring them.

A build whose children hold a value their dimension's fixed values do not list is refused (such a
child would be in no row of a table grouped by it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.terms import study_categories
from accord.domain.crosscheck import PROGRAM_LISTS
from accord.domain.studies import Study, StudyError, closed_values
from accord.store.repositories.agencies import get_agency
from accord.store.study_tables import Filter, domains
from accord.workflows.study_spec import narrowed


def fixed_values(session: Session, study: Study) -> dict[str, tuple[str, ...]]:
    """The dimensions whose values do not depend on the children: declared, else closed."""
    runs: dict[str, list[str]] = {}
    for partner in study.partners:
        agency = get_agency(session, partner)
        runs[partner] = [p.value for p in PROGRAM_LISTS if agency is not None and p in agency.programs]
    return closed_values(study, runs) | study_categories(study.rules)


def check_categories(study: Study) -> None:
    """A study's declared categories name only its own dimensions (checked at registration)."""
    unknown = sorted(set(study_categories(study.rules)) - set(study.dimensions))
    if unknown:
        raise StudyError(f"study {study.id}: its categories name {', '.join(unknown)}, not among its "
                         f"dimensions ({', '.join(study.dimensions)})")


def listed_values(session: Session, path: Path, study: Study, group_by: Sequence[str],
                  filters: Sequence[Filter]) -> list[list[str]]:
    """Each grouped dimension's values, narrowed only by the question's own filters on it."""
    fixed = fixed_values(session, study)
    open_dims = [d for d in group_by if d not in fixed]
    held = dict(zip(open_dims, domains(path, open_dims, filters), strict=True)) if open_dims else {}
    return [narrowed(fixed[d], tuple(filters), d) if d in fixed else held[d] for d in group_by]


def refuse_strays(study: Study, rows: Sequence[Mapping[str, Any]],
                  fixed: Mapping[str, Sequence[str]]) -> None:
    """Refuse a build whose children hold a value their dimension's fixed values do not list; says how
    many children, and the values (categories, never a child's identifier)."""
    problems = []
    for dim, values in sorted(fixed.items()):
        strays = Counter(str(r[dim]) for r in rows if dim in r and str(r[dim]) not in values)
        if strays:
            problems.append(f"{sum(strays.values())} children's {dim} is {', '.join(sorted(strays))}, not "
                            f"among its values ({', '.join(values)})")
    if problems:
        raise StudyError(f"study {study.id} cannot be built: {'; '.join(problems)}: declare the dimension's "
                         "categories in the study's rules (a new version)")
