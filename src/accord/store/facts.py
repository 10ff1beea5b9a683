"""load_facts: everything decide() needs for one request, read in a handful of queries."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.domain.agreements import Agreement
from accord.policy.fact_index import FactIndex
from accord.policy.request import DisclosureRequest, Facts
from accord.store.fact_reads import agreements_binding, completions_of, consents_of
from accord.store.repositories.agencies import get_agency, get_user, list_agencies, list_users
from accord.store.repositories.agreements import list_agreements
from accord.store.repositories.consents import list_consents
from accord.store.repositories.state_law import get_state_law
from accord.store.repositories.students import get_student, students_by_ids
from accord.store.repositories.training import list_completions


def load_facts(session: Session, request: DisclosureRequest) -> Facts:
    """The Facts for `request`, as accord.policy.fact_index.FactIndex.facts_for builds them.

    Candidate agreements are every version of those both the holding agency and the
    requester's agency are party to, plus every version of each agreement above them.
    Anything unknown is left None/empty: decide() counts absence against the request.
    """
    requester = get_user(session, request.requester_id)
    recipient = get_agency(session, requester.agency_id) if requester is not None else None
    agreements: tuple[Agreement, ...] = ()
    if recipient is not None:
        agreements = agreements_binding(session, request.source_agency_id, recipient.id)
    return Facts(
        requester=requester,
        requester_agency=recipient,
        source_agency=get_agency(session, request.source_agency_id),
        student=get_student(session, request.student_id),
        agreements=agreements,
        consents=consents_of(session, request.student_id),
        completions=completions_of(session, request.requester_id),
        state=get_state_law(session),
    )


def fact_index_for(session: Session, student_ids: list[str]) -> FactIndex:
    """Every fact the decisions about these students need, read once: a run that decides for
    thousands of children (a cross-check) asks the store a handful of times, not per child."""
    wanted = set(student_ids)
    return FactIndex.build(
        agencies=list_agencies(session), users=list_users(session),
        students=students_by_ids(session, sorted(wanted)),
        agreements=list_agreements(session, all_versions=True),
        consents=[c for c in list_consents(session) if c.student_id in wanted],
        completions=list_completions(session), state=get_state_law(session))
