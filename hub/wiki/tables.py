"""A wiki page's tables, read for import exactly like the sheets of a workbook.

Use `page_tables(api_url, title)` to read a page's current revision and every wikitable on it;
each `WikiTable` becomes the `Table` an import reads through `PageTables.table(name)`, so the
import's mapping, row checks and preview are those of a spreadsheet. Keep `page.permalink` (or
`page.url` and `page.revision`) with every record imported: it says where the record came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hub.core.tabular import Limits, Table, TabularError, as_table
from hub.core.tabular.files import _fail
from hub.core.tabular.wikitext import WikiTable, read_tables
from hub.wiki.client import WikiClient, WikiPage


@dataclass
class PageTables:
    """A page's current revision and its wikitables, in page order."""

    page: WikiPage
    tables: list[WikiTable]

    @property
    def names(self) -> list[str]:
        """The tables' names (caption, else "Table n"), as a workbook lists its sheets."""
        return [t.name for t in self.tables]

    def table(self, name: str | None = None, *, limits: Limits | None = None) -> Table:
        """The table called `name` (default: the first) as a `Table`. Raises TabularError for a
        page without tables or an unknown name, naming the page's tables."""
        if not self.tables:
            raise _fail(_("The page '%(title)s' has no table.") % {"title": self.page.title[:200]})
        chosen = self.tables[0] if not name else self._named(name)
        return as_table(chosen, sheets=self.names, limits=limits)

    def _named(self, name: str) -> WikiTable:
        for table in self.tables:
            if table.name == name:
                return table
        loose = " ".join(name.split()).casefold()
        for table in self.tables:
            if " ".join(table.name.split()).casefold() == loose:
                return table
        raise _fail(
            _("The page '%(title)s' has no table named '%(table)s'. Its tables: %(names)s.")
            % {
                "title": self.page.title[:200],
                "table": name[:80],
                "names": ", ".join(f"'{n}'" for n in self.names),
            }
        )


def page_tables(
    api_url: str, title: str, *, client: WikiClient | None = None, limits: Limits | None = None
) -> PageTables:
    """Read the page `title` from the wiki at `api_url` and every wikitable on it. Raises
    hub.wiki.client.WikiError when the page cannot be read."""
    page = (client or WikiClient()).page(api_url, title)
    return PageTables(page, read_tables(page.wikitext, limits=limits))


__all__ = ["PageTables", "TabularError", "page_tables"]
