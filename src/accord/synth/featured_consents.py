"""The consents of the featured students: fixed, so the demo's outcomes never depend on luck."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from accord.domain.consents import Consent, ConsentForm, ConsentMethod, SignerRole
from accord.synth.consents import FERPA_TO_HEALTH, Signing, make_consent
from accord.synth.students import Featured


def featured_consents(f: Featured, as_of: date) -> list[Consent]:
    """Consents that set up each featured student's situation."""
    signed = as_of - timedelta(days=100)
    year = signed + timedelta(days=365)
    paper_es = Signing(signed, "es", ConsentMethod.PAPER_SCAN, False, year)
    esign_vi = Signing(signed, "vi", ConsentMethod.ELECTRONIC_SIGNATURE, True, year)
    esign_so = Signing(signed, "so", ConsentMethod.ELECTRONIC_SIGNATURE, True, year)
    revoked = Signing(signed, "zh", ConsentMethod.PAPER_SCAN, False, year,
                      revoked_at=datetime.combine(as_of - timedelta(days=7), time(14, 0)))
    health = frozenset({"health"})
    school = frozenset({"lea"})
    sud = frozenset({"sud_treatment"})
    return [
        make_consent("ferpa-featured-consented", f.consented, paper_es, FERPA_TO_HEALTH,
                     frozenset({"health", "workforce"}), enrollment=True),
        make_consent("ferpa-featured-just18", f.just_18, esign_vi, FERPA_TO_HEALTH, health),
        make_consent("ferpa-featured-revoked", f.revoked, revoked, FERPA_TO_HEALTH, health,
                     enrollment=True),
        make_consent("ferpa-featured-dual", f.dual, paper_es, FERPA_TO_HEALTH, health),
        # A general FERPA consent that happens to list substance-use records: not enough.
        make_consent("ferpa-featured-sud", f.sud_general, esign_so, sud | {"attendance"}, school,
                     discloser="clinic"),
        make_consent("part2-featured-minor", f.sud_part2, esign_so, sud, school,
                     ConsentForm.PART2, SignerRole.STUDENT, discloser="clinic"),
        make_consent("part2-featured-parent", f.sud_part2, paper_es, sud, school,
                     ConsentForm.PART2, SignerRole.PARENT, discloser="clinic"),
        make_consent("hipaa-featured", f.hipaa, esign_vi, frozenset({"immunization_registry"}),
                     school, ConsentForm.HIPAA_AUTHORIZATION, discloser="health"),
        make_consent("nsla-featured-medicaid", f.opt_out, paper_es,
                     frozenset({"meal_eligibility_status"}), frozenset({"dss"}), ConsentForm.NSLA),
    ]
