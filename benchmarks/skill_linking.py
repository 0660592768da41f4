"""Skill linking quality and speed on Decorte et al.'s dev splits (HOUSE and TECH).

Side by side, in one run and with the same candidates (the 13,896 ESCO labels of
``skills_en_label.txt``): BM25 alone, embeddings alone (cosine of the sentence and each
label), and Cairn's linker. Quality is RP@5, RP@10 and MRR, computed by the code
``cairn skills eval`` runs; speed is sentences per second with the BLAS pool held to one
thread; memory is the model's table and the stored vectors.

Alternative labels come from ESCO v1.2.0 (``../shared/data/esco/v1.2.0-rebuilt``), as
``cairn skills eval`` takes them from an imported ESCO; ``--labels-only`` leaves them out.

    .venv/bin/python benchmarks/skill_linking.py [--shared ../shared/data] [--labels-only]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from cairn.intelligence import evaluation
from cairn.intelligence.concepts import Concept
from cairn.intelligence.embedders import embedder_named
from cairn.intelligence.index import compute
from cairn.intelligence.linker import Linker

SETS = {"HOUSE": "house_validation_annotations.csv", "TECH": "tech_validation_annotations.csv"}
Scorer = Callable[[str], npt.NDArray[np.float32]]


def alternative_labels(shared: Path) -> dict[str, tuple[str, ...]]:
    path = shared / "esco" / "v1.2.0-rebuilt" / "skills_en.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return {
            " ".join(row["preferredLabel"].casefold().split()): tuple(
                alt.strip() for alt in row["altLabels"].splitlines() if alt.strip()
            )
            for row in csv.DictReader(handle)
        }


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--labels-only", action="store_true")
    parser.add_argument("--embedder", default="wordllama")
    arguments = parser.parse_args()
    folder = arguments.shared / "skills-eval-dev"
    labels = evaluation.read_labels(folder / "skills_en_label.txt")
    alts = {} if arguments.labels_only else alternative_labels(arguments.shared)

    before = rss_mib()
    embedder = embedder_named(arguments.embedder)
    concepts = [
        Concept(label, label, alts.get(" ".join(label.casefold().split()), ())) for label in labels
    ]
    started = time.perf_counter()
    index = compute(concepts, embedder)
    built = time.perf_counter() - started
    vectors_mib = (index.labels.nbytes + index.alts.nbytes) / 2**20
    print(
        f"model {embedder.name}; {len(labels):,} labels and {len(index.alts):,} alternative "
        f"labels embedded in {built:.1f} s; vectors {vectors_mib:.0f} MiB in memory "
        f"(half on disk, float16); process grew {rss_mib() - before:.0f} MiB with the model"
    )
    systems: dict[str, Linker] = {
        "BM25 (labels)": Linker(index, embedder, use_dense=False),
        "Embeddings (sentence vs label)": Linker(
            index, embedder, use_windows=False, use_lexical=False, use_alt_labels=False
        ),
        "Cairn linker": Linker(index, embedder),
    }
    print()
    print("| System | Set | RP@5 | RP@10 | MRR | sentences/s (1 core) |")
    print("|---|---|---:|---:|---:|---:|")
    for name, linker in systems.items():
        linker.rank("warm up")
        for set_name, file in SETS.items():
            queries = evaluation.read_sentence_skills(folder / file)
            with threadpool_limits(1):
                started = time.perf_counter()
                report = evaluation.evaluate(
                    queries,
                    labels,
                    linker.rank,
                    cutoffs=(5, 10),
                    metric=evaluation.r_precision_at,
                )
                elapsed = time.perf_counter() - started
            print(
                f"| {name} | {set_name} ({report.queries}) | {100 * report.at[5]:.1f} "
                f"| {100 * report.at[10]:.1f} | {100 * report.mrr:.1f} "
                f"| {report.queries / elapsed:,.0f} |"
            )


if __name__ == "__main__":
    main()
