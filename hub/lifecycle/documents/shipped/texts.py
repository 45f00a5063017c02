"""The texts of the templates the hub ships, per kind and language: the hub's own proposals for
a first draft (not legal advice, not reviewed by a lawyer), to be read and adapted before signing.

Each text is a list of (style, line): style "title", "h" (a heading), "p" (a paragraph), "table"
(the parties' table: its line is the two column headings, separated by "|"). Lines are written in
the template language of syntax.py; build.py turns them into .fodt and wikitext files.
"""

from __future__ import annotations

Line = tuple[str, str]

FOR_PARTY = "{% for party in parties %}"
PARTY_BLOCK_EN: list[Line] = [
    ("p", FOR_PARTY),
    ("p", "For {{ party.name }}:"),
    ("p", "Name: {{ party.signatory }}"),
    ("p", "Position: {{ party.signatory_role }}"),
    ("p", "Date: {{ party.signed_on }}"),
    ("p", "Signature: ______________________________"),
    ("p", "{% endfor %}"),
]
PARTY_BLOCK_DE: list[Line] = [
    ("p", FOR_PARTY),
    ("p", "Für {{ party.name }}:"),
    ("p", "Name: {{ party.signatory }}"),
    ("p", "Funktion: {{ party.signatory_role }}"),
    ("p", "Datum: {{ party.signed_on }}"),
    ("p", "Unterschrift: ______________________________"),
    ("p", "{% endfor %}"),
]


def _goals(heading: str, intro: str) -> list[Line]:
    return [
        ("h", heading),
        ("p", "{{ partnership.description }}"),
        ("p", intro),
        ("p", "{% for goal in goals %}"),
        ("p", "– {{ goal.name }}"),
        ("p", "{% endfor %}"),
    ]


def _dates(text: str) -> list[Line]:
    return [("p", "{% if partnership.start_date %}"), ("p", text), ("p", "{% endif %}")]


def _commitments(heading: str, line: str) -> list[Line]:
    return [
        ("p", "{% if commitments %}"),
        ("h", heading),
        ("p", "{% for commitment in commitments %}"),
        ("p", line),
        ("p", "{% endfor %}"),
        ("p", "{% endif %}"),
    ]


def _clauses(heading: str, intro: str) -> list[Line]:
    return [
        ("p", "{% if clauses %}"),
        ("h", heading),
        ("p", intro),
        ("p", "{% for clause in clauses %}"),
        ("p", "{{ clause.topic }}: {{ clause.note }}"),
        ("p", "{% endfor %}"),
        ("p", "{% endif %}"),
    ]


PARTIES_TABLE_EN: Line = ("table", "Party|Address and executing unit")
PARTIES_TABLE_DE: Line = ("table", "Partei|Anschrift und ausführende Stelle")

EN_COMMITMENT = "{{ commitment.donor }}: {{ commitment.category }}, {{ commitment.description }} (valued at {{ commitment.value }}, {{ commitment.date }})"
DE_COMMITMENT = "{{ commitment.donor }}: {{ commitment.category }}, {{ commitment.description }} (Wert: {{ commitment.value }}, {{ commitment.date }})"

