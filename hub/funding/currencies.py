"""What the hub knows of currencies: the ISO 4217 codes, and the signs, local abbreviations and
names people write beside an amount. The one list: the model validator, the import's currency
column, the amounts it reads ('€ 12', '12 CHF') and the number parser's affixes all use it.

ISO 4217 codes, so that an amount in "ERU" or "GPB" is refused, not stored.

The active codes of the standard (its list one, 2026), without the test, no-currency and precious
metal codes (XTS, XXX, XAU, XAG, XPT, XPD) and the fund or unit-of-account codes (BOV, CLF, COU,
MXV, USN, UYI, UYW, CHE, CHW, XDR, XSU, XUA, XB*), which no partner gives. Also the codes withdrawn
since 1999 that an older record may carry: the national currencies the euro replaced (ATS, BEF,
CYP, DEM, EEK, ESP, FIM, FRF, GRD, HRK, IEP, ITL, LTL, LUF, LVL, MTL, NLG, PTE, SIT, SKK) and
currencies redenominated or renamed (BGL, BYR, GHC, MRO, MZM, ROL, SLL, STD, TRL, VEB, VEF, ZMK,
ZWD, ZWL).
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from hub.core.tabular import fold, number_affixes

_ACTIVE = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
_WITHDRAWN = """
    ATS BEF CYP DEM EEK ESP FIM FRF GRD HRK IEP ITL LTL LUF LVL MTL NLG PTE SIT SKK
    BGL BYR GHC MRO MZM ROL SLL STD TRL VEB VEF ZMK ZWD ZWL
"""
ACTIVE = frozenset(_ACTIVE.split())
WITHDRAWN = frozenset(_WITHDRAWN.split())
CODES = ACTIVE | WITHDRAWN


def is_currency(code: str) -> bool:
    return code in CODES


@deconstructible
class CurrencyCodeValidator:
    """A three-letter ISO 4217 code (see CODES)."""

    message = _("'%(code)s' is not an ISO 4217 currency code; write one such as EUR, USD or CHF.")
    code = "invalid_currency"

    def __call__(self, value: str) -> None:
        if not is_currency(str(value)):
            raise ValidationError(self.message, code=self.code, params={"code": str(value)[:10]})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CurrencyCodeValidator)

    def __hash__(self) -> int:
        return hash(CurrencyCodeValidator)


# What people write for a currency beside an amount, in the spelling they use (matched in any
# case): the code it names, or None where it names no single one (krona: Swedish, Norwegian,
# Danish, Icelandic; lei: Romanian, Moldovan; "Fr" begins "Franc" and "Franken", so only "Fr."
# names CHF), which is read off a number but names no currency.
SIGNS: dict[str, str | None] = {
    "€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "руб": "RUB", "₺": "TRY", "₴": "UAH", "грн": "UAH", "₪": "ILS", "₩": "KRW", "₦": "NGN",
    "₱": "PHP", "฿": "THB", "₫": "VND", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "Fr.": "CHF",
    "Fr": None, "CHF": "CHF", "R$": "BRL", "лв": "BGN", "lei": None, "kr": None, "kr.": None,
}  # fmt: skip
# A currency cell written as a word
NAMES = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "us dollar": "USD", "pound": "GBP",
         "franken": "CHF", "zloty": "PLN", "złoty": "PLN"}  # fmt: skip

CURRENCY_SIGNS = {sign.lower(): code for sign, code in SIGNS.items() if code is not None}
CURRENCY_NAMES = {fold(name): code for name, code in NAMES.items()}
# The words an amount may carry before or after its digits: every code, every sign.
AMOUNT_AFFIXES = number_affixes([*CODES, *SIGNS])

# Longest first, so "us$" wins over "$" (sorted once: the import asks for every value cell).
_SIGNS_LONGEST_FIRST = sorted(CURRENCY_SIGNS.items(), key=lambda item: -len(item[0]))


def currency_in(text: str) -> str | None:
    """The ISO code a written amount or currency cell names ('€ 12', '12 CHF', 'Euro'), if any."""
    stripped = text.strip()
    if stripped[:1].isdigit() and stripped[-1:].isdigit():
        return None  # a bare number ('1.234,56'): no sign, name or code at either end
    lowered = stripped.lower()
    for sign, code in _SIGNS_LONGEST_FIRST:
        if lowered.startswith(sign) or lowered.endswith(sign):
            return code
    named = CURRENCY_NAMES.get(fold(stripped))
    if named:
        return named
    for part in (stripped[:3], stripped[-3:]):
        if len(part) == 3 and part.isalpha() and part.isupper() and part.isascii():
            return part
    return None
