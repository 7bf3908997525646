"""Trigram indexes for the public search on PostgreSQL (nothing on other databases).

``search_public_documents`` filters with ``icontains``, which Django writes on PostgreSQL as
``UPPER(col::text) LIKE UPPER('%word%')``. GIN indexes with pg_trgm's ``gin_trgm_ops`` on exactly
those expressions let PostgreSQL answer such a LIKE from the index for words of three characters or
more, in any script. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create
it. When it is not available or not permitted, the migration leaves a notice and the search still
works, by scanning.
"""

from django.db import migrations

COLUMNS = ("title", "doc_number", "body")

FORWARD = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
{indexes}
    ELSE
        RAISE NOTICE 'pg_trgm is not available: the disclosure search will scan';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm could not be created (insufficient privilege): the disclosure search will scan';
END
$$;
""".format(
    indexes="\n".join(
        f"        CREATE INDEX IF NOT EXISTS disc_doc_{c}_trgm ON disclosure_document "
        f"USING gin ((UPPER({c}::text)) gin_trgm_ops);"
        for c in COLUMNS
    )
)
BACKWARD = "\n".join(f"DROP INDEX IF EXISTS disc_doc_{c}_trgm;" for c in COLUMNS)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
