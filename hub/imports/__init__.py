"""The two-phase spreadsheet import of in-kind contributions: upload, map, preview, confirm.

    models.py   ColumnMapping, ImportJob, StagedContribution (app `funding`, as are their tables)
    jobs.py     every change of an import job's status (job_preview_start ... job_discard)
    access.py   get_import_job_for(user, pk): the one way a page fetches a job
    columns.py  which column feeds which field: column spec, header matching, remembered mapping
    rows.py     cells to typed values; donor and partnership indexes
    reading.py  the pass over one row: typed service fields or problems, the import key
    engine.py   run_import: the preview and the import of a whole file
    stage.py    writing in batches to a staging table, publishing all at once
    tasks.py    the background task for large files
    forms.py, views.py, urls.py   the pages (imports:import_*, under /in-kind/import/)

The management commands `import_contributions` and `discard_stale_imports` live in
hub/funding/management/commands/ (Django finds commands only in an app's own folder).
"""
