"""Writing the dumps' files: one dataset as CSV, JSON and JSON-LD in a single pass over its
rows, and the folder's README and licence.

CSV cells are formula-neutralized (hub.core.formulas); JSON and JSON-LD keep the text as it is.
"""

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from hub.api.opendata.datasets import Dataset
from hub.core.formulas import neutralize, safe_cell


def csv_value(value: Any) -> Any:
    """A CSV cell; text neutralized as in every spreadsheet the hub writes (the JSON stays raw)."""
    if isinstance(value, list):
        return neutralize("|".join(str(v) for v in value))
    if isinstance(value, dict):
        return neutralize("|".join(f"{key}: {item}" for key, item in sorted(value.items())))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return safe_cell(value)


def write_dataset(folder: Path, dataset: Dataset) -> dict[str, Any]:
    """Write `dataset` into `folder` as CSV, JSON and (if it has one) JSON-LD, reading its rows
    once; return its manifest entry (name, title, count, files). Used by `publish.build`."""
    names = [name for name, _meaning in dataset.columns]
    csv_names = [n for n in names if n != "participants"]
    count = 0
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    files = [f"{dataset.name}.csv", f"{dataset.name}.json"]
    with (
        open(folder / files[0], "w", newline="", encoding="utf-8") as csv_file,
        open(folder / files[1], "w", encoding="utf-8") as json_file,
    ):
        jsonld_file = None
        if dataset.jsonld is not None:
            files.append(f"{dataset.name}.jsonld")
            jsonld_file = open(folder / files[2], "w", encoding="utf-8")  # noqa: SIM115
            jsonld_file.write('{"@context": "https://schema.org", "@graph": [\n')
        writer = csv.writer(csv_file)
        writer.writerow(csv_names)
        json_file.write("[\n")
        try:
            for row in dataset.rows():
                prefix = ",\n" if count else ""
                writer.writerow([csv_value(row[n]) for n in csv_names])
                json_file.write(prefix + encoder.encode(row))
                if jsonld_file is not None and dataset.jsonld is not None:
                    jsonld_file.write(prefix + encoder.encode(dataset.jsonld(row)))
                count += 1
        finally:
            json_file.write("\n]\n")
            if jsonld_file is not None:
                jsonld_file.write("\n]}\n")
                jsonld_file.close()
    return {"name": dataset.name, "title": dataset.title, "count": count, "files": files}


LICENCE = """The data in this folder is dedicated to the public domain under Creative Commons CC0 1.0
Universal (https://creativecommons.org/publicdomain/zero/1.0/). To the extent possible under law,
the Partnership Hub's operators waive all copyright and related rights to it. You may copy, modify,
distribute and use it, even commercially, without asking permission. Credit is welcome, not required.
"""


def readme(manifest: dict[str, Any], datasets: Iterable[Dataset]) -> str:
    lines = [
        "# Partnership Hub open data",
        "",
        f"Generated {manifest['generated_at']} from {settings.SITE_URL}.",
        "",
        "Every public record of the hub, as CSV (UTF-8, comma separated, header row), JSON (an array of",
        "objects) and, where it fits, JSON-LD (schema.org; organizations carry their Wikidata item as",
        "`sameAs`). Contact people, partnerships visible only to the movement or to their participants,",
        "and confidential contributions are never included.",
        "",
        "## Licence",
        "",
        LICENCE.strip(),
        "",
    ]
    counts = {d["name"]: d["count"] for d in manifest["datasets"]}
    for dataset in datasets:
        lines += [
            f"## {dataset.name}",
            "",
            f"{dataset.title} ({counts[dataset.name]} records).",
            "",
        ]
        lines += ["| field | meaning |", "|---|---|"]
        lines += [f"| `{name}` | {meaning} |" for name, meaning in dataset.columns]
        lines.append("")
    return "\n".join(lines)
