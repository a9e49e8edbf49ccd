# Joins two branches of work that each added a 0009 (custom-domain verification; the sentiment object).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0009_activity_sentiment_object"),
        ("community", "0009_community_domain_verification"),
    ]
    operations = []
