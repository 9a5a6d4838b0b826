"""`{% due case %}`: a case's due date and the working days left, red when overdue, amber within two
working days; `{% due case compact=True %}` for a list's 期限 column. While the case is back with the
applicant, the paused clock and the working days it keeps; nothing when nobody is waiting."""

from django import template
from django.utils import timezone

from ..calendar import WorkingCalendar
from ..limits import SOON_DAYS

register = template.Library()


@register.inclusion_tag("workflow/_due.html", takes_context=True)
def due(context, case, compact=False):
    due_on = getattr(case, "due_on", None)
    if due_on is None:
        # Back with the applicant: the step's clock is paused, with what it had left.
        paused = list((getattr(case, "clock_days_left", None) or {}).values())
        left = min(paused) if paused else None
        return {"due_on": None, "compact": compact, "paused": left, "paused_late": -left if paused else None}
    # One calendar per page: a list's rows read the overrides of a year once.
    calendar = context.render_context.setdefault("workflow_calendar", WorkingCalendar())
    left = calendar.working_days_between(timezone.localdate(), due_on)
    tone = "danger" if left < 0 else "warning" if left <= SOON_DAYS else "success"
    return {"due_on": due_on, "left": left, "late": -left, "tone": tone, "compact": compact}
