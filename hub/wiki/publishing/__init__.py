"""Publishing hub records to a wiki as wikitext and reading the pages back (issue 19 part 2)."""
