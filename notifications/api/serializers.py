from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(source="is_read", read_only=True, help_text="是否已读")

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "workflow", "case_pk", "created_at", "read", "read_at")
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")
