"""`{% replica_note %}`: on a page whose figures were read from the read replica (portal/replica.py), how
far behind the primary they may be — said only when the replica is a second or more behind, since a
replica that keeps up shows what the primary shows."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from portal.replica import current_block, replica_lag_seconds

register = template.Library()

# Under this lag the note is left out.
NOTE_FROM_SECONDS = 1.0


@register.simple_tag
def replica_note():
    block = current_block()
    if block is None or not block.used:
        return ""
    lag = replica_lag_seconds()
    if lag is None or lag < NOTE_FROM_SECONDS:
        return ""
    return format_html('<p class="small text-muted mb-2" id="replica-lag"><i class="bi bi-clock-history"></i> {}</p>',
                       gettext("统计数据读自只读副本，比实时数据约晚 %(seconds)s 秒。") % {"seconds": round(lag)})
