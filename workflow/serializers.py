"""The due date of a case in its API representation: `due_on` (null when nobody is waiting) and
`overdue`. Mixed into a case's ModelSerializer, whose Meta.fields names both."""

from django.utils import timezone
from rest_framework import serializers


class DueFieldsMixin(serializers.Serializer):
    due_on = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, obj) -> bool:
        return obj.due_on is not None and obj.due_on < timezone.localdate()
