"""Register the shipped document templates (a new version wherever a shipped file changed). The hub
also does this by itself on first use; run it when deploying to have it done beforehand."""

from django.core.management.base import BaseCommand

from hub.lifecycle.documents.shipped.registry import shipped_templates_sync


class Command(BaseCommand):
    help = "Register the shipped document templates that are new or changed."

    def handle(self, *args, **options) -> None:
        added = shipped_templates_sync()
        self.stdout.write(f"{added} template versions added.")
