"""The ISO 4217 codes, kept importable here for migration 0006 and the models that validate a
currency; the list and the rest of what the hub knows of currencies are in hub.funding.currencies."""

from hub.funding.currencies import ACTIVE, CODES, WITHDRAWN, CurrencyCodeValidator, is_currency

__all__ = ["ACTIVE", "CODES", "WITHDRAWN", "CurrencyCodeValidator", "is_currency"]
