"""Every table with a community_id column is under row-level security, forced, with the tenant policy."""

from django.db import connection

from community.tenancy.rls import POLICY_NAME


def test_every_tenant_table_has_forced_rls_and_the_policy(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s
                           AND pg_get_expr(p.polqual, p.polrelid) LIKE '%%app.community_id%%'
                           AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%%app.community_id%%')
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'community_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p')
            """,
            [POLICY_NAME],
        )
        rows = cursor.fetchall()
    assert rows, "no tenant tables found: the catalog query is broken"
    missing = [name for name, enabled, forced, policy in rows if not (enabled and forced and policy)]
    assert missing == []
