"""The policy's refusals (accord.policy.decision.Reason) in the viewer's language: each failed
condition worded by its code, the citation kept as the policy gave it. The policy's own text names
values (agreement ids, courses, records) in English; a code with no words here shows that text, never
a blank line. tests/web/test_policy_words.py reads every failure code in the policy's source and fails
on one that has no words. English here, Spanish in the `policy_words` catalog."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from accord.web.deps import language
from accord.web.i18n import DEFAULT, N_
from accord.web.render import translate

FAILURES = {
    # Who asks, what for, in what form (policy.gates).
    "unknown_party": N_("Someone in the request is not registered in Accord, or the request's facts are "
                        "not the requester's."),
    "unknown_field": N_("Some records asked for are not in Accord's catalog of data elements."),
    "not_held": N_("The agency asked does not keep some of the records asked for."),
    "no_fields": N_("No records were asked for."),
    "training": N_("The privacy training the requester needs is not current."),
    "role": N_("The requester's role may not receive records in this form."),
    "output": N_("Records for this purpose may not be given in this form."),
    "flags_only": N_("Eligibility checks release eligibility flags only, not the records themselves."),
    "default_deny": N_("Nothing asked for could be released."),
    # The data-sharing agreements (policy.agreement_gate, policy.studies).
    "agreement": N_("No data-sharing agreement in force between the agencies covers this request (one "
                    "may be missing, unsigned, ended or not cover this purpose)."),
    "outside_agreement": N_("Some records asked for are not among those the agreement (and the agreements "
                            "above it) grants."),
    # FERPA's exceptions and consent (policy.ferpa, policy.consent_match).
    "needs_consent": N_("No exception of the law allows this release: a written consent signed and dated "
                        "by the parent (or the eligible student), naming the receiving agency, these "
                        "records and this purpose, is needed."),
    "consent": N_("No valid consent on file covers these records."),
    "directory_opt_out": N_("The family opted out of sharing directory information."),
    "emergency_threat": N_("An emergency release needs the specific and significant threat stated in words."),
    "emergency_scope": N_("Some records asked for are not needed to deal with the emergency."),
    "juvenile_justice": N_("Not every condition of a release to the juvenile-justice system under state law "
                           "is met."),
    "state_statute": N_("No agreement cites a state statute that lets juvenile-court records reach this "
                        "recipient."),
    "child_welfare": N_("Only the caseworker of the child-welfare agency responsible for the child's "
                        "placement may receive records under this exception."),
    # Health and substance-use records (policy.health).
    "needs_hipaa_authorization": N_("Health information from a covered entity needs a HIPAA authorization "
                                    "with every required element."),
    "needs_part2_consent": N_("Substance-use treatment records need a 42 CFR Part 2 consent; a general "
                              "consent is not enough."),
    "part2_signer": N_("The substance-use treatment consent is not signed by everyone who must sign it."),
    # School meals (policy.nsla, policy.programs).
    "nsla_program": N_("The request must name the program it is for, and the requesting agency must run "
                       "that program."),
    "nsla_recipient": N_("The school-lunch law does not let this program receive meal eligibility without "
                         "the parent's consent."),
    "nsla_status_only": N_("This program may receive the meal eligibility status only, not the "
                           "application's details."),
    "nsla_medicaid": N_("Meal eligibility goes to Medicaid or CHIP only when the state elected it, an "
                        "agreement provides for it, families were told and the family did not opt out."),
    "direct_certification": N_("Direct certification needs the program named, run by the agency that "
                               "lists the child, and among the state's direct-certification programs."),
    # Research and evaluation (policy.research, policy.studies).
    "study_purpose": N_("The study's purpose is not one the studies exception allows, or not the one its "
                        "agreement names."),
    "audit_scope": N_("An audit or evaluation covers federal or state supported education programs only."),
    "research_record_level": N_("Outside the studies and audit or evaluation exceptions, research receives "
                                "only de-identified tables."),
    "purpose": N_("The agreement does not cover research or evaluation."),
    "study_basis": N_("The agreement rests on neither the studies exception nor the audit or evaluation "
                      "of an education program."),
    "study_sources": N_("The agreement does not name every contributing agency as a source."),
    "study_review": N_("Not every contributing agency has approved this version of the study."),
    "study_period": N_("The study is not in force today."),
    "study_destroyed": N_("The study's data was destroyed."),
    "study_analyst": N_("The person asking is not one of the study's named analysts."),
    "study_not_built": N_("The study's table is not built yet."),
}


def reason_lines(request: Request, reasons: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Each (code, policy's text, citation) as (words in the viewer's language, citation); a line that
    reads the same as one before it (two failed conditions of one code) is shown once. In English the
    policy's own text is shown: it names the agreement, course or records at fault, which a caseworker
    needs to act on; another language gets the code's words, which name none of them."""
    english = language(request) == DEFAULT
    lines = [(text if english or code not in FAILURES else translate(request, FAILURES[code]), citation)
             for code, text, citation in reasons]
    return list(dict.fromkeys(lines))


def code_words(request: Request, code: str) -> str:
    """One failure code's words (a count by code has no text of its own): the code itself if unknown."""
    return translate(request, FAILURES[code]) if code in FAILURES else code
