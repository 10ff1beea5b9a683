"""decide() against a plain reference implementation of the consent path.

For a health-department caseworker asking for one child's education record, the law reduces to
set arithmetic: released = requested ∩ agreement ∩ (consented ∪ directory) when the requester
is trained and the agreement is in force; nothing otherwise.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import Purpose
from accord.policy import DisclosureRequest, Facts, StateLaw, decide
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
