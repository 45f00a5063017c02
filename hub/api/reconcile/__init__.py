"""A W3C Entity Reconciliation API (v0.2) service over the hub's directory (docs/reconciliation.md).

OpenRefine and other clients match a spreadsheet's organization names against the hub: the
manifest says what the service offers (`manifest`), queries are read and checked (`queries`),
candidates found and scored with features that explain each score (`scoring`), and the views
(`views`) answer the manifest, query batches, previews and the three suggest services, with CORS
for every origin and JSONP for GET.

The service answers from what an anonymous person may see, or what the owner of an API token
given as `Authorization: Bearer ...` may see; a signed-in session does not count, so a browser
and OpenRefine get the same answers.
"""
