"""The words of the desks' refusals (web/refusal_words.py has the consent desk's, the state-law
settings', the case requests' and output review's): a cross-check run and its review queue, the files
it links, an analyst's question, the training desk, an agreement's steps, the family's consents, the
officer's notices, the form and role every page checks, and what only the administrator or an officer
can mend (a key, a linkage engine, a study's stored rules or audit history: general words, since the
viewer cannot act on the detail, which the command line and the log keep). Each shows only the values
its code carries: ids, dates and codes someone typed or chose. English here, Spanish in the
`refusal_words` catalog."""

from __future__ import annotations

from accord.web.i18n import N_

DESK_REFUSALS = {
    # A cross-check and its run (accord.workflows.crosscheck_*, eligibility, submissions).
    "no_crosscheck_defined": N_("No cross-check is defined under agreement %(agreement)s yet: the school's "
                                "records officer defines it."),
    "agreement_not_in_force": N_("Agreement %(agreement)s is not in force today: no cross-check runs under "
                                 "it."),
    "may_not_run_crosscheck": N_("Only a records officer or eligibility worker of agency %(school)s runs "
                                 "this cross-check."),
    "no_submission_yet": N_("No list has come yet from %(agencies)s for the cross-check under agreement "
                            "%(agreement)s: each agency's node sends its list before a run."),
    "not_the_agencys_officer": N_("Only a records officer of agency %(agency)s decides this."),
    "review_decided_already": N_("Review %(review)s was decided already."),
    "crosscheck_not_well_defined": N_("The cross-check under agreement %(agreement)s is not well defined: "
                                      "its records officer must define it again."),
    "copy_not_csv": N_("A list's copy cannot be read as a CSV file: its agency must send it again."),
    "copy_empty": N_("A list's copy is empty: its agency must send it again."),
    # Encoded files (accord.linkage.hub.encoded, link).
    "encoding_version_unsupported": N_("The file was encoded by a version of the node this hub does not "
                                       "read: encode it again with the current node."),
    "no_record_id_column": N_("The encoded file has no record_id column: encode it again "
                              "(`accord node encode`)."),
    "encoded_unevenly": N_("The encoded file's fields were not encoded alike: encode it again "
                           "(`accord node encode`)."),
    "chance_agreement_malformed": N_("The encoded file's chance-agreement entry cannot be read: encode it "
                                     "again (`accord node encode`)."),
    "encoded_for_two_agreements": N_("The lists were encoded for two different agreements, and such "
                                     "encodings never compare: each must be encoded for this agreement."),
    "encoded_under_two_keys": N_("The lists were encoded under different keys: the agencies must encode them "
                                 "under the agreement's shared key and send them again."),
    "encoded_with_two_settings": N_("The lists were encoded with different settings: the agencies must "
                                    "encode them alike and send them again."),
    "nothing_to_link_on": N_("No identity field is carried by every list in enough records to link on (a "
                             "birth date, a name with a birth date, an address or an identifier)."),
    # An analyst's question (accord.workflows.study_spec, study_twin, study_facts).
    "not_a_query": N_("A question names measures, the dimensions to group by and filters, and nothing else."),
    "measure_form": N_("The measure %(measure)s is not written as count, sum:COLUMN or mean:COLUMN."),
    "not_a_study_measure": N_("%(column)s is not among the study's measures."),
    "no_measure": N_("Choose at least one measure."),
    "not_in_catalog": N_("The dimension %(dimension)s is not in the study's catalog."),
    "filter_malformed": N_("A filter needs a dimension, an operator (eq, neq, in, not_in or between) and a "
                           "value or values."),
    "filter_value_needed": N_("The filter on %(dimension)s needs a value, or values as a list."),
    "filter_value_count": N_("The filter on %(dimension)s with %(operator)s takes %(wanted)s value(s)."),
    "twin_before_build": N_("Study %(study)s is not built yet: its synthetic twin takes its values from the "
                            "built table."),
    "study_not_well_defined": N_("Study %(study)s is not well defined: its records officers must register it "
                                 "again."),
    "study_not_permitted": N_("The study's agreement and rules do not allow this question."),
    "study_file_busy": N_("Another program held the study's data for more than %(seconds)s seconds; nothing "
                          "was read or written. Try again in a moment."),
    # The privacy course (accord.workflows.training_quiz).
    "not_a_trainee": N_("The privacy course is for the staff of the agencies."),
    # An agreement's steps (accord.domain.agreement_rules, accord.workflows.governance, agreement_desk).
    "only_a_draft_is_signed": N_("Agreement %(agreement)s version %(version)s is no longer a draft: only a "
                                 "draft can be signed."),
    "only_a_draft_is_activated": N_("Agreement %(agreement)s is not a draft: only a draft can be made "
                                    "active."),
    "only_active_is_terminated": N_("Agreement %(agreement)s is not active: only an active agreement can be "
                                    "terminated."),
    "agreement_not_ready": N_("Agreement %(agreement)s cannot become active yet: an element it needs is "
                              "missing, or a party has not signed."),
    "not_a_party": N_("Agency %(agency)s is not a party to agreement %(agreement)s."),
    "drafts_own_agreements_only": N_("A records officer drafts only agreements their own agency is a party "
                                     "to."),
    # Consents, records asked for, notices, inspections, the state-law settings.
    "consent_not_valid": N_("Consent %(consent)s is not valid: something the law requires of it is missing "
                            "or wrong (34 CFR 99.30)."),
    "consent_has_defects": N_("The consent was not recorded: something the law requires of it is missing or "
                              "wrong (34 CFR 99.30)."),
    "consent_revoked_already": N_("Consent %(consent)s was revoked already."),
    "unknown_elements": N_("Some records asked for are not in Accord's catalog of data elements: "
                           "%(elements)s."),
    "notice_acknowledged_already": N_("Notice %(notice)s was acknowledged already."),
    "officer_answers_inspections": N_("Only a records officer answers requests to see records."),
    "officer_sets_state_law": N_("Only a records officer may change the state-law settings."),
    "contradicts_the_store": N_("Nothing was saved: it contradicts what is on file (it exists already, or "
                                "refers to something not registered)."),
    # Every page's own checks (accord.web.deps).
    "page_for_another_role": N_("This page is for another role."),
    "form_out_of_date": N_("The form is out of date or did not come from Accord's page: open it again."),
    # What only the administrator or the study's officers can mend (a class's code for all its refusals).
    "content_key_unusable": N_("The key that opens the stored records cannot be used: the administrator must "
                               "check it."),
    "signing_key_unusable": N_("The ledger's signing key cannot be read: the administrator must check it."),
    "linkage_backend_unavailable": N_("The hub's linkage engine cannot start here: the administrator must "
                                      "set it up."),
    "rule_set_invalid": N_("The study's disclosure rules cannot be used as they are written: its records "
                           "officers must correct them."),
    "history_unreadable": N_("The study's table does not match its audit history: no question is answered "
                             "until its records officers build it again."),
}
