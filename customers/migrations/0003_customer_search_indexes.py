"""Indexes for the wizard's customer search (``wizard.customer_search``), on PostgreSQL.

The search filters ``company_name__icontains`` and ``tenant_domain__istartswith``,
written by Django as ``UPPER("company_name"::text) LIKE UPPER('%abc%')`` and
``UPPER("tenant_domain"::text) LIKE UPPER('abc%')``. The indexes are built on
those expressions: a pg_trgm GIN index for the name, a ``text_pattern_ops``
b-tree for the domain prefix, and ``(reseller_id, id DESC)`` for the unsearched
list of a reseller's newest customers (the GIN index with ``fastupdate = off``, as for
the products). The pg_trgm extension is enabled by
``catalog.0003_product_search_indexes``. Skipped on any other database (the
embedded run's SQLite keeps the plain query).
"""

from django.db import migrations

from catalog.trigram import trigram_available

# Written as SQL, as in catalog.0003_product_search_indexes.
INDEXES = {
    "customer_name_upper_trgm": (
        'CREATE INDEX IF NOT EXISTS "customer_name_upper_trgm" ON "customers_customer" '
        'USING gin ((UPPER("company_name"::text)) gin_trgm_ops) WITH (fastupdate = off)'
    ),
    "customer_domain_upper_prefix": (
        'CREATE INDEX IF NOT EXISTS "customer_domain_upper_prefix" ON "customers_customer" '
        '((UPPER("tenant_domain"::text)) text_pattern_ops)'
    ),
    # The unsearched list is the reseller's newest customers: without this, PostgreSQL
    # walks the primary key backwards through every other reseller's newer rows.
    "customer_reseller_newest": (
        'CREATE INDEX IF NOT EXISTS "customer_reseller_newest" ON "customers_customer" '
        '("reseller_id", "id" DESC)'
    ),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    trigram = trigram_available(schema_editor.connection)  # enabled by catalog's 0003
    for sql in INDEXES.values():
        if trigram or "gin_trgm_ops" not in sql:
            schema_editor.execute(sql)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_reseller_time_zone_and_approval"),
        ("catalog", "0003_product_search_indexes"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
