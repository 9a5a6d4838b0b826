"""`{% escalations case "loan" %}`: the escalations of a case (超期督办), newest first, on its detail page:
when, how late, to whom. Nothing when the case was never escalated."""

from django import template

from ..escalation import escalations_of

register = template.Library()


@register.inclusion_tag("workflow/_escalations.html")
def escalations(case, workflow_key):
    return {"escalations": list(escalations_of(workflow_key, case.pk)), "case": case}
