"""What a page says when what it was asked for is not found (the error page's 404), by the kind of
object the refusal names (its code) and the id someone typed or followed (its value). A workflow says
"not found" alike for what does not exist and for what the viewer may not see, and so do these words.
A not-found refusal with no code of its own is shown in the general words of `NOT_FOUND`.
English here, Spanish in the `refusal_words` catalog; web/refusal_words.py uses them."""

from __future__ import annotations

from accord.web.i18n import N_

NOT_FOUND = N_("Nothing by that name was found among what you may see.")

NOT_FOUND_REFUSALS = {
    "no_such_agreement": N_("No agreement %(agreement)s was found among those you may see."),
    "no_such_case_request": N_("There is no request #%(request)s among yours."),
    "no_such_consent": N_("No consent %(consent)s was found."),
    "no_such_course": N_("No course %(course)s is registered."),
    "no_such_crosscheck": N_("No cross-check under agreement %(agreement)s was found among your agency's."),
    "no_such_run": N_("No cross-check run %(run)s was found among your agency's."),
    "no_such_review": N_("No review %(review)s was found among your agency's."),
    "no_such_inspection_request": N_("No open request %(request)s to see a student's records was found among "
                                     "your school's."),
    "no_such_ledger_entry": N_("There is no ledger entry #%(entry)s."),
    "no_such_notice": N_("No open notice %(notice)s to your agency was found."),
    "no_such_study": N_("No study %(study)s was found among those you may see."),
    "no_such_user": N_("That person is not registered in Accord."),
    "not_your_child": N_("No such student was found among yours."),
    "not_your_childs_consent": N_("No such consent was found among your child's."),
    "student_not_registered": N_("No such student is registered."),
}
