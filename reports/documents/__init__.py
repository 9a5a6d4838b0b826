"""The kinds of document the portal makes: the rating and credit certificates (certificates), the list
exports (exports) and the leaders' work report (work_report). Importing this package registers them
(reports.kinds); the certificate batch, made by many tasks at once, registers in reports.batches."""

from ..kinds import KINDS, DocumentKind, Prepared, Rendered, document_language, kind_of, register  # noqa: F401
from . import certificates, exports, work_report  # noqa: F401
