"""The plain-language history's vocabulary in Spanish: the same tables as plain_words (same keys,
tested), in the words of the Spanish family pages ("permiso" for a consent, "anular" for revoking,
"usted"). Each record's label carries its own article ("la asistencia", "las notas"), so no sentence
needs to know a noun's gender. Agency names stay as registered: they are names. Pure, no framework."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from accord.domain.purposes import Purpose

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")
LANGUAGES = {"en": "inglés", "es": "español", "zh": "chino", "vi": "vietnamita", "ar": "árabe",
             "ko": "coreano", "tl": "tagalo", "ru": "ruso", "fr": "francés", "ht": "criollo haitiano",
             "pt": "portugués", "so": "somalí", "hmn": "hmong"}
LABELS: dict[str, str] = {
    "grade_level": "el grado escolar",
    "enrollment_status": "la escuela donde estudia",
    "enrolled_in_district": "el dato de si estudia en el distrito (sí o no)",
    "activities_awards": "los clubes, deportes y premios",
    "attendance": "la asistencia",
    "grades": "las notas",
    "enrollment_history": "las escuelas de antes",
    "assessments": "las notas de las pruebas del estado",
    "discipline": "las faltas de conducta",
    "family_background": "los datos de la familia",
    "iep_504_status": "el plan de ayuda especial (IEP o 504)",
    "english_learner": "el dato de si aprende inglés",
    "homeless_status": "el dato de si la familia no tiene casa fija",
    "emergency_contacts": "los contactos para emergencias",
    "school_health_screenings": "los controles de salud de la escuela",
    "school_immunizations": "las vacunas del registro escolar",
    "meal_eligibility_status": "el dato de si recibe comidas escolares gratis o baratas",
    "meal_application_details": "la solicitud de comidas escolares (tamaño de la familia y sueldo)",
    "clinical_conditions": "los problemas de salud que halló un médico",
    "immunization_registry": "las vacunas del registro de salud del estado",
    "medicaid_enrollment": "el seguro de salud Medicaid o CHIP",
    "sud_treatment": "los datos de tratamiento por drogas o alcohol",
    "snap_participation": "la ayuda para comida (SNAP)",
    "tanf_participation": "la ayuda en dinero para familias (TANF)",
    "direct_certification": "las comidas gratis por otro programa",
    "juvenile_justice_contact": "los casos en el tribunal de menores",
}
PURPOSES: dict[str, str] = {
    Purpose.SUPPORTIVE_SERVICES: "para planear servicios",
    Purpose.ELIGIBILITY_VERIFICATION: "para ver si la familia puede recibir ayudas",
    Purpose.RESEARCH_EVALUATION: "para estudios (solo tablas anónimas)",
    Purpose.HEALTH_SAFETY_EMERGENCY: "en una emergencia de salud o de seguridad",
    Purpose.JUVENILE_JUSTICE: "para servicios de justicia de menores",
}
# Why something was shared without a permiso: each a sentence of its own (Spanish reads more
# easily in short sentences than in the English's chain of commas).
BASES: dict[str, str] = {
    "directory_information": "Es un dato de directorio, que se puede dar si usted no dice que no",
    "health_safety_emergency": "La ley lo permite en una emergencia de salud o de seguridad",
    "hipaa_serious_threat": "La ley de privacidad de la salud lo permite para evitar un peligro grave",
    "part2_medical_emergency": "La ley lo permite en una emergencia médica",
    "juvenile_justice": "Una ley del estado lo permite",
    "child_welfare": "La ley lo permite a la agencia a cargo de {child} en un hogar de acogida",
    "studies": "La ley lo permite para estudios aprobados con un acuerdo por escrito",
    "audit_evaluation": "La ley lo permite para revisar programas escolares",
    "de_identified": "Son datos anónimos: no dicen quién es {child}",
    "nsla_disclosure": "La ley de comidas escolares lo permite para este programa",
    "direct_certification": "La ley de comidas escolares lo permite para dar comidas gratis",
    "state_statute": "Una ley del estado lo permite",
}
BECAUSE: dict[str, str] = {
    "unknown_party": "quien lo pidió no está registrado",
    "unknown_field": "lo que se pidió no es un dato que guarde la escuela",
    "not_held": "la agencia a la que se pidió no guarda ese dato",
    "no_fields": "no se pidió nada en concreto",
    "training": "quien lo pidió no había hecho el curso de privacidad",
    "role": "el puesto de quien lo pidió no le deja ver esto",
    "output": "se pidió en una forma que no se permite para ese fin",
    "flags_only": "para ver si tiene derecho a una ayuda solo se puede dar un sí o un no",
    "agreement": "ningún acuerdo para compartir datos lo cubría",
    "outside_agreement": "el acuerdo para compartir datos no incluye esto",
    "state_statute": "ninguna ley del estado deja dar datos del tribunal de menores a quien lo pidió",
    "study_purpose": "la ley no permite el fin del estudio",
    "audit_scope": "la revisión no cubre este tipo de programa",
    "research_record_level": "a quien hace estudios solo se le pueden dar tablas anónimas",
    "nsla_program": "la agencia que lo pidió no tiene un programa que pueda recibir esto",
    "nsla_status_only": "este programa solo puede saber si tiene derecho a las comidas",
    "nsla_medicaid": "no se cumplían las reglas para darlo a Medicaid o CHIP",
    "direct_certification": "no se cumplían las reglas para dar comidas gratis por otro programa",
    "directory_opt_out": "se dijo que no a dar estos datos de directorio",
    "emergency_threat": "no se dijo cuál era el peligro para la salud o la seguridad",
    "emergency_scope": "no hacía falta para atender la emergencia",
    "juvenile_justice": "no se cumplían las reglas para darlo a la justicia de menores",
    "child_welfare": "la ley solo lo permite al trabajador social de la agencia a cargo de {child} "
                     "en un hogar de acogida",
    "part2_signer": "el permiso no lo firmó la persona que pide la ley",
    "default_deny": "no se podía dar nada de lo que se pidió",
}
NEEDS_CONSENT: dict[str, str] = {
    "needs_consent": "la ley solo lo permite con su permiso por escrito",
    "nsla_recipient": "sin su permiso, la ley no deja darlo a quien lo pidió",
    "needs_hipaa_authorization": "los datos de salud solo se pueden dar con su permiso de salud firmado",
    "needs_part2_consent": "los datos de tratamiento por drogas o alcohol solo se pueden dar con un "
                           "permiso especial por escrito",
    "consent": "la ley solo lo permite con su permiso por escrito",
}
# Matched by the same words of the policy engine's text as the English (plain_words.CONSENT_PROBLEMS).
CONSENT_PROBLEMS = (
    (" was revoked on ", "el permiso que había estaba anulado"),
    (" expired on ", "el permiso que había ya no valía"),
    (" starts only on ", "el permiso que había aún no empezaba"),
    ("names other recipients", "el permiso que había nombra a otros"),
    ("does not cover the purpose", "el permiso que había es para otro fin"),
    ("is defective", "al permiso que había le faltan datos"),
    ("is not signed and dated", "el permiso que había no tiene firma y fecha"),
    (" form, not a ", "el permiso que había no es el formulario correcto"),
)
FORMS = {"hipaa_authorization": "permiso de datos de salud",
         "part2": "permiso para datos de tratamiento por drogas o alcohol",
         "nsla": "permiso de comidas escolares"}
ROLES = {"records_officer": "cualquier encargado de registros escolares",
         "caseworker": "cualquier trabajador social", "eligibility_worker": "cualquier empleado de ayudas",
         "analyst": "cualquier investigador", "parent": "cualquier padre o madre",
         "eligible_student": "cualquier estudiante", "administrator": "cualquier administrador"}
# Entries no sentence of their own is written for (plain_language._other): what each one is.
KINDS = {"study_release": "una entrega de datos de un estudio", "eligibility_run": "una revisión de ayudas",
         "case_unmatched": "un pedido sin coincidencia", "records_loaded": "una carga de datos",
         "linkage_run": "un cruce de datos entre agencias", "content_key_rotated": "un cambio de clave",
         "state_law_changed": "un cambio de una ley del estado", "study_registered": "un estudio nuevo",
         "study_approved": "la aprobación de un estudio", "study_built": "la tabla de un estudio",
         "study_destroyed": "el borrado de los datos de un estudio",
         "study_review": "la revisión de un estudio"}


def long_date(d: date) -> str:
    """"3 de marzo de 2026" (spelled out, independent of the machine's locale)."""
    return f"{d.day} de {MONTHS[d.month - 1]} de {d.year}"


def _and(last: str) -> str:
    # "y" becomes "e" before an "i" sound ("y la asistencia", but "e Iowa"), not before "hie"/"hia".
    low = last.lower()
    return "e" if low.startswith(("i", "hi")) and not low.startswith(("hie", "hia")) else "y"


def listed(items: Sequence[str]) -> str:
    """"a", "a y b", "a, b y c"; with a comma before the last "y" when an item has its own "y"."""
    if len(items) <= 1:
        return "".join(items)
    serial = "," if any(" y " in i for i in items) else ""
    return ", ".join(items[:-1]) + serial + f" {_and(items[-1])} " + items[-1]


def element_label(code: str) -> str:
    return LABELS.get(code, "algo que Accord no reconoce")


def role(code: str) -> str:
    return ROLES.get(code, f"cualquier {code.replace('_', ' ')}")
