"""The reads behind one decision's facts, as Core statements on the session's connection.

Every case request reads them inside its write transaction (the decision must see the facts as
they stand when its ledger entry is written), so their cost is time the store's one writer is held:
through the ORM, with its identity map and a select-in load per relationship, they were about 11 ms
of CPU a request on the demo county; as a few plain statements, mapped by the repositories' own
mappers, a fraction of that. Nothing is kept between calls: each decision reads current rows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.orm import Session

from accord.domain.agreements import Agreement
from accord.domain.consents import Consent
from accord.domain.training import Completion
from accord.store.models import AgreementPartyRow, AgreementRow, CompletionRow, ConsentRow, SignatureRow
from accord.store.repositories.agreement_rows import from_columns
from accord.store.repositories.consents import consent_of_row
from accord.store.repositories.training import completion_of_row


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


_AGREEMENTS, _PARTIES, _SIGNATURES = _table(AgreementRow), _table(AgreementPartyRow), _table(SignatureRow)
_CONSENTS, _COMPLETIONS = _table(ConsentRow), _table(CompletionRow)

# Built once, with parameters: building a statement and its cache key costs more than SQLite's
# answer to it (0.3 ms against 0.03 ms for one agreement's parties).
_KEYS = select(_PARTIES.c.agreement_id, _PARTIES.c.agreement_version).where(
    _PARTIES.c.agency_id == bindparam("a")).intersect(select(
        _PARTIES.c.agreement_id, _PARTIES.c.agreement_version).where(
        _PARTIES.c.agency_id == bindparam("b"))).subquery()
_BINDING = select(_AGREEMENTS).join(_KEYS, (_AGREEMENTS.c.id == _KEYS.c.agreement_id)
                                    & (_AGREEMENTS.c.version == _KEYS.c.agreement_version))
_VERSIONS_OF = select(_AGREEMENTS).where(_AGREEMENTS.c.id.in_(bindparam("ids", expanding=True)))
_PARTIES_OF = select(_PARTIES).where(_PARTIES.c.agreement_id.in_(bindparam("ids", expanding=True)))
_SIGNATURES_OF = (select(_SIGNATURES).where(_SIGNATURES.c.agreement_id.in_(bindparam("ids", expanding=True)))
                  .order_by(_SIGNATURES.c.position))
_CONSENTS_OF = (select(_CONSENTS).where(_CONSENTS.c.student_id == bindparam("student"))
                .order_by(_CONSENTS.c.starts_on, _CONSENTS.c.id))
_COMPLETIONS_OF = (select(_COMPLETIONS).where(_COMPLETIONS.c.user_id == bindparam("user"))
                   .order_by(_COMPLETIONS.c.completed_on, _COMPLETIONS.c.course_id))


def agreements_binding(session: Session, agency_a: str, agency_b: str) -> tuple[Agreement, ...]:
    """Every version of every agreement both agencies are party to, plus every version of each
    agreement above them, by id and version (as `agreements_between` with `with_parent_chain`)."""
    conn = session.connection()
    rows = {(r.id, r.version): r for r in conn.execute(_BINDING, {"a": agency_a, "b": agency_b})}
    seen: set[str] = set()
    while wanted := {r.parent_id for r in rows.values() if r.parent_id is not None} - seen:
        seen |= wanted
        rows.update({(r.id, r.version): r for r in conn.execute(_VERSIONS_OF, {"ids": sorted(wanted)})})
    return tuple(_with_children(conn, [rows[k] for k in sorted(rows)]))


def _with_children(conn: Connection, rows: list[Any]) -> list[Agreement]:
    """The agreements of `rows`, their parties and signatures read in one statement each."""
    if not rows:
        return []
    ids = {"ids": sorted({r.id for r in rows})}
    parties, signatures = defaultdict(list), defaultdict(list)
    for p in conn.execute(_PARTIES_OF, ids):
        parties[(p.agreement_id, p.agreement_version)].append(p)
    for s in conn.execute(_SIGNATURES_OF, ids):
        signatures[(s.agreement_id, s.agreement_version)].append(s)
    return [from_columns(r, parties[(r.id, r.version)], signatures[(r.id, r.version)]) for r in rows]


def consents_of(session: Session, student_id: str) -> tuple[Consent, ...]:
    """One student's consents, oldest start first (as `consents_for_student`)."""
    rows = session.connection().execute(_CONSENTS_OF, {"student": student_id})
    return tuple(consent_of_row(r) for r in rows)


def completions_of(session: Session, user_id: str) -> tuple[Completion, ...]:
    """One user's training completions, oldest first (as `completions_for_user`)."""
    rows = session.connection().execute(_COMPLETIONS_OF, {"user": user_id})
    return tuple(completion_of_row(r) for r in rows)
