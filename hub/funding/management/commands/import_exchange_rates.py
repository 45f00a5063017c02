"""manage.py import_exchange_rates FILE: store the ECB's euro reference rates from its CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.accounts.system import system_actor
from hub.funding.exchange_rates.currency import ExchangeRateFileError
from hub.funding.services import exchange_rates_import


class Command(BaseCommand):
    help = (
        "Store exchange rates from the European Central Bank's CSV file (eurofxref.csv or "
        "eurofxref-hist.csv, unzipped). Rates already stored for a day are replaced. Use it "
        "whenever reports need newer rates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the ECB CSV file")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            result = exchange_rates_import(actor=system_actor(), file=file.read_bytes())
        except ExchangeRateFileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored {result.rates} rates of {len(result.currencies)} currencies, "
                f"{result.first} to {result.last}"
                + (f" ({result.not_quoted} cells not quoted)" if result.not_quoted else "")
                + "."
            )
        )
