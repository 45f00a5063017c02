"""Reading wikis: the Action API client (`client`) and a page's tables for import (`tables`)."""
