"""The lifecycle app's pages, one list per sub-package, in one namespace (`lifecycle:`)."""

from hub.lifecycle.agreements import urls as agreements
from hub.lifecycle.documents import urls as documents
from hub.lifecycle.steps import urls as steps

app_name = "lifecycle"
urlpatterns = [*steps.urlpatterns, *agreements.urlpatterns, *documents.urlpatterns]
