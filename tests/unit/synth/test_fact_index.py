"""FactIndex assembles exactly the facts one request needs."""

from __future__ import annotations

from datetime import date, datetime

from accord.domain.purposes import Purpose
from accord.policy import DisclosureRequest
from accord.policy.fact_index import FactIndex
from accord.synth import build_county

AS_OF = date(2026, 11, 29)
COUNTY = build_county(3, 200, as_of=AS_OF)
INDEX = FactIndex.build(agencies=COUNTY.agencies, users=COUNTY.users, students=COUNTY.students,
                        agreements=COUNTY.agreements, consents=COUNTY.consents,
                        completions=COUNTY.completions, state=COUNTY.state_law)


def _request(requester: str, student: str, holder: str = "lea") -> DisclosureRequest:
    return DisclosureRequest(requester, student, holder, Purpose.SUPPORTIVE_SERVICES,
                             frozenset({"attendance"}), datetime(2026, 11, 29, 10))


def test_facts_for_a_known_request() -> None:
    f = COUNTY.featured
    facts = INDEX.facts_for(_request("cw.health.1", f.consented))
    assert facts.requester is not None and facts.requester.id == "cw.health.1"
    assert facts.requester_agency is not None and facts.requester_agency.id == "health"
    assert facts.source_agency is not None and facts.source_agency.id == "lea"
    assert facts.student is not None and facts.student.id == f.consented
    assert {c.student_id for c in facts.consents} == {f.consented}
    assert {c.user_id for c in facts.completions} == {"cw.health.1"}
    assert facts.state == COUNTY.state_law
    ids = {a.id for a in facts.agreements}
    assert {"dsa-health", "em-county"} <= ids
    assert all({"lea", "health"} <= a.parties for a in facts.agreements)


def test_parent_chain_is_included() -> None:
    ids = {a.id for a in INDEX.agreements_between("lea", "univ")}
    assert {"em-county", "dsa-research", "dul-study-01"} <= ids


def test_unknown_parties_give_empty_facts() -> None:
    facts = INDEX.facts_for(_request("nobody", "stu-999999", "nowhere"))
    assert facts.requester is None and facts.requester_agency is None
    assert facts.source_agency is None and facts.student is None
    assert facts.agreements == () and facts.consents == () and facts.completions == ()
