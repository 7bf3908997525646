"""The normalised search text of a document (brackets and full width: domain.disclosure.search_text).

Filled for the documents there are; the search indexes move to it: on SQLite the FTS5 trigram
table over title, 文号 and body is dropped here and recreated over ``search_text`` after the
migration (``search.ensure_sqlite_search_index``, post_migrate); on PostgreSQL the three pg_trgm
indexes give way to one on ``UPPER(search_text)`` (what ``icontains`` compares).
"""

from django.db import migrations, models

from gongkai.domain.disclosure.search_text import search_text

OLD_COLUMNS = ("title", "doc_number", "body")
FTS = "disclosure_document_fts"

PG_FORWARD = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS disc_doc_search_text_trgm ON disclosure_document
            USING gin ((UPPER(search_text::text)) gin_trgm_ops);
{drops}
    END IF;
END
$$;
""".format(drops="\n".join(f"        DROP INDEX IF EXISTS disc_doc_{c}_trgm;" for c in OLD_COLUMNS))
PG_BACKWARD = "DROP INDEX IF EXISTS disc_doc_search_text_trgm;"


def fill(apps, schema_editor):
    Document = apps.get_model("disclosure", "Document")
    batch = []
    for doc in Document.objects.only("id", "title", "doc_number", "index_number", "body").iterator(chunk_size=1000):
        doc.search_text = search_text(title=doc.title, doc_number=doc.doc_number, index_number=doc.index_number,
                                      body=doc.body)
        batch.append(doc)
        if len(batch) == 1000:
            Document.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Document.objects.bulk_update(batch, ["search_text"])


def indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def indexes_back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_state_labels_name_the_roles")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="检索文本"),
        ),
        migrations.RunPython(indexes, indexes_back, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
