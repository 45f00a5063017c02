"""Which spreadsheet column feeds which field, and the words people use: `ColumnSpec` for any kind
of import, and the in-kind contributions' targets and value vocabularies.

The hub proposes a mapping from the header row (the synonyms below, in several languages, compared
without case or accents), the person confirms or changes it once, and it is remembered per
organization (ColumnMapping). The value vocabularies turn what people type ("Raum", "Std.",
"Marktwert", "ja") into the stored codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hub.core.tabular import fold
from hub.directory.models import Organization
from hub.funding.models import Category, Unit, ValuationMethod
from hub.imports.models import ColumnMapping


@dataclass(frozen=True)
class Target:
    """A field a column can feed."""

    name: str
    label: str | Promise
    kind: str  # text, name, number, date, category, unit, currency, method, bool, url, key
    synonyms: tuple[str, ...]
    required: bool = False
    repeatable: bool = False  # several columns may feed it (ColumnSpec)


TARGETS: tuple[Target, ...] = (
    Target(
        "donor",
        _("Donor (organization)"),
        "name",
        (
            "donor", "donor organization", "donor organisation", "sponsor", "given by", "from",
            "partner", "organization", "organisation", "spender", "spenderin", "geber",
            "sachspender", "unterstutzer", "firma", "organisation", "institution", "donateur",
            "donatrice", "mecene", "partenaire", "donante", "patrocinador", "donatore", "donador",
            "doador", "schenker", "darczyńca", "darczynca", "спонсор", "жертвователь", "donor_organization",
            "company", "supplier", "provider", "donor / sponsor", "unternehmen", "empresa", "entidad",
            "donateur / mecene", "entreprise", "fournisseur",
        ),
    ),
    Target(
        "donor_code",
        _("Donor short code or Wikidata item"),
        "text",
        (
            "donor code", "donor_organization_code", "short code", "wikidata", "wikidata item",
            "wikidata id", "qid", "kurzel", "code",
        ),
    ),
    Target(
        "donor_name",
        _("Donor (person)"),
        "name",
        ("donor name", "person", "donor person", "private donor", "privatperson", "name", "donor_name"),
    ),
    Target(
        "partnership",
        _("Partnership"),
        "name",
        (
            "partnership", "project", "partnerschaft", "kooperation", "projekt", "partenariat",
            "projet", "alianza", "asociacion", "proyecto", "progetto", "partenariato", "projeto",
        ),
    ),
    Target(
        "date",
        _("Date"),
        "date",
        (
            "date", "day", "given on", "datum", "tag", "date du don", "fecha", "data", "дата",
            "start", "from date", "beginn", "von",
        ),
        required=True,
    ),
    Target(
        "period_end",
        _("End of period"),
        "date",
        (
            "period end", "end", "end date", "until", "to", "bis", "ende", "enddatum", "date de fin",
            "fin", "fecha fin", "fecha de fin", "period_end",
        ),
    ),
    Target(
        "category",
        _("Category"),
        "category",
        (
            "category", "type", "kind", "kategorie", "art", "typ", "sachspendenart", "categorie",
            "categoria", "tipo", "категория", "type of support", "support type", "leistungsart",
            "art der leistung", "art der spende", "nature du don", "nature", "tipo de aportacion",
            "tipo de aporte",
        ),
        required=True,
    ),
    Target(
        "description",
        _("Description"),
        "text",
        (
            "description", "what", "details", "note", "notes", "comment", "beschreibung",
            "bezeichnung", "gegenstand", "leistung", "bemerkung", "anmerkung", "notiz",
            "descriptif", "remarque", "descripcion", "concepto", "descrizione", "descricao",
            "observaciones", "observations", "commentaire",
            "описание",
        ),
    ),
    Target(
        "quantity",
        _("Quantity"),
        "number",
        (
            "quantity", "qty", "amount of units", "hours", "number", "menge", "anzahl", "stunden",
            "umfang", "quantite", "nombre", "cantidad", "horas", "quantita", "quantidade",
            "количество",
        ),
    ),
    Target(
        "unit",
        _("Unit"),
        "unit",
        ("unit", "units", "einheit", "unite", "unidad", "unita", "unidade", "единица"),
    ),
    Target(
        "value",
        _("Value"),
        "number",
        (
            "value", "amount", "worth", "estimated value", "value eur", "value in eur", "sum",
            "wert", "betrag", "geldwert", "schatzwert", "wert eur", "wert in eur", "summe",
            "valeur", "montant", "valor", "importe", "monto", "valore", "importo", "стоимость",
            "valorisation", "valeur estimee", "sachwert", "spendenwert", "in kind value",
            "valoracion", "valor estimado",
            "сумма",
        ),
    ),
    Target(
        "currency",
        _("Currency"),
        "currency",
        ("currency", "cur", "wahrung", "devise", "monnaie", "moneda", "divisa", "valuta", "moeda", "валюта"),
    ),
    Target(
        "valuation_method",
        _("Valuation method"),
        "method",
        (
            "valuation method", "valuation", "method", "bewertung", "bewertungsmethode",
            "methode", "methode d evaluation", "evaluation", "metodo", "metodo de valoracion",
            "valuation_method",
        ),
    ),
    Target(
        "evidence_url",
        _("Evidence (link)"),
        "url",
        ("evidence", "evidence url", "link", "url", "beleg", "nachweis", "justificatif", "comprobante", "evidence_url"),
    ),
    Target(
        "acknowledgement",
        _("Acknowledgement"),
        "text",
        ("acknowledgement", "acknowledgment", "credit", "credited", "danksagung", "dank", "nennung", "remerciement", "agradecimiento"),
    ),
    Target(
        "confidential",
        _("Confidential"),
        "bool",
        ("confidential", "private", "vertraulich", "intern", "confidentiel", "confidencial", "riservato"),
    ),
    Target("import_key", _("Import key"), "key", ("import key", "import_key")),
    Target("hub_id", _("Hub record number"), "key", ("id", "hub id")),
)  # fmt: skip


class ColumnSpec:
    """The columns of one kind of import: its targets, the header words that propose them, and
    the mapping each organization confirmed (ColumnMapping, per organization and kind).

    A `repeatable` target may be fed by several columns ("Partner 1", "Partner 2"); any other by
    one. A target named "hub_id" is proposed only in a file that also has an import key column
    (the hub's own exports): in a chapter's sheet an "ID" is their running number."""

    def __init__(self, kind: str, targets: tuple[Target, ...]) -> None:
        self.kind = kind
        self.targets = targets
        self.by_name = {target.name: target for target in targets}
        self.synonyms: dict[str, str] = {}
        for target in targets:
            for word in (target.name, *target.synonyms):
                self.synonyms.setdefault(fold(word), target.name)

    def header_words(self) -> set[str]:
        """Every folded header word the kind knows: helps find the header row below title rows."""
        return set(self.synonyms) | {fold(str(t.label)) for t in self.targets}

    def guess_target(self, header: str) -> str:
        """The target a header most likely means, or '' when it is not recognized."""
        key = fold(header)
        if key in self.synonyms:
            return self.synonyms[key]
        for target in self.targets:
            if key == fold(str(target.label)):
                return target.name
        # "Wert (EUR)", "Datum der Spende", "Partner 2": the first words decide
        words = key.split()
        for size in range(len(words) - 1, 0, -1):
            start = " ".join(words[:size])
            if start in self.synonyms:
                return self.synonyms[start]
        return IGNORE

    def propose_mapping(
        self, headers: Iterable[str], remembered: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """Header -> target for every header: what the organization chose before, else a guess.
        A target that is not repeatable is proposed for one column only (the first)."""
        remembered = {fold(k): v for k, v in (remembered or {}).items()}
        headers = list(headers)
        hub_export = any(self.guess_target(h) == "import_key" for h in headers)
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        for header in headers:
            key = fold(header)
            target = remembered.get(key, "") if key in remembered else self.guess_target(header)
            if target == "hub_id" and not hub_export:
                target = IGNORE
            if target not in self.by_name or (
                target in taken and not self.by_name[target].repeatable
            ):
                target = IGNORE
            mapping[header] = target
            if target:
                taken.add(target)
        return mapping

    def parse_mapping_option(self, text: str) -> dict[str, str]:
        """'Header=field,Other=field' (the command line's --mapping) as a dict."""
        mapping: dict[str, str] = {}
        for part in text.split(","):
            if not part.strip():
                continue
            header, sep, target = part.rpartition("=")
            if not sep or not header.strip():
                raise ValueError(_("Write the mapping as 'Header=field,Other header=field'."))
            target = target.strip()
            if target not in self.by_name and target not in (IGNORE, "-"):
                raise ValueError(
                    _("'%(field)s' is not a field. Fields: %(fields)s.")
                    % {"field": target, "fields": ", ".join(self.by_name)}
                )
            mapping[header.strip()] = "" if target == "-" else target
        return mapping

    def remembered(self, organization: Organization) -> dict[str, str]:
        """The mapping the organization chose last time for this kind of file."""
        stored = ColumnMapping.objects.filter(organization=organization, kind=self.kind).first()
        return stored.mapping if stored else {}

    def remember_mapping(
        self, *, actor, organization: Organization, mapping: Mapping[str, str]
    ) -> None:
        """Remember what the organization's columns mean, for its next file of this kind."""
        stored, _created = ColumnMapping.objects.get_or_create(
            organization=organization, kind=self.kind
        )
        merged = dict(stored.mapping)
        merged.update({fold(header): target for header, target in mapping.items()})
        stored.mapping = merged
        stored.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        stored.save()

    def proposed_mapping(self, headers: list[str], organization: Organization) -> dict[str, str]:
        """The mapping to propose for `headers`: what the organization chose before, else guessed."""
        return self.propose_mapping(headers, self.remembered(organization))


IGNORE = ""
SPEC = ColumnSpec("contributions", TARGETS)
BY_NAME = SPEC.by_name
# the contributions' spec under the names its callers know
header_words = SPEC.header_words
guess_target = SPEC.guess_target
propose_mapping = SPEC.propose_mapping
parse_mapping_option = SPEC.parse_mapping_option
remember_mapping = SPEC.remember_mapping
proposed_mapping = SPEC.proposed_mapping


def _vocabulary(pairs: Mapping[str, str]) -> dict[str, str]:
    return {fold(word): code for word, code in pairs.items()}


CATEGORY_WORDS = _vocabulary(
    {
        # codes and English labels come from the choices below; these are what offices write
        "venue": Category.VENUE_SPACE, "space": Category.VENUE_SPACE, "room": Category.VENUE_SPACE,
        "rooms": Category.VENUE_SPACE, "location": Category.VENUE_SPACE, "raum": Category.VENUE_SPACE,
        "raume": Category.VENUE_SPACE, "räumlichkeiten": Category.VENUE_SPACE, "saal": Category.VENUE_SPACE,
        "veranstaltungsort": Category.VENUE_SPACE, "salle": Category.VENUE_SPACE, "lieu": Category.VENUE_SPACE,
        "local": Category.VENUE_SPACE, "sala": Category.VENUE_SPACE, "espacio": Category.VENUE_SPACE,
        "food": Category.CATERING, "verpflegung": Category.CATERING, "bewirtung": Category.CATERING,
        "essen": Category.CATERING, "getranke": Category.CATERING, "restauration": Category.CATERING,
        "traiteur": Category.CATERING, "comida": Category.CATERING,
        "travel": Category.TRAVEL_ACCOMMODATION, "accommodation": Category.TRAVEL_ACCOMMODATION,
        "reise": Category.TRAVEL_ACCOMMODATION, "reisekosten": Category.TRAVEL_ACCOMMODATION,
        "fahrt": Category.TRAVEL_ACCOMMODATION, "ubernachtung": Category.TRAVEL_ACCOMMODATION,
        "hotel": Category.TRAVEL_ACCOMMODATION, "voyage": Category.TRAVEL_ACCOMMODATION,
        "hebergement": Category.TRAVEL_ACCOMMODATION, "viaje": Category.TRAVEL_ACCOMMODATION,
        "transport": Category.TRAVEL_ACCOMMODATION, "fahrtkosten": Category.TRAVEL_ACCOMMODATION,
        "alojamiento": Category.TRAVEL_ACCOMMODATION, "transporte": Category.TRAVEL_ACCOMMODATION,
        "viajes": Category.TRAVEL_ACCOMMODATION, "deplacement": Category.TRAVEL_ACCOMMODATION,
        "equipment": Category.EQUIPMENT_GOODS, "goods": Category.EQUIPMENT_GOODS,
        "technik": Category.EQUIPMENT_GOODS, "ausstattung": Category.EQUIPMENT_GOODS,
        "sachmittel": Category.EQUIPMENT_GOODS, "gerate": Category.EQUIPMENT_GOODS,
        "materiel": Category.EQUIPMENT_GOODS, "equipo": Category.EQUIPMENT_GOODS,
        "material": Category.EQUIPMENT_GOODS, "sachspende": Category.EQUIPMENT_GOODS,
        "sachspenden": Category.EQUIPMENT_GOODS, "hardware": Category.EQUIPMENT_GOODS,
        "printing": Category.PRINTING_MERCHANDISE, "merchandise": Category.PRINTING_MERCHANDISE,
        "druck": Category.PRINTING_MERCHANDISE, "drucksachen": Category.PRINTING_MERCHANDISE,
        "merch": Category.PRINTING_MERCHANDISE, "impression": Category.PRINTING_MERCHANDISE,
        "imprenta": Category.PRINTING_MERCHANDISE,
        "services": Category.PROFESSIONAL_SERVICES, "dienstleistung": Category.PROFESSIONAL_SERVICES,
        "beratung": Category.PROFESSIONAL_SERVICES, "pro bono": Category.PROFESSIONAL_SERVICES,
        "services professionnels": Category.PROFESSIONAL_SERVICES,
        "servicios profesionales": Category.PROFESSIONAL_SERVICES,
        "mecenat de competences": Category.PROFESSIONAL_SERVICES,
        "prestation": Category.PROFESSIONAL_SERVICES, "servicios": Category.PROFESSIONAL_SERVICES,
        "staff": Category.STAFF_TIME, "staff time": Category.STAFF_TIME,
        "personal": Category.STAFF_TIME, "arbeitszeit": Category.STAFF_TIME,
        "personalzeit": Category.STAFF_TIME, "temps du personnel": Category.STAFF_TIME,
        "volunteer": Category.VOLUNTEER_TIME, "volunteers": Category.VOLUNTEER_TIME,
        "volunteering": Category.VOLUNTEER_TIME, "ehrenamt": Category.VOLUNTEER_TIME,
        "ehrenamtlich": Category.VOLUNTEER_TIME, "freiwillige": Category.VOLUNTEER_TIME,
        "benevolat": Category.VOLUNTEER_TIME, "voluntariado": Category.VOLUNTEER_TIME,
        "volontariato": Category.VOLUNTEER_TIME,
        "media": Category.MEDIA_ADVERTISING, "advertising": Category.MEDIA_ADVERTISING,
        "ad grants": Category.MEDIA_ADVERTISING, "werbung": Category.MEDIA_ADVERTISING,
        "anzeigen": Category.MEDIA_ADVERTISING, "medien": Category.MEDIA_ADVERTISING,
        "publicite": Category.MEDIA_ADVERTISING, "publicidad": Category.MEDIA_ADVERTISING,
        "prize": Category.PRIZES, "preise": Category.PRIZES, "preis": Category.PRIZES,
        "prix": Category.PRIZES, "premios": Category.PRIZES,
        "software": Category.SOFTWARE_LICENCES, "licences": Category.SOFTWARE_LICENCES,
        "licenses": Category.SOFTWARE_LICENCES, "lizenzen software": Category.SOFTWARE_LICENCES,
        "logiciels": Category.SOFTWARE_LICENCES, "logiciel": Category.SOFTWARE_LICENCES,
        "licencias": Category.SOFTWARE_LICENCES, "licence": Category.SOFTWARE_LICENCES,
        "license": Category.SOFTWARE_LICENCES,
        "content": Category.CONTENT_LICENSING, "data": Category.CONTENT_LICENSING,
        "licensing": Category.CONTENT_LICENSING, "lizenz": Category.CONTENT_LICENSING,
        "lizenzen": Category.CONTENT_LICENSING, "bildrechte": Category.CONTENT_LICENSING,
        "inhalte": Category.CONTENT_LICENSING, "daten": Category.CONTENT_LICENSING,
        "contenu": Category.CONTENT_LICENSING, "contenido": Category.CONTENT_LICENSING,
        "sonstiges": Category.OTHER, "andere": Category.OTHER, "autre": Category.OTHER,
        "otro": Category.OTHER, "altro": Category.OTHER, "misc": Category.OTHER,
        "otros": Category.OTHER, "autres": Category.OTHER, "divers": Category.OTHER,
        "other": Category.OTHER, "miscellaneous": Category.OTHER,
    }
)  # fmt: skip
UNIT_WORDS = _vocabulary(
    {
        "h": Unit.HOURS, "hr": Unit.HOURS, "hrs": Unit.HOURS, "hour": Unit.HOURS,
        "stunde": Unit.HOURS, "stunden": Unit.HOURS, "std": Unit.HOURS, "heure": Unit.HOURS,
        "heures": Unit.HOURS, "hora": Unit.HOURS, "horas": Unit.HOURS, "ore": Unit.HOURS,
        "person": Unit.PERSONS, "people": Unit.PERSONS, "pax": Unit.PERSONS,
        "personen": Unit.PERSONS, "pers": Unit.PERSONS, "teilnehmende": Unit.PERSONS,
        "personnes": Unit.PERSONS, "personas": Unit.PERSONS, "persone": Unit.PERSONS,
        "day": Unit.DAYS, "d": Unit.DAYS, "tag": Unit.DAYS, "tage": Unit.DAYS,
        "jour": Unit.DAYS, "jours": Unit.DAYS, "dia": Unit.DAYS, "dias": Unit.DAYS,
        "giorni": Unit.DAYS, "nights": Unit.DAYS, "night": Unit.DAYS, "nuits": Unit.DAYS,
        "nuit": Unit.DAYS, "noches": Unit.DAYS, "noche": Unit.DAYS, "nachte": Unit.DAYS,
        "m2 days": Unit.SQUARE_METRE_DAYS, "m2 day": Unit.SQUARE_METRE_DAYS,
        "m² days": Unit.SQUARE_METRE_DAYS, "m²·days": Unit.SQUARE_METRE_DAYS,
        "m2 tage": Unit.SQUARE_METRE_DAYS, "m²·tage": Unit.SQUARE_METRE_DAYS,
        "qm tage": Unit.SQUARE_METRE_DAYS, "m2_days": Unit.SQUARE_METRE_DAYS,
        "item": Unit.ITEMS, "pcs": Unit.ITEMS, "pc": Unit.ITEMS, "pieces": Unit.ITEMS,
        "stuck": Unit.ITEMS, "stk": Unit.ITEMS, "exemplare": Unit.ITEMS, "piece": Unit.ITEMS,
        "unidades": Unit.ITEMS, "articulos": Unit.ITEMS, "pezzi": Unit.ITEMS,
        "exemplaires": Unit.ITEMS, "exemplaire": Unit.ITEMS, "unites": Unit.ITEMS,
        "unite": Unit.ITEMS, "copies": Unit.ITEMS, "copy": Unit.ITEMS, "ejemplares": Unit.ITEMS,
        "uds": Unit.ITEMS, "ud": Unit.ITEMS, "unidad": Unit.ITEMS, "stueck": Unit.ITEMS,
    }
)  # fmt: skip
METHOD_WORDS = _vocabulary(
    {
        "fmv": ValuationMethod.FAIR_MARKET_VALUE, "market value": ValuationMethod.FAIR_MARKET_VALUE,
        "marktwert": ValuationMethod.FAIR_MARKET_VALUE, "marktpreis": ValuationMethod.FAIR_MARKET_VALUE,
        "valeur marchande": ValuationMethod.FAIR_MARKET_VALUE, "valor de mercado": ValuationMethod.FAIR_MARKET_VALUE,
        "donor": ValuationMethod.DONOR_STATED, "stated by donor": ValuationMethod.DONOR_STATED,
        "donor stated": ValuationMethod.DONOR_STATED, "spenderangabe": ValuationMethod.DONOR_STATED,
        "angabe spender": ValuationMethod.DONOR_STATED, "declare par le donateur": ValuationMethod.DONOR_STATED,
        "standard": ValuationMethod.STANDARD_RATE, "rate": ValuationMethod.STANDARD_RATE,
        "pauschale": ValuationMethod.STANDARD_RATE, "pauschal": ValuationMethod.STANDARD_RATE,
        "standardsatz": ValuationMethod.STANDARD_RATE, "taux standard": ValuationMethod.STANDARD_RATE,
        "waived": ValuationMethod.WAIVED_INVOICE, "waived invoice": ValuationMethod.WAIVED_INVOICE,
        "erlassene rechnung": ValuationMethod.WAIVED_INVOICE, "rechnungsverzicht": ValuationMethod.WAIVED_INVOICE,
        "facture annulee": ValuationMethod.WAIVED_INVOICE,
        "factura condonada": ValuationMethod.WAIVED_INVOICE, "factura anulada": ValuationMethod.WAIVED_INVOICE,
        "prix du marche": ValuationMethod.FAIR_MARKET_VALUE, "valeur du marche": ValuationMethod.FAIR_MARKET_VALUE,
        "precio de mercado": ValuationMethod.FAIR_MARKET_VALUE, "declarado por el donante": ValuationMethod.DONOR_STATED,
        "segun donante": ValuationMethod.DONOR_STATED, "tarifa estandar": ValuationMethod.STANDARD_RATE,
        "bareme": ValuationMethod.STANDARD_RATE, "tarif standard": ValuationMethod.STANDARD_RATE,
    }
)  # fmt: skip
for _choices, _words in (
    (Category, CATEGORY_WORDS),
    (Unit, UNIT_WORDS),
    (ValuationMethod, METHOD_WORDS),
):
    for _value, _label in _choices.choices:
        _words.setdefault(fold(_value), _value)
        _words.setdefault(fold(str(_label)), _value)
        _words.setdefault(fold(_value.replace("_", " ")), _value)

TRUE_WORDS = {
    fold(w)
    for w in (
        "yes",
        "y",
        "true",
        "1",
        "x",
        "ja",
        "j",
        "oui",
        "si",
        "sí",
        "wahr",
        "vertraulich",
        "confidential",
    )
}
FALSE_WORDS = {fold(w) for w in ("no", "n", "false", "0", "nein", "non", "falsch", "")}
