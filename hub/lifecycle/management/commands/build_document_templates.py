"""Rebuild the shipped document templates from their texts (hub/lifecycle/documents/shipped/texts.py):
writes each .fodt and .wiki source, then has LibreOffice make the .odt and .docx the hub registers.
Run it after changing a text, and commit the files it writes."""

from django.core.management.base import BaseCommand

from hub.lifecycle.documents import office
from hub.lifecycle.documents.shipped.build import write_sources


class Command(BaseCommand):
    help = "Rebuild the shipped document templates (.fodt, .odt, .docx, .wiki) from their texts."

    def handle(self, *args, **options) -> None:
        for source in write_sources():
            data = source.read_bytes()
            for target, suffix in (("odt", "odt"), ("docx:MS Word 2007 XML", "docx")):
                source.with_suffix(f".{suffix}").write_bytes(office.convert(data, "fodt", target))
            self.stdout.write(f"{source.stem}: fodt, odt, docx, wiki")
