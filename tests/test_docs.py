"""The README is a short entry page; the documents it points to exist and say what the warehouse says."""

from __future__ import annotations

import re

from tests.conftest import REPO
from warehouse.db import view_comment
from warehouse.sql_files import SQL_DIR

DOCS = REPO / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def relative_links(markdown: str) -> list[str]:
    return [target for target in LINK.findall(markdown) if not re.match(r"[a-z]+:", target)]


def test_readme_is_at_most_150_lines_and_names_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme and "make test" in readme and "```sql" in readme


def test_every_relative_link_of_the_readme_contributing_and_each_document_resolves():
    # docs/README.md is left out: it also lists documents other branches add
    for page in (REPO / "README.md", REPO / "CONTRIBUTING.md", *(p for p in DOCS.glob("*.md") if p.name != "README.md")):
        missing = [t for t in relative_links(page.read_text(encoding="utf-8")) if not (page.parent / t).exists()]
        assert missing == [], f"{page.name} links to missing files"


def test_the_docs_index_lists_every_document():
    listed = set(relative_links((DOCS / "README.md").read_text(encoding="utf-8")))
    documents = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert documents - listed == set()


def test_the_contract_quotes_each_views_header_summary():
    contract = (DOCS / "warehouse-contract.md").read_text(encoding="utf-8")
    for path in sorted((SQL_DIR / "views").glob("*.sql")):
        view, comment = view_comment(path.read_text(encoding="utf-8"))
        summary = comment.splitlines()[0].removeprefix(f"{view}: ")
        assert f"| [`{view}`](../warehouse/sql/views/{path.name}) | {summary} |" in contract


def test_every_published_column_has_a_comment_and_the_contract_quotes_it(tmp_path):
    from warehouse.db import connect

    con = connect(tmp_path / "news.duckdb")
    try:
        columns = con.execute("""
            select c.table_name, c.column_name, c.comment from duckdb_columns() c
            join duckdb_tables() t on t.schema_name = c.schema_name and t.table_name = c.table_name
            where c.schema_name = 'main' order by c.table_name, c.column_index""").fetchall()
    finally:
        con.close()
    assert [(table, column) for table, column, comment in columns if not comment] == []
    contract = (DOCS / "warehouse-contract.md").read_text(encoding="utf-8")
    sections = {section.split("`")[1]: section for section in contract.split("\n### ")[1:]}
    missing = [(table, column) for table, column, comment in columns
               if f"| `{column}` | {comment.replace('|', chr(92) + '|')} |" not in sections.get(table, "")]
    assert missing == []
