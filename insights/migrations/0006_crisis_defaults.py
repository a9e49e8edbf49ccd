"""Data: every existing community gets the crisis watch's default rules and the last 29 days of hourly rollups
(the baseline), so the watch works from its first minute. New communities get both from `crisis_watch_ensure`."""

import json

from django.db import migrations

# A copy of insights.services.crisis.DEFAULT_RULES as of this migration (migrations never import services).
DEFAULT_RULES = [
    ("sentiment", 60, {"min_count": 10, "z": 3, "min_ratio": 2.0, "share_delta": 0.25}, []),
    ("sentiment", 1440, {"min_count": 30, "z": 4, "min_ratio": 1.75, "share_delta": 0.2}, []),
    ("volume", 60, {"min_count": 50, "z": 4, "min_ratio": 3.0}, []),
    ("keyword", 60, {"threshold": 5}, ["outage", "refund", "scam", "hacked", "lawsuit", "data breach"]),
]

HOURS_SQL = """
INSERT INTO insights_hourstat (community_id, hour, channel, activities, scored, negative)
SELECT community_id, date_trunc('hour', occurred_at), channel, count(*), count(sentiment),
       count(*) FILTER (WHERE sentiment IS NOT NULL AND sentiment_label = 'negative')
FROM community_activity WHERE community_id = %s AND occurred_at >= now() - interval '29 days'
GROUP BY 1, 2, 3
ON CONFLICT (community_id, hour, channel) DO NOTHING
"""


def forwards(apps, schema_editor):
    Community = apps.get_model("community", "Community")
    connection = schema_editor.connection
    for community_id in Community.objects.using(connection.alias).values_list("pk", flat=True):
        with connection.cursor() as cursor:
            # The tables force row-level security, owner included: write under each community's scope.
            cursor.execute("SELECT set_config('app.community_id', %s, true)", [str(community_id)])
            cursor.execute(
                "INSERT INTO insights_crisissettings (community_id, webhook_url, defaults_created) "
                "VALUES (%s, '', true) ON CONFLICT (community_id) DO NOTHING RETURNING id",
                [community_id],
            )
            if cursor.fetchone() is not None:
                for kind, window, thresholds, keywords in DEFAULT_RULES:
                    cursor.execute(
                        "INSERT INTO insights_alertrule (community_id, kind, channel, window_minutes, thresholds, "
                        "keywords, enabled, created_at) VALUES (%s, %s, NULL, %s, %s::jsonb, %s, true, now())",
                        [community_id, kind, window, json.dumps(thresholds), keywords],
                    )
            cursor.execute(HOURS_SQL, [community_id])
            cursor.execute("SELECT set_config('app.community_id', '', true)")


def backwards(apps, schema_editor):
    pass  # the schema migration before this one drops the tables


class Migration(migrations.Migration):
    dependencies = [("insights", "0005_crisis_watch"), ("community", "0011_activity_moderation_object")]
    operations = [migrations.RunPython(forwards, backwards)]
