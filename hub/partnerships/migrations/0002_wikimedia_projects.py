from django.db import migrations

PROJECTS = [
    ("wikipedia", "Wikipedia"),
    ("commons", "Wikimedia Commons"),
    ("wikidata", "Wikidata"),
    ("wikisource", "Wikisource"),
    ("wikibooks", "Wikibooks"),
    ("wikiversity", "Wikiversity"),
    ("wikivoyage", "Wikivoyage"),
    ("wiktionary", "Wiktionary"),
    ("wikiquote", "Wikiquote"),
    ("wikinews", "Wikinews"),
    ("wikispecies", "Wikispecies"),
    ("wikifunctions", "Wikifunctions"),
    ("meta", "Meta-Wiki"),
    ("mediawiki", "MediaWiki"),
]


def add_projects(apps, schema_editor):
    WikimediaProject = apps.get_model("partnerships", "WikimediaProject")
    for code, name in PROJECTS:
        WikimediaProject.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]
    operations = [migrations.RunPython(add_projects, migrations.RunPython.noop)]
