from django.db import migrations

import hub.core.weburl


def complete_websites(apps, schema_editor):
    """Websites were free text: a bare host ("wikimedia.at") becomes https://wikimedia.at, as the
    pages linked it. A value that is still no http(s) address is kept as it is and shown as text,
    never as a link (the `web_link` tag), until someone corrects it."""
    Organization = apps.get_model("directory", "Organization")
    for org in Organization.objects.exclude(website="").only("pk", "website").iterator():
        if hub.core.weburl.is_web_url(org.website):
            continue
        words = org.website.split()
        first = words[0] if words else ""
        candidate = first if "://" in first else f"https://{first}"
        if hub.core.weburl.is_web_url(candidate):
            Organization.objects.filter(pk=org.pk).update(website=candidate)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_organization_updated_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="website",
            field=hub.core.weburl.WebURLField(blank=True, verbose_name="website"),
        ),
        migrations.RunPython(complete_websites, migrations.RunPython.noop, elidable=True),
    ]
