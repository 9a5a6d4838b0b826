"""What a survey keeps of the case it asks about, by workflow: the enterprise, who handled the case
and a label to name it by. The cases are read by key through the app registry (the signal carries
only the workflow's key and the case's), as they stand when the case ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from portal.rules import yuan


@dataclass(frozen=True)
class Source:
    model: str
    url_name: str
    fields: Callable  # case -> the survey's fields


def _loan(case) -> dict:
    return {"enterprise_id": case.enterprise_id, "institution_id": case.bank_id, "station_id": case.station_id,
            "case_label": f"{case.bank} · ¥{yuan(case.amount)}"}


def _benefit(case) -> dict:
    return {"enterprise_id": case.enterprise_id, "station_id": case.station_id, "programme_id": case.item_id,
            "case_label": f"{case.reference or case.pk} · {case.item}"}


def _appeal(case) -> dict:
    return {"enterprise_id": case.enterprise_id, "station_id": case.station_id, "department_id": case.department_id,
            "case_label": f"{case.number} · {case.title}"}


SOURCES: dict[str, Source] = {
    "loan": Source("finance.LoanApplication", "finance:application_detail", _loan),
    "benefit": Source("talent.BenefitApplication", "talent:benefit_detail", _benefit),
    "appeal": Source("liaison.Appeal", "liaison:appeal_detail", _appeal),
}


def case_get(workflow: str, pk: int, *, lock: bool = False):
    """The case, or None when it is gone."""
    rows = apps.get_model(SOURCES[workflow].model).objects
    if lock:
        rows = rows.select_for_update()
    return rows.filter(pk=pk).first()


def survey_fields(workflow: str, case) -> dict:
    fields = SOURCES[workflow].fields(case)
    fields["case_label"] = str(fields["case_label"])[:120]
    return fields
