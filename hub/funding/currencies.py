"""Currency codes of ISO 4217, so that an amount in "ERU" or "GPB" is refused, not stored.

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
