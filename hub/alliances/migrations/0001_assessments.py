# A placeholder for the assessments' migration (built on another branch); replaced at merge.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_drop_fingerprint_index")]
    operations = []
