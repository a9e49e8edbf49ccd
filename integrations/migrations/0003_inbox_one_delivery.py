"""One stored row per webhook delivery id: replays and platform retries are acknowledged, not stored again."""

from django.db import migrations, models

# Rows stored before the rule keep their bodies; the later copies of a delivery get a suffixed id so the
# constraint can be built. The table forces row-level security even for its owner, so the rename runs with the
# policy lifted for this transaction only (ALTER TABLE is transactional).
KEEP_FIRST_COPY = """
ALTER TABLE integrations_inboxevent NO FORCE ROW LEVEL SECURITY;
ALTER TABLE integrations_inboxevent DISABLE ROW LEVEL SECURITY;
UPDATE integrations_inboxevent AS e
   SET delivery_id = left(e.delivery_id, 100) || '~replay-' || e.id
  FROM (SELECT id, row_number() OVER (PARTITION BY community_id, connection_id, delivery_id ORDER BY id) AS n
          FROM integrations_inboxevent
         WHERE source = 'webhook' AND delivery_id <> '') AS d
 WHERE e.id = d.id AND d.n > 1;
ALTER TABLE integrations_inboxevent ENABLE ROW LEVEL SECURITY;
ALTER TABLE integrations_inboxevent FORCE ROW LEVEL SECURITY;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_connection_last_check"),
    ]

    operations = [
        migrations.RunSQL(KEEP_FIRST_COPY, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="inboxevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", "webhook"), models.Q(("delivery_id", ""), _negated=True)),
                fields=("community", "connection", "delivery_id"),
                name="inbox_one_delivery",
            ),
        ),
    ]
