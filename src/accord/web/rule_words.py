"""The agreement rules' missing elements (accord.domain.agreement_rules) in the viewer's language. Each
fixed text is marked here for the catalogs, so the editor shows it translated; a text with a value in
it (a party's signature, unknown element codes, a parent agreement's id) is shown as the rule wrote it.
`tests/web/test_rule_words.py` fails when a fixed text of the rules is not here."""

from __future__ import annotations

from accord.web.i18n import N_

RULE_TEXTS = frozenset({
    N_("the disclosing and the receiving parties"),
    N_("the purpose of the disclosure"),
    N_("the legal basis"),
    N_("the data elements to be disclosed"),
    N_("the permitted recipient roles"),
    N_("a description of the permitted uses"),
    N_("effective and end dates"),
    N_("an end date after the effective date"),
    N_("the deadline for destroying the data"),
    N_("how the data will be destroyed"),
    N_("the safeguards against redisclosure and misuse"),
    N_("the study's purpose, scope and duration"),
    N_("the study's scope"),
    N_("use of the data only for the study"),
    N_("conduct that identifies no one outside the study team"),
    N_("the education program being audited or evaluated"),
    N_("the state statute that authorizes the disclosure"),
    N_("the recipient's written certification of non-redisclosure"),
})
