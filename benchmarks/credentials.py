"""Credentials issued and verified per second per core, for each proof type.

Issue 7 asks for eddsa-rdfc-2022, eddsa-jcs-2022 and vc+jwt side by side with two
yardsticks measured in the same run: raw Ed25519 (sign or verify 64 bytes, the physical
limit of any of them) and a plain pyld pipeline (``jsonld.normalize`` with URDNA2015 of
the proof configuration and the document, a loader that serves the shipped contexts with
no caching beyond pyld's own, SHA-256, Ed25519), which is what Cairn did before. Goals:
eddsa-rdfc-2022 verification at least 10x the plain pipeline, eddsa-jcs-2022 verification
at least 3,000 per second per core, and 10,000 eddsa-rdfc-2022 credentials signed well
inside the minute a bulk issue of 10,000 may take.

The credentials are realistic Open Badges 3.0 ``OpenBadgeCredential`` documents (contexts
VC 2.0 + OB 3.0.3; issuer profile, achievement with criteria, 3-5 aligned skills, a result
description and a result, evidence, a hashed e-mail identifier) and they are all
different: ``--credentials`` learners (default 1,000) with their own ids, names, dates,
scores and skills, cycled. Nothing is cached per credential, so verifying the same one
again costs what verifying a new one does.

Each row runs for ``--seconds`` in this one process after a warm-up (the shipped contexts
are processed once per process, as in a server). "Per second" is operations per CPU
second of this process (so other work on the machine does not count against it); "ms"
is CPU milliseconds per operation.

    .venv/bin/python benchmarks/credentials.py [--seconds 3] [--credentials 1000] [--bulk 10000] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from rich.console import Console
from rich.table import Table

from cairn.credentials import data_integrity, jose, multikey
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.jsonld import DocumentLoader, JsonObject, pyld_nquads
from cairn.credentials.resolution import DidResolver
from cairn.credentials.verification import Verdict, Verifier

SEED = 2026
RDFC_VERIFY_GOAL = 10.0
"""eddsa-rdfc-2022 verification over the plain pyld pipeline."""
JCS_VERIFY_GOAL = 3_000.0
"""eddsa-jcs-2022 verifications per second per core."""
BULK_GOAL_SECONDS = 60.0

SKILLS = [
    ("S1.1", "Browse, search and filter data"),
    ("S1.4", "Collaborate through digital technologies"),
    ("S2.2", "Share information and content"),
    ("S3.1", "Develop digital content"),
    ("S4.2", "Protect personal data and privacy"),
    ("S5.1", "Solve technical problems"),
    ("S5.6.1", "Use spreadsheet software"),
    ("S5.6.2", "Manage data in spreadsheets"),
]
GIVEN = ["Lena", "Amir", "Chloé", "Jonas", "Mei", "Olúwaseun", "Sofia", "Rahul", "Ana", "Kwame"]
FAMILY = ["Whitford", "Haddad", "Tremblay", "Berg", "Chen", "Adeyemi", "Rossi", "Nair", "Silva"]
WORK = ["household budget", "stock tracker", "rota planner", "sales dashboard", "grant tracker"]


def credential(index: int, issuer: str) -> JsonObject:
    """The ``index``-th learner's Open Badge, different from every other one."""
    rng = random.Random(SEED * 100_003 + index)  # noqa: S311 - benchmark data, not security
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    email = f"{name.split()[0].lower()}.{index}@learners.example"
    salt = f"{rng.getrandbits(64):016x}"
    day = 1 + rng.randrange(28)
    score = rng.randint(70, 100)
    skills = rng.sample(SKILLS, rng.randint(3, 5))
    work = rng.choice(WORK)
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{rng.getrandbits(128):032x}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Spreadsheet Foundations",
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": "Lakeshore College",
            "url": "https://lakeshore.example/",
            "email": "registrar@lakeshore.example",
        },
        "validFrom": f"2026-0{1 + index % 9}-{day:02d}T10:00:00Z",
        "validUntil": f"2031-0{1 + index % 9}-{day:02d}T10:00:00Z",
        "credentialSubject": {
            "id": f"did:example:learner:{rng.getrandbits(96):024x}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": "sha256$"
                    + hashlib.sha256((email + salt).encode("utf-8")).hexdigest(),
                }
            ],
            "activityEndDate": f"2025-12-{day:02d}T16:00:00Z",
            "achievement": {
                "id": "https://cairn.example/specifications/spreadsheet-foundations/versions/3",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": "Spreadsheet Foundations",
                "description": "Build, check and share spreadsheets colleagues can trust.",
                "criteria": {
                    "narrative": "Complete four practical tasks and a proctored assessment "
                    "with a score of at least 70%."
                },
                "creditsAvailable": 1.5,
                "inLanguage": "en",
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": label,
                        "targetCode": code,
                        "targetFramework": "Cairn digital skills framework",
                        "targetUrl": f"https://cairn.example/skills/{code}",
                        "targetType": "CFItem",
                    }
                    for code, label in skills
                ],
                "resultDescription": [
                    {
                        "id": "https://cairn.example/specifications/spreadsheet-foundations/results/final",
                        "type": ["ResultDescription"],
                        "name": "Final assessment",
                        "resultType": "Percent",
                        "valueMin": "0",
                        "valueMax": "100",
                        "requiredValue": "70",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": "https://cairn.example/specifications/spreadsheet-foundations/results/final",
                    "value": str(score),
                }
            ],
            "creditsEarned": 1.5,
        },
        "evidence": [
            {
                "id": f"https://cairn.example/evidence/{index}/portfolio",
                "type": ["Evidence"],
                "name": f"A {work}",
                "description": f"{name} built a {work} and explained its checks.",
                "genre": "Portfolio",
                "audience": "Employers",
            }
        ],
    }


