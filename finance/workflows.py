"""The loan application's workflow, bound to its model (workflow.engine): the bank accepts and
decides, the enterprise or its station may withdraw while it is open."""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Workflow

from . import rules
from .choices import LoanStatus as S
from .models import LoanApplication, LoanEvent

LOAN = Workflow(
    key="loan", label=_("贷款申请"), graph=rules.GRAPH, model=LoanApplication, event_model=LoanEvent,
    event_parent="application", audit_prefix="loan",
    stale=_("该申请已被他人处理（现为“%(s)s”），请刷新后重试。"),
    waiting={S.SUBMITTED: _("受理银行"), S.ACCEPTED: _("受理银行")},
)
