"""Benefit-program and juvenile-court records coming *to* the schools."""

from __future__ import annotations

from accord.domain.agencies import Program
from accord.domain.consents import ConsentForm
from accord.domain.purposes import LegalBasis, Purpose
from accord.policy.assessment import Assessment
from accord.policy.consent_match import adult_or_parent_signer, consent_cover, report_uncovered
from accord.policy.grants import Grants, grant
from accord.policy.request import MANDATORY_DIRECT_CERTIFICATION

_ANY_FORM = frozenset(ConsentForm)
_DIRECT_CERT = LegalBasis.DIRECT_CERTIFICATION.citation
_PROGRAM_CONSENT = "7 USC 2020(e)(8); 42 USC 602(a)(1)(A)(iv) (program confidentiality)"
_STATE_LAW = LegalBasis.STATE_STATUTE.citation
_FLAG = frozenset({"direct_certification"})


def benefit_grants(a: Assessment, mine: frozenset[str]) -> Grants:
    """SNAP/TANF status: the direct-certification flag goes to school meals from the programs
    the state certifies from; all else by consent."""
    grants: Grants = {}
    if (a.request.purpose is Purpose.ELIGIBILITY_VERIFICATION
            and a.recipient.runs(Program.SCHOOL_MEALS) and "direct_certification" in mine
            and _certifies_from(a)):
        grant(grants, {"direct_certification"}, LegalBasis.DIRECT_CERTIFICATION)
    return _by_consent(a, mine, grants, _PROGRAM_CONSENT)


def _certifies_from(a: Assessment) -> bool:
    """The request names a program the source agency runs and the state certifies from."""
    program = a.request.source_program
    if program is None:
        a.fails("direct_certification", "the request must name the program whose records the "
                "source agency discloses (direct certification keys on the program)", _DIRECT_CERT,
                _FLAG)
        return False
    if program not in a.source.programs:
        a.fails("direct_certification", f"the source agency does not administer {program.value}",
                _DIRECT_CERT, _FLAG)
        return False
    return _state_certifies_from(a, program)


def _state_certifies_from(a: Assessment, program: Program) -> bool:
    """Whether the program is on the state's list; the reason cites where the list comes from
    (the ledger entry that recorded it), so an auditor can trace the decision to the setting."""
    state = a.facts.state
    chosen = state.direct_certification_programs
    source = state.provenance(chosen == MANDATORY_DIRECT_CERTIFICATION, "SNAP only")
    if program not in chosen:
        listed = ", ".join(sorted(p.value for p in chosen)) or "none"
        a.fails("direct_certification", f"the state's direct-certification programs ({listed}) "
                f"do not include {program.value} ({source})", _DIRECT_CERT, _FLAG)
        return False
    a.holds("direct_certification", f"the state's direct-certification programs include "
            f"{program.value} ({source})", _DIRECT_CERT, _FLAG)
    return True


def justice_grants(a: Assessment, mine: frozenset[str]) -> Grants:
    """Juvenile-court records reach a school only where a state statute in the agreement allows."""
    grants: Grants = {}
    ag = a.agreement
    if ag is not None and LegalBasis.STATE_STATUTE in ag.legal_bases and ag.state_statute:
        grant(grants, mine, LegalBasis.STATE_STATUTE)
    else:
        a.fails("state_statute", "no agreement cites a state statute that lets juvenile-court "
                "records reach this recipient", _STATE_LAW, mine)
    return _by_consent(a, mine, grants, _STATE_LAW)


def _by_consent(a: Assessment, mine: frozenset[str], grants: Grants, citation: str) -> Grants:
    uncovered = mine - grants.keys()
    if uncovered:
        cover = consent_cover(a, uncovered, _ANY_FORM, adult_or_parent_signer)
        for code, consents in cover.covered.items():
            grant(grants, {code}, LegalBasis.CONSENT, consents[0].id)
        report_uncovered(a, cover, uncovered - grants.keys(), citation)
    return grants