@dataclass
class Row:
    operation: str
    proof: str
    per_second: float
    ms_per_op: float
    operations: int
    cpu_seconds: float


def measure(
    operation: str, proof: str, step: Callable[[int], object], seconds: float, warm: int = 20
) -> Row:
    """Calls ``step(0)``, ``step(1)``, ... for ``seconds`` of CPU time after ``warm`` calls."""
    for index in range(warm):
        step(index)
    count = 0
    start = time.process_time()
    deadline = start + seconds
    now = start
    while now < deadline:
        for _ in range(10):
            step(count)
            count += 1
        now = time.process_time()
    cpu = now - start
    return Row(operation, proof, count / cpu, 1000 * cpu / count, count, cpu)


def plain_pyld_verify(signed: JsonObject, public: bytes, loader: DocumentLoader) -> bool:
    """What eddsa-rdfc-2022 verification was with pyld alone."""
    proof = dict(signed["proof"])
    signature = multikey.decode_multibase(proof.pop("proofValue"))
    unsecured = {key: value for key, value in signed.items() if key != "proof"}
    proof["@context"] = unsecured["@context"]
    data = (
        hashlib.sha256(pyld_nquads(proof, loader).encode("utf-8")).digest()
        + hashlib.sha256(pyld_nquads(unsecured, loader).encode("utf-8")).digest()
    )
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except InvalidSignature:
        return False
    return True


def plain_pyld_sign(
    document: JsonObject, key: Ed25519PrivateKey, options: ProofOptions, loader: DocumentLoader
) -> str:
    proof = options.as_json(Cryptosuite.EDDSA_RDFC_2022)
    proof["@context"] = document["@context"]
    data = (
        hashlib.sha256(pyld_nquads(proof, loader).encode("utf-8")).digest()
        + hashlib.sha256(pyld_nquads(document, loader).encode("utf-8")).digest()
    )
    return multikey.encode_multibase(key.sign(data))


