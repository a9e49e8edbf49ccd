"""The migration operation that puts a table under row-level security keyed on `community_id`.

Every tenant table's migration ends with `EnableTenantRLS("<model_name>")`; tests/tenancy/test_rls_catalog.py
fails if any table with a community_id column lacks ENABLE, FORCE or the policy.
"""

from django.db import migrations

POLICY_NAME = "tenant_isolation"

# A plain equality, nothing ORed in: the planner then treats it like the query's own community filter and
# keeps the ordered (community_id, …) index scans (an OR'd bypass made list queries 30x slower in
# bench/rls_cost.py). The scalar subquery is evaluated once per query (an InitPlan), not per row.
# NULLIF: once a custom setting was set on a connection it reads '' (not NULL) after the transaction.
# The bypass is a role with BYPASSRLS (see community.tenancy.scope.unscoped), not part of the policy.
TENANT_PREDICATE = "community_id = (SELECT NULLIF(current_setting('app.community_id', true), '')::bigint)"


def enable_sql(table: str) -> str:
    return (
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;'
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;'
        f'CREATE POLICY {POLICY_NAME} ON "{table}" USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE});'
    )


def disable_sql(table: str) -> str:
    return (
        f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}";'
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY;'
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;'
    )


class EnableTenantRLS(migrations.operations.base.Operation):
    """ENABLE + FORCE row-level security and create the tenant policy (reads and writes) on a model's table."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(enable_sql(self._table(app_label, to_state)))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(disable_sql(self._table(app_label, from_state)))

    def describe(self):
        return f"Enable tenant row-level security on {self.model_name}"

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"model_name": self.model_name})
