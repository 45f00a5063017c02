"""The test wiki's pages, shaped like the tables on Meta-Wiki (../shared/reference/domain.md §3.3)."""

IBEROCOOP = """\
'''Iberocoop''' is a regional cooperation of Wikimedia affiliates.

== Miembros ==
{| class="wikitable sortable"
|+ Miembros de Iberocoop
! Nombre !! Área de operación !! Fecha de reconocimiento !! Representantes !! Idioma !! Sitio web
|-
| [[Wikimedia Argentina|Wikimedia Argentina]] || {{flag|Argentina}} || 2007 || [[User:Example|Example]] || español || [https://www.wikimedia.org.ar wikimedia.org.ar]
|-
| style="background:#eef" | '''Amical Wikimedia''' || rowspan="2" | España<ref>Catalan language and culture</ref> || 2013 || Example Two<br />Example Three || català || [https://www.wikimedia.cat]
|-
| [[Wikimedia España]] || 2011 || ''someone'' || español || https://www.wikimedia.es
|-
| Wikimedia México
| México
| colspan="2" | (no data)
| español
|
|}
"""

CHAPTERS = """\
== Chapters in discussion phase ==
{| class="wikitable"
! country code !! Chapter !! Status !! Articles of Incorporation-Website !! Mailing list !! Contact !! Last update
|-
| XX || [[Wikimedia Testland]] || writing bylaws || [https://example.org/bylaws bylaws] || — || [[User:Someone]] || 2016-05-01
|}

== Partnership interactions ==
{| class="wikitable"
|-
! Activity/Purpose of Meeting !! Date and Duration !! Institute !! Location !! Names of Attendees !! Links
|-
| Planning meeting || 2016-03-02, 2 hours || [[National Library of Wales]] || Aberystwyth || A, B || [https://example.org/notes notes]
|-
| Training || 2016-04-10 || [[National Library of Wales|NLW]] || Aberystwyth || C ||
|}
"""

PAGES = {
    "Iberocoop": IBEROCOOP,
    "Iberocoop/Members": "#REDIRECT [[Iberocoop]]",
    "Chapters and interactions": CHAPTERS,
    "Redirect to nowhere": "#REDIRECT [[No such page]]",
    "No tables": "Just text.",
}
