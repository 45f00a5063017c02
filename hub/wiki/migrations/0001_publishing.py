# A placeholder: the publishing work makes this migration; it is empty here so that 0002_wikidata
# can depend on it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_wikidata_fields")]

    operations = []
