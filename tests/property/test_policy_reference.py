"""decide() against plain reference implementations of the consent path and of direct
certification.

For a health-department caseworker asking for one child's education record, the law reduces to
set arithmetic: released = requested ∩ agreement ∩ (consented ∪ directory) when the requester
is trained and the agreement is in force; nothing otherwise.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.agencies import Program
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import OutputForm, Purpose
from accord.policy import DisclosureRequest, Facts, StateLaw, decide
from accord.policy.request import DIRECT_CERTIFICATION_SOURCES, MANDATORY_DIRECT_CERTIFICATION
from tests.spec import world

FERPA_FIELDS = sorted(c for c, e in CATALOG.items()
                      if e.sensitivity in (Sensitivity.DIRECTORY, Sensitivity.EDUCATION_RECORD))
DIRECTORY = {c for c in FERPA_FIELDS if CATALOG[c].sensitivity is Sensitivity.DIRECTORY}
AGREEMENT = world.AGREEMENTS["dsa-health"]

consent_spec = st.fixed_dictionaries({
    "fields": st.sets(st.sampled_from(FERPA_FIELDS), min_size=1),
    "recipient": st.sampled_from(["health", "snap"]),
    "purpose": st.sampled_from([Purpose.SUPPORTIVE_SERVICES, Purpose.RESEARCH_EVALUATION]),
    "revoked_days_ago": st.none() | st.integers(-3, 3),
    "ends_in_days": st.none() | st.integers(-3, 300),
})


def reference(requested, consents, trained, agreement_ok, opted_out):
    if not (trained and agreement_ok):
        return frozenset()
    consented = set()
    for c in consents:
        revoked = c["revoked_days_ago"] is not None and c["revoked_days_ago"] >= 0
        ended = c["ends_in_days"] is not None and c["ends_in_days"] < 0
        if (c["recipient"] == "health" and c["purpose"] is Purpose.SUPPORTIVE_SERVICES
                and not revoked and not ended):
            consented |= c["fields"]
    directory = set() if opted_out else DIRECTORY
    return frozenset(requested & AGREEMENT.data_elements & (consented | directory))


@settings(max_examples=300, deadline=None)
@given(requested=st.sets(st.sampled_from(FERPA_FIELDS), min_size=1),
       specs=st.lists(consent_spec, max_size=4), trained=st.booleans(),
       agreement_ok=st.booleans(), opted_out=st.booleans())
def test_consent_path_matches_reference(requested, specs, trained, agreement_ok, opted_out):
    base = world.CONSENTS["ferpa-health"]
    consents = tuple(
        replace(base, id=f"c{i}", data_elements=frozenset(s["fields"]),
                recipient_agency_ids=frozenset({s["recipient"]}), purposes=frozenset({s["purpose"]}),
                revoked_at=None if s["revoked_days_ago"] is None
                else world.AS_OF - timedelta(days=s["revoked_days_ago"]),
                ends_on=None if s["ends_in_days"] is None
                else world.TODAY + timedelta(days=s["ends_in_days"]))
        for i, s in enumerate(specs))
    user = world.USERS["cw.health"]
    agreements = dict(world.AGREEMENTS)
    if not agreement_ok:
        agreements["dsa-health"] = replace(AGREEMENT, ends_on=world.YESTERDAY)
    student = replace(world.STUDENTS["stu-minor"], directory_opt_out=opted_out)
    completions = world.COMPLETIONS if trained else ()
    request = DisclosureRequest(user.id, student.id, "lea", Purpose.SUPPORTIVE_SERVICES,
                                frozenset(requested), world.AS_OF)
    facts = Facts(user, world.AGENCIES["health"], world.AGENCIES["lea"], student,
                  tuple(agreements.values()), consents, completions, StateLaw())
    decision = decide(request, facts)
    expected = reference(set(requested), specs, trained, agreement_ok, opted_out)
    assert decision.released == expected
    assert decision.permitted == bool(expected)
    if not decision.permitted:
        assert decision.failures, "a denial always says why"
    else:
        # Every field held back from a permitted release is named in a failed reason.
        assert frozenset(requested) - decision.released <= decision.withheld


# Direct certification (issue 17): the flag goes to school meals exactly when the request names a
# program the source agency runs and the state's recorded list includes it; nothing else matters.
CERTIFYING_SOURCES = ["snap", "dss", "medicaid"]  # each has an agreement with the school
OPTIONAL_LISTS = sorted(DIRECT_CERTIFICATION_SOURCES - MANDATORY_DIRECT_CERTIFICATION)


def certification_reference(source_programs, named, chosen):
    return named is not None and named in source_programs and named in chosen


@settings(max_examples=200, deadline=None)
@given(source=st.sampled_from(CERTIFYING_SOURCES),
       named=st.none() | st.sampled_from(sorted(DIRECT_CERTIFICATION_SOURCES | {Program.CHIP})),
       optional=st.sets(st.sampled_from(OPTIONAL_LISTS)),
       recorded_in=st.none() | st.integers(1, 10_000))
def test_direct_certification_matches_reference(source, named, optional, recorded_in):
    chosen = MANDATORY_DIRECT_CERTIFICATION | frozenset(optional)
    state = StateLaw(direct_certification_programs=chosen, recorded_in=recorded_in)
    user = world.USERS["ew.lea"]
    request = DisclosureRequest(user.id, "stu-minor", source, Purpose.ELIGIBILITY_VERIFICATION,
                                frozenset({"direct_certification"}), world.AS_OF,
                                OutputForm.ELIGIBILITY_FLAG, source_program=named)
    facts = Facts(user, world.AGENCIES["lea"], world.AGENCIES[source], world.STUDENTS["stu-minor"],
                  tuple(world.AGREEMENTS.values()), (), world.COMPLETIONS, state)
    decision = decide(request, facts)
    expected = certification_reference(world.AGENCIES[source].programs, named, chosen)
    assert decision.permitted == expected
    assert decision.released == (frozenset({"direct_certification"}) if expected else frozenset())
    about_list = [r.text for r in decision.reasons if r.code == "direct_certification"
                  and "direct-certification programs" in r.text]
    # The state's list is consulted once the named program is the source's, and cited as recorded.
    assert len(about_list) == (1 if named in world.AGENCIES[source].programs else 0)
    cited = (f"ledger entry #{recorded_in}" if recorded_in is not None
             else "default: SNAP only, never recorded" if chosen == MANDATORY_DIRECT_CERTIFICATION
             else "not recorded in the ledger")  # a list set outside the ledger is no default
    assert all(cited in text for text in about_list)