TEXTS: dict[tuple[str, str], tuple[str, list[Line]]] = {
    ("letter_of_intent", "en"): (
        "Letter of intent",
        [
            ("title", "Letter of intent"),
            ("p", "{{ today }}"),
            ("p", "Partnership: “{{ partnership.title }}”"),
            (
                "p",
                "This letter records the intention of {{ lead.name }} and {{ partner.name }} to work together in the partnership named above. It states what the parties intend to do; it does not create legal obligations for either of them.",
            ),
            ("h", "The parties"),
            PARTIES_TABLE_EN,
            *_goals("What we intend to do", "The partnership pursues these goals:"),
            *_dates("We intend to begin on {{ partnership.start_date }}."),
            ("p", "{% if partnership.end_date %}"),
            ("p", "The partnership is planned to run until {{ partnership.end_date }}."),
            ("p", "{% endif %}"),
            *_commitments("Contributions in kind", EN_COMMITMENT),
            ("h", "Next steps"),
            (
                "p",
                "The parties will settle the details of their cooperation, such as roles, communication, licences and attribution, in a further agreement.",
            ),
            ("h", "Signatures"),
            *PARTY_BLOCK_EN,
        ],
    ),
    ("letter_of_intent", "de"): (
        "Absichtserklärung",
        [
            ("title", "Absichtserklärung"),
            ("p", "{{ today }}"),
            ("p", "Vorhaben: „{{ partnership.title }}“"),
            (
                "p",
                "Mit diesem Schreiben erklären {{ lead.name }} und {{ partner.name }} ihre Absicht, im oben genannten Vorhaben zusammenzuarbeiten. Die Erklärung hält fest, was die Parteien beabsichtigen; rechtliche Verpflichtungen begründet sie für keine der Parteien.",
            ),
            ("h", "Die Parteien"),
            PARTIES_TABLE_DE,
            *_goals("Was wir vorhaben", "Die Zusammenarbeit verfolgt folgende Ziele:"),
            *_dates(
                "Wir beabsichtigen, die Zusammenarbeit am {{ partnership.start_date }} aufzunehmen."
            ),
            ("p", "{% if partnership.end_date %}"),
            ("p", "Sie ist bis zum {{ partnership.end_date }} geplant."),
            ("p", "{% endif %}"),
            *_commitments("Sachleistungen", DE_COMMITMENT),
            ("h", "Weiteres Vorgehen"),
            (
                "p",
                "Die Einzelheiten der Zusammenarbeit, etwa Aufgaben, Kommunikation, Lizenzen und Namensnennung, regeln die Parteien in einer gesonderten Vereinbarung.",
            ),
            ("h", "Unterschriften"),
            *PARTY_BLOCK_DE,
        ],
    ),
    ("mou", "en"): (
        "Memorandum of understanding",
        [
            ("title", "Memorandum of understanding"),
            ("p", "{{ agreement.title }}"),
            (
                "p",
                "between the parties listed below, concerning the partnership “{{ partnership.title }}”.",
            ),
            ("h", "1. The parties"),
            PARTIES_TABLE_EN,
            *_goals("2. Purpose", "The parties share these goals:"),
            ("h", "3. Term"),
            ("p", "{% if agreement.effective_date %}"),
            ("p", "This memorandum takes effect on {{ agreement.effective_date }}."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.end_date %}"),
            ("p", "It ends on {{ agreement.end_date }} unless the parties renew it."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.renewal_date %}"),
            ("p", "The parties will decide on its renewal by {{ agreement.renewal_date }}."),
            ("p", "{% endif %}"),
            *_commitments("4. Contributions in kind", EN_COMMITMENT),
            *_clauses(
                "5. What the parties have agreed",
                "The parties have agreed on the following points:",
            ),
            ("p", "{% if agreement.licence %}"),
            (
                "p",
                "Content contributed to Wikimedia projects is released under: {{ agreement.licence }}.",
            ),
            ("p", "{% endif %}"),
            ("h", "6. Nature of this memorandum"),
            (
                "p",
                "This memorandum describes how the parties intend to cooperate. Either party may end its participation by notifying the other parties in writing.",
            ),
            ("h", "Signatures"),
            *PARTY_BLOCK_EN,
        ],
    ),
    ("mou", "de"): (
        "Absichtsvereinbarung (Memorandum of Understanding)",
        [
            ("title", "Absichtsvereinbarung (Memorandum of Understanding)"),
            ("p", "{{ agreement.title }}"),
            (
                "p",
                "zwischen den unten genannten Parteien über die Zusammenarbeit „{{ partnership.title }}“.",
            ),
            ("h", "1. Die Parteien"),
            PARTIES_TABLE_DE,
            *_goals("2. Zweck", "Die Parteien verfolgen gemeinsam folgende Ziele:"),
            ("h", "3. Laufzeit"),
            ("p", "{% if agreement.effective_date %}"),
            ("p", "Diese Vereinbarung gilt ab dem {{ agreement.effective_date }}."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.end_date %}"),
            (
                "p",
                "Sie endet am {{ agreement.end_date }}, sofern die Parteien sie nicht verlängern.",
            ),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.renewal_date %}"),
            (
                "p",
                "Über eine Verlängerung entscheiden die Parteien bis zum {{ agreement.renewal_date }}.",
            ),
            ("p", "{% endif %}"),
            *_commitments("4. Sachleistungen", DE_COMMITMENT),
            *_clauses(
                "5. Vereinbarte Punkte", "Die Parteien haben sich über folgende Punkte verständigt:"
            ),
            ("p", "{% if agreement.licence %}"),
            (
                "p",
                "Inhalte, die in Wikimedia-Projekte eingebracht werden, stehen unter folgender Lizenz: {{ agreement.licence }}.",
            ),
            ("p", "{% endif %}"),
            ("h", "6. Charakter dieser Vereinbarung"),
            (
                "p",
                "Diese Vereinbarung beschreibt, wie die Parteien zusammenarbeiten wollen. Jede Partei kann ihre Mitwirkung durch schriftliche Mitteilung an die übrigen Parteien beenden.",
            ),
            ("h", "Unterschriften"),
            *PARTY_BLOCK_DE,
        ],
    ),
    ("partnership_agreement", "en"): (
        "Partnership agreement",
        [
            ("title", "Partnership agreement"),
            ("p", "{{ agreement.title }}"),
            ("p", "concerning the partnership “{{ partnership.title }}”"),
            ("h", "§ 1 Parties"),
            PARTIES_TABLE_EN,
            *_goals("§ 2 Subject", "The parties work together towards these goals:"),
            ("h", "§ 3 Term"),
            ("p", "{% if agreement.effective_date %}"),
            ("p", "This agreement comes into force on {{ agreement.effective_date }}."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.end_date %}"),
            ("p", "It ends on {{ agreement.end_date }}."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.renewal_date %}"),
            (
                "p",
                "Notice of termination or a request to renew must be given by {{ agreement.renewal_date }}.",
            ),
            ("p", "{% endif %}"),
            *_commitments("§ 4 Contributions in kind", EN_COMMITMENT),
            *_clauses("§ 5 Agreed provisions", "The parties agree on the following:"),
            ("h", "§ 6 Licence"),
            ("p", "{% if agreement.licence %}"),
            (
                "p",
                "Content that the parties contribute to Wikimedia projects under this agreement is released under {{ agreement.licence }}.",
            ),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.vrt_ticket %}"),
            ("p", "The permission is recorded in VRT ticket {{ agreement.vrt_ticket }}."),
            ("p", "{% endif %}"),
            ("h", "§ 7 Final provisions"),
            (
                "p",
                "Changes to this agreement must be made in writing. Should a provision be invalid, the remaining provisions stay in force.",
            ),
            ("h", "Signatures"),
            *PARTY_BLOCK_EN,
        ],
    ),
    ("partnership_agreement", "de"): (
        "Kooperationsvereinbarung",
        [
            ("title", "Kooperationsvereinbarung"),
            ("p", "{{ agreement.title }}"),
            ("p", "über die Zusammenarbeit „{{ partnership.title }}“"),
            ("h", "§ 1 Vertragsparteien"),
            PARTIES_TABLE_DE,
            *_goals("§ 2 Gegenstand", "Die Parteien arbeiten gemeinsam auf folgende Ziele hin:"),
            ("h", "§ 3 Laufzeit"),
            ("p", "{% if agreement.effective_date %}"),
            ("p", "Diese Vereinbarung tritt am {{ agreement.effective_date }} in Kraft."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.end_date %}"),
            ("p", "Sie endet am {{ agreement.end_date }}."),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.renewal_date %}"),
            (
                "p",
                "Eine Kündigung oder der Wunsch nach Verlängerung ist bis zum {{ agreement.renewal_date }} mitzuteilen.",
            ),
            ("p", "{% endif %}"),
            *_commitments("§ 4 Sachleistungen", DE_COMMITMENT),
            *_clauses("§ 5 Vereinbarte Regelungen", "Die Parteien vereinbaren Folgendes:"),
            ("h", "§ 6 Lizenz"),
            ("p", "{% if agreement.licence %}"),
            (
                "p",
                "Inhalte, die die Parteien im Rahmen dieser Vereinbarung in Wikimedia-Projekte einbringen, werden unter {{ agreement.licence }} veröffentlicht.",
            ),
            ("p", "{% endif %}"),
            ("p", "{% if agreement.vrt_ticket %}"),
            ("p", "Die Freigabe ist im VRT-Ticket {{ agreement.vrt_ticket }} dokumentiert."),
            ("p", "{% endif %}"),
            ("h", "§ 7 Schlussbestimmungen"),
            (
                "p",
                "Änderungen dieser Vereinbarung bedürfen der Schriftform. Sollte eine Bestimmung unwirksam sein, bleiben die übrigen Bestimmungen davon unberührt.",
            ),
            ("h", "Unterschriften"),
            *PARTY_BLOCK_DE,
        ],
    ),
}
