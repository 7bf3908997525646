"""The public search reads 文号 however they are bracketed or wide, in the index and the query,
and finds a document by its 索引号."""

from datetime import date

import pytest
from django.db import connection

from gongkai.disclosure import search, selectors
from gongkai.disclosure.models import Document
from tests.integration.test_disclosure_services import create, env, publish  # noqa: F401

pytestmark = pytest.mark.django_db

VARIANTS = (
    "示教规〔2026〕5号",
    "示教规(2026)5号",
    "示教规（2026）5号",
    "示教规[2026]5号",
    "示教规【2026】5号",
    "示教规［２０２６］５号",
    "示教规（２０２６）５号",
)


def _titles(env, q):
    return [d.title for d in selectors.search_public_documents(agency=env["agency"], query=q).documents]


@pytest.mark.parametrize("stored", ["示教规〔2026〕5号", "示教规(2026)5号", "示教规（２０２６）５号"])
def test_a_document_number_is_found_whatever_brackets_and_width_either_side_uses(env, stored):
    doc = publish(
        env,
        create(
            env,
            column="gfxwj",
            kind="normative",
            signed_on=date(2026, 3, 2),
            doc_number=stored,
            title="示范区校外培训机构管理办法",
        ),
        date(2026, 3, 2),
    )
    other = publish(
        env,
        create(
            env,
            column="gfxwj",
            kind="normative",
            signed_on=date(2026, 3, 2),
            doc_number="示教规〔2026〕15号",
            title="示范区学生资助管理办法",
        ),
        date(2026, 3, 2),
    )
    for q in VARIANTS:
        assert _titles(env, q) == [doc.title], q
    assert _titles(env, "示教规〔2026〕15号") == [other.title]


def test_a_document_is_found_by_its_index_number(env):
    doc = publish(env, create(env, title="关于公布2026年小学学区划分的公告"), date(2026, 3, 2))
    assert _titles(env, doc.index_number) == [doc.title]
    assert _titles(env, doc.index_number.split("/")[-1]) == [doc.title]


def test_the_search_text_follows_edits_and_is_what_the_index_holds(env):
    doc = create(env, title="关于做好2026年【暑期】安全工作的通知", body="各学校：（一）防溺水。")
    assert doc.search_text.startswith("关于做好2026年(暑期)安全工作的通知\n")
    assert "(一)防溺水。" in doc.search_text and doc.index_number in doc.search_text
    Document.objects.get(pk=doc.pk)  # saved as computed
    doc.title = "关于做好2026年〔寒假〕安全工作的通知"
    doc.save(update_fields=["title"])
    assert Document.objects.get(pk=doc.pk).search_text.startswith("关于做好2026年(寒假)安全工作的通知")
    if connection.vendor == "sqlite" and search.trigram_index_available():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s",
                [search.fts_phrase("(寒假)安全")],
            )
            assert [r[0] for r in cursor.fetchall()] == [doc.pk]


def test_the_results_mark_the_original_words_for_a_normalised_query(env, client):
    doc = publish(
        env,
        create(
            env,
            column="gfxwj",
            kind="normative",
            signed_on=date(2026, 3, 2),
            doc_number="示教规〔2026〕5号",
            title="示范区校外培训机构管理办法",
        ),
        date(2026, 3, 2),
    )
    html = client.get("/xxgk/search/", {"q": "示教规(2026)5号"}).content.decode()
    assert f"/xxgk/documents/{doc.pk}/" in html
    assert "<mark>示教规〔2026〕5号</mark>" in html
