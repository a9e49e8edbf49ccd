"""Serializers that refuse fields they do not know: a typo (`rolee`) is a 400 naming it, not silently ignored.

Fields the serializer shows but does not write (`id`, `created_at`) are accepted and ignored, so a client can
send back what it read. Mixed in first: `class XSerializer(StrictFields, serializers.Serializer)`.
"""

from rest_framework import serializers


class StrictFields:
    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)
