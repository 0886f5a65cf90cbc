"""Indexes that let the catalogue search avoid reading every product, on PostgreSQL.

``catalog.selectors.product_search`` filters ``mpn__istartswith`` and
``name__icontains``; Django writes them as ``UPPER("mpn"::text) LIKE UPPER('ABC%')``
and ``UPPER("name"::text) LIKE UPPER('%abc%')``, which the plain ``mpn`` index
cannot serve. The indexes below are built on the same expressions:

* ``UPPER(mpn) text_pattern_ops`` (a b-tree usable for a ``LIKE 'prefix%'``
  whatever the database collation), and
* a pg_trgm GIN index on ``UPPER(name)``, usable for ``LIKE '%part%'``. It is built
  with ``fastupdate = off``: new rows go straight into the index instead of a
  pending list that every search would have to read (and that makes the planner
  fall back to reading the whole table until the next vacuum). The catalogue is
  written by the nightly sync, read all day.

On any other database (SQLite) the extension and the indexes are skipped and the
plain query stays; on a PostgreSQL without pg_trgm (``catalog.trigram``) only the
prefix index is built. The indexes are not declared on
the model, so ``makemigrations`` stays quiet on every database.
"""

from django.db import migrations

from catalog.trigram import trigram_enable

# Written as SQL: Django builds an expression index with an operator class only when
# django.contrib.postgres is an installed app, which this project does not need.
INDEXES = {
    "product_mpn_upper_prefix": (
        'CREATE INDEX IF NOT EXISTS "product_mpn_upper_prefix" ON "catalog_product" '
        '((UPPER("mpn"::text)) text_pattern_ops)'
    ),
    "product_name_upper_trgm": (
        'CREATE INDEX IF NOT EXISTS "product_name_upper_trgm" ON "catalog_product" '
        'USING gin ((UPPER("name"::text)) gin_trgm_ops) WITH (fastupdate = off)'
    ),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    trigram = trigram_enable(schema_editor)
    for name, sql in INDEXES.items():
        if trigram or "gin_trgm_ops" not in sql:
            schema_editor.execute(sql)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
