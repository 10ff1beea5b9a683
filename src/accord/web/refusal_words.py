"""The workflows' refusals in the viewer's language, worded by the code a refusal carries
(`AccordError.coded`, a consent's `Defect`): a consent that cannot be recorded, state-law settings the
statutes do not allow together, a document field of the wrong form, a case request that cannot be made;
the desks' refusals (web/refusal_words_desks.py) and what is not found (web/not_found_words.py).
The values a wording shows are ids, dates and codes someone typed or chose (`values`); a refusal with
no code, or a code with no words here, shows the workflow's English message (one not found: general
words, in a language other than English). tests/web/test_refusal_words.py reads every code the source
gives a refusal and fails on one without words; test_refusal_reach.py, every refusal a page can show
that has no code. English here, Spanish in the `refusal_words` catalog."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request

from accord.errors import AccordError
from accord.web.deps import language
from accord.web.i18n import DEFAULT, N_
from accord.web.not_found_words import NOT_FOUND, NOT_FOUND_REFUSALS
from accord.web.refusal_words_desks import DESK_REFUSALS
from accord.web.render import translate

REFUSALS = {
    # A consent to record (accord.domain.consents' defects; the desk's own checks).
    "no_records": N_("It names no records to be disclosed (34 CFR 99.30(b)(1))."),
    "no_purpose": N_("It states no purpose (34 CFR 99.30(b)(2))."),
    "no_recipient": N_("It names no recipient (34 CFR 99.30(b)(3))."),
    "not_signed": N_("It is not signed and dated (34 CFR 99.30(a))."),
    "no_language": N_("The language of the form is not recorded."),
    "no_evidence": N_("There is no reference to the signed form or the electronic signature."),
    "signer_not_authenticated": N_("The electronic signature does not identify and authenticate the "
                                   "signer (34 CFR 99.30(d))."),
    "ends_before_start": N_("It ends before it starts."),
    "statement_missing": N_("The %(form)s form lacks the %(statement)s statement (%(citation)s)."),
    "parent_after_rights_passed": N_("A parent signed it on %(signed_on)s, when FERPA rights had passed to "
                                     "the student, who must sign it (34 CFR 99.5(a))."),
    "parent_for_an_adult": N_("A parent signed it on %(signed_on)s, when the student was an adult, who must "
                              "sign it (45 CFR 164.502(g); 42 CFR 2.31)."),
    "unknown_student": N_("No such student is registered at your school."),
    "consent_already_recorded": N_("Consent %(id)s is already recorded."),
    "agreement_version_exists": N_("Agreement %(id)s version %(version)s exists already (amend it instead)."),
    # The state-law settings (accord.workflows.state_law).
    "notice_day_needed": N_("The Medicaid and CHIP election needs the day households were told "
                            "(42 USC 1758(b)(6)(D)): they may opt out only once told."),
    "not_a_certifying_program": N_("%(programs)s is not a program schools certify meals from (allowed: "
                                   "%(allowed)s)."),
    "snap_is_mandatory": N_("The programs must include SNAP, whose direct certification is mandatory "
                            "(42 USC 1758(b)(4))."),
    # A document's field of the wrong form (accord.intake.json_document).
    "not_an_object": N_("The document is not a JSON object."),
    "required": N_("The field %(field)s is required."),
    "not_text": N_("The field %(field)s must be text."),
    "not_true_or_false": N_("The field %(field)s must be true or false."),
    "not_a_whole_number": N_("The field %(field)s must be a whole number."),
    "not_a_date": N_("The field %(field)s must be a date like 2026-09-01."),
    "not_a_list": N_("The field %(field)s must be a list."),
    "not_among": N_("The field %(field)s must be among: %(allowed)s."),
    # A case request that cannot be made (accord.workflows.case_release, the encoded file).
    "encoded_for_no_agreement": N_("The child's description was encoded for no agreement: encode it for the "
                                   "agreement between the two agencies."),
    "agreement_does_not_bind": N_("The child's description was encoded for agreement %(agreement)s, which "
                                  "does not bind agencies %(requester_agency)s and %(source)s."),
    "no_roster": N_("Agency %(agency)s has no roster at the hub for agreement %(agreement)s yet."),
    "no_lookup_model": N_("There is no lookup model for requests from agency %(agency)s under agreement "
                          "%(agreement)s: its roster must be loaded first."),
    "one_child_per_file": N_("The child's description must be one encoded record."),
    "not_parquet": N_("The file is not a readable Parquet file."),
    "not_encoded": N_("The file was not written by your agency's node (`accord node encode`)."),
    # Output review of a study's release (accord.workflows.study_review).
    "not_a_reviewer": N_("Only a records officer of an agency contributing to study %(study)s reviews its "
                         "releases."),
    "author_cannot_review": N_("You asked release %(release)s: its author cannot review it."),
    "no_such_release": N_("Study %(study)s has no release %(release)s."),
    "not_waiting_for_review": N_("Release %(release)s is not waiting for review."),
    "comment_needed": N_("Give a comment with the decision (what was checked, and why)."),
    "already_decided": N_("You already decided release %(release)s: a second reviewer is needed."),
    "not_a_named_analyst": N_("You are not one of study %(study)s's named analysts."),
    # A study's question (accord.workflows.study_spec, study_dp).
    "too_many_cells": N_("The table would list %(cells)s cells, at most %(most)s: group by fewer "
                         "dimensions, or filter their values."),
    "no_public_values": N_("Under differential privacy a table is grouped only by dimensions with public "
                           "values; %(dimensions)s has none."),
    "over_budget": N_("This table would spend %(spent)s of the privacy budget, more than is left: refused, "
                      "nothing charged."),
    "same_question_waits": N_("The same question waits for review as release %(release)s."),
}
REFUSALS |= DESK_REFUSALS | NOT_FOUND_REFUSALS


def worded(request: Request, code: str, values: Mapping[str, str], message: str) -> str:
    """The refusal `code` in the viewer's words with its `values`; `message` when it has none."""
    words = REFUSALS.get(code)
    return translate(request, words) % dict(values) if words else message


def refused_for(request: Request, err: AccordError) -> str:
    """A workflow's refusal as the viewer reads it; one not found (the error page's 404) with no words of
    its own reads in general words in a language other than English, where its English message would
    name what was not found in a language the viewer did not choose."""
    if isinstance(err, LookupError) and err.code not in REFUSALS and language(request) != DEFAULT:
        return translate(request, NOT_FOUND)
    return worded(request, err.code, err.values, str(err))