def run(seconds: float, count: int, bulk: int) -> tuple[list[Row], dict[str, Any]]:
    key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"cairn benchmark issuer").digest())
    public = key.public_key().public_bytes_raw()
    method = multikey.did_key_method(public)
    issuer = multikey.did_key(public)
    options = ProofOptions(method, "2026-12-04T10:00:00Z")
    credentials = [credential(index, issuer) for index in range(count)]
    loader = DocumentLoader()  # no contexts processed yet, like a fresh process
    plain_loader = DocumentLoader()
    verifier = Verifier(keys=DidResolver(), loader=loader)

    signed: dict[Cryptosuite, list[JsonObject]] = {
        suite: [data_integrity.sign(doc, key, options, suite, loader) for doc in credentials]
        for suite in Cryptosuite
    }
    tokens = [jose.sign(doc, key, method) for doc in credentials]
    messages = [hashlib.sha512(str(index).encode()).digest() for index in range(count)]
    signatures = [key.sign(message) for message in messages]
    verifying_key = key.public_key()

    sample = (
        signed[Cryptosuite.EDDSA_RDFC_2022][0],
        signed[Cryptosuite.EDDSA_JCS_2022][0],
        tokens[0],
    )
    for item in sample:
        if verifier.verify(item).verdict is not Verdict.VERIFIED:
            raise SystemExit(
                f"a sample credential was not verified: {verifier.verify(item).as_json()}"
            )
    if not plain_pyld_verify(signed[Cryptosuite.EDDSA_RDFC_2022][0], public, plain_loader):
        raise SystemExit("the plain pyld pipeline does not verify what Cairn signed")
    if (
        plain_pyld_sign(credentials[0], key, options, plain_loader)
        != signed[Cryptosuite.EDDSA_RDFC_2022][0]["proof"]["proofValue"]
    ):
        raise SystemExit("the plain pyld pipeline does not sign what Cairn signs")

    def di_verify(suite: Cryptosuite) -> Callable[[int], object]:
        def step(index: int) -> object:
            document = signed[suite][index % count]
            if not data_integrity.verify(document, document["proof"], public, loader):
                raise AssertionError("a valid credential did not verify")
            return None

        return step

    def di_sign(suite: Cryptosuite) -> Callable[[int], object]:
        return lambda index: data_integrity.sign(
            credentials[index % count], key, options, suite, loader
        )

    def graded(items: list[Any]) -> Callable[[int], object]:
        def step(index: int) -> object:
            if verifier.verify(items[index % count]).verdict is not Verdict.VERIFIED:
                raise AssertionError("a valid credential was not verified")
            return None

        return step

    rows = [
        measure("sign 64 bytes", "raw Ed25519", lambda i: key.sign(messages[i % count]), seconds),
        measure(
            "verify 64 bytes",
            "raw Ed25519",
            lambda i: verifying_key.verify(signatures[i % count], messages[i % count]),
            seconds,
        ),
        measure(
            "issue",
            "plain pyld (rdfc)",
            lambda i: plain_pyld_sign(credentials[i % count], key, options, plain_loader),
            seconds,
            warm=3,
        ),
        measure(
            "verify proof",
            "plain pyld (rdfc)",
            lambda i: plain_pyld_verify(
                signed[Cryptosuite.EDDSA_RDFC_2022][i % count], public, plain_loader
            ),
            seconds,
            warm=3,
        ),
    ]
    for suite in Cryptosuite:
        rows.append(measure("issue", suite.value, di_sign(suite), seconds))
        rows.append(measure("verify proof", suite.value, di_verify(suite), seconds))
    rows.append(
        measure(
            "issue", "vc+jwt", lambda i: jose.sign(credentials[i % count], key, method), seconds
        )
    )
    rows.append(
        measure("verify proof", "vc+jwt", lambda i: jose.verify(tokens[i % count], public), seconds)
    )
    for proof, items in (
        (Cryptosuite.EDDSA_RDFC_2022.value, signed[Cryptosuite.EDDSA_RDFC_2022]),
        (Cryptosuite.EDDSA_JCS_2022.value, signed[Cryptosuite.EDDSA_JCS_2022]),
        ("vc+jwt", tokens),
    ):
        rows.append(measure("graded verification", proof, graded(items), seconds))

    bulk_seconds = 0.0
    if bulk:
        documents = [credential(count + index, issuer) for index in range(bulk)]
        start = time.perf_counter()
        for document in documents:
            data_integrity.sign(document, key, options, Cryptosuite.EDDSA_RDFC_2022, loader)
        bulk_seconds = time.perf_counter() - start

    by = {(row.operation, row.proof): row for row in rows}
    plain = by[("verify proof", "plain pyld (rdfc)")].per_second
    rdfc = by[("verify proof", Cryptosuite.EDDSA_RDFC_2022.value)].per_second
    jcs = by[("verify proof", Cryptosuite.EDDSA_JCS_2022.value)].per_second
    goals = {
        "rdfc_verify_over_plain_pyld": rdfc / plain,
        "rdfc_verify_goal": RDFC_VERIFY_GOAL,
        "jcs_verify_per_second": jcs,
        "jcs_verify_goal": JCS_VERIFY_GOAL,
        "bulk_credentials": bulk,
        "bulk_rdfc_sign_seconds": bulk_seconds,
        "bulk_goal_seconds": BULK_GOAL_SECONDS,
        "rdfc_issue_over_plain_pyld": by[("issue", Cryptosuite.EDDSA_RDFC_2022.value)].per_second
        / by[("issue", "plain pyld (rdfc)")].per_second,
    }
    return rows, goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per row")
    parser.add_argument(
        "--credentials", type=int, default=1000, help="distinct credentials, cycled"
    )
    parser.add_argument(
        "--bulk", type=int, default=10_000, help="credentials signed in one go (0: skip)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args()

    rows, goals = run(args.seconds, args.credentials, args.bulk)
    load = os.getloadavg()
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": load}
    if args.json:
        json.dump(
            {"rows": [asdict(row) for row in rows], "goals": goals, "machine": machine},
            sys.stdout,
            indent=2,
        )
        print()
        return

    console = Console()
    table = Table(title=f"Credentials per CPU second, {args.credentials:,} distinct, one process")
    for column in ("Operation", "Proof type"):
        table.add_column(column)
    for column in ("Per second", "ms per op"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(row.operation, row.proof, f"{row.per_second:,.0f}", f"{row.ms_per_op:.3f}")
    console.print(table)

    def verdict(met: bool) -> str:
        return "[green]met[/green]" if met else "[red]not met[/red]"

    ratio = goals["rdfc_verify_over_plain_pyld"]
    console.print(
        f"eddsa-rdfc-2022 verification: {ratio:.1f}x the plain pyld pipeline "
        f"(goal {RDFC_VERIFY_GOAL:.0f}x): {verdict(ratio >= RDFC_VERIFY_GOAL)}"
    )
    jcs = goals["jcs_verify_per_second"]
    console.print(
        f"eddsa-jcs-2022 verification: {jcs:,.0f}/s per core "
        f"(goal {JCS_VERIFY_GOAL:,.0f}/s): {verdict(jcs >= JCS_VERIFY_GOAL)}"
    )
    console.print(
        f"eddsa-rdfc-2022 issuing: {goals['rdfc_issue_over_plain_pyld']:.1f}x the plain pyld pipeline"
    )
    if args.bulk:
        bulk_seconds = goals["bulk_rdfc_sign_seconds"]
        console.print(
            f"{args.bulk:,} eddsa-rdfc-2022 credentials signed in {bulk_seconds:.1f} s wall "
            f"(a bulk issue has {BULK_GOAL_SECONDS:.0f} s for everything): "
            f"{verdict(bulk_seconds < BULK_GOAL_SECONDS)}"
        )
    console.print(
        f"Python {machine['python']}, {machine['cpus']} CPUs, load average "
        + ", ".join(f"{value:.2f}" for value in load)
    )


if __name__ == "__main__":
    main()
