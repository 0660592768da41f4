"""Demo job postings: a few hundred health care, manufacturing and logistics postings over
the last four quarters in the demo's regions, written from templates that name real skills
of Cairn's digital framework and of ESCO, and imported by the Provincial Skills Fund's
program officer through the same service as any import.

A seeded generator writes the same postings on every build of a given day (the dates
follow today, so the demo always shows the last four quarters)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from cairn.catalogue import demand_service
from cairn.catalogue.demand_import import PostingRecords
from cairn.kit.clock import utcnow
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository
from cairn.taxonomy import repository as taxonomy_repository

IMPORTER = "paul.nakamura@skillsfund.example"
AUTHORITY = "skills-fund-authority"
SEED = 6
POSTINGS = 360
REGIONS = (
    ("Greater Toronto Area", 5),
    ("City of Hamilton", 3),
    ("Sudbury", 2),
    ("Renfrew County", 2),
)
"""The demo organisations' regions, weighted roughly by population."""
ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Personal support worker": (
        ("provide home care", "first aid", "infection control", "hygiene in a health care setting"),
        ("video calls", "online privacy", "data protection", "email and messaging"),
    ),
    "Registered practical nurse": (
        ("administer medication", "infection control", "teamwork principles", "first aid"),
        ("data protection", "cybersecurity basics", "online collaboration", "file management"),
    ),
    "Unit clerk": (
        ("use Microsoft Office", "customer service", "communicate with customers"),
        ("file management", "data organisation", "email and messaging", "avoid phishing"),
    ),
    "CNC machine operator": (
        ("read engineering drawings", "maintain equipment", "quality standards"),
        ("troubleshooting", "process improvement", "tech support"),
    ),
    "Production associate": (
        ("lean manufacturing", "apply health and safety standards", "quality standards"),
        ("process improvement", "online collaboration", "troubleshooting"),
    ),
    "Welder": (
        ("welding techniques", "health and safety in the workplace", "read engineering drawings"),
        ("troubleshooting", "digital upskilling"),
    ),
    "Warehouse associate": (
        ("operate forklift", "warehouse operations", "load cargo", "manage inventory"),
        ("file management", "use search engines", "troubleshooting"),
    ),
    "Delivery driver": (
        ("drive vehicles", "track shipments", "customer service"),
        ("use chat apps", "online privacy", "pick the right app"),
    ),
    "Logistics coordinator": (
        ("supply chain management", "logistics", "track shipments", "use Microsoft Office"),
        ("online collaboration", "data organisation", "cybersecurity basics", "coding"),
    ),
}
"""Each role's occupational skills (ESCO labels) and digital ones (the digital framework's)."""
EMPLOYERS = (
    "a regional hospital network",
    "a family-owned manufacturer",
    "a growing logistics company",
    "a community health centre",
    "a long-term care home",
)


def _posting(rng: random.Random, number: int, today: date) -> dict[str, object]:
    title, (occupational, digital) = rng.choice(sorted(ROLES.items()))
    named = rng.sample(occupational, k=min(len(occupational), rng.randint(1, 3)))
    tools = rng.sample(digital, k=min(len(digital), rng.randint(1, 3)))
    region = rng.choices([r for r, _ in REGIONS], weights=[w for _, w in REGIONS])[0]
    text = (
        f"{rng.choice(EMPLOYERS).capitalize()} in {region} is hiring a {title.lower()}. "
        f"You will need {', '.join(named)}. "
        f"Day to day you will also rely on {' and '.join(tools)}. "
        "Full-time, with benefits and paid training."
    )
    return {
        "id": f"demo-{number:04d}",
        "title": title,
        "text": text,
        "region": region,
        "date": (today - timedelta(days=rng.randrange(365))).isoformat(),
    }


def build_demand(session: Session) -> None:
    authority = orgs_repository.get_organisation_by_slug(session, AUTHORITY)
    person = orgs_repository.get_person_by_email(session, IMPORTER)
    digital = taxonomy_repository.find_framework(session, "cairn-digital")
    if authority is None or person is None or digital is None:
        return
    esco = taxonomy_repository.find_framework(session, "esco")
    importer = people.actor_for(session, person)
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = utcnow().date()
    postings = [_posting(rng, number, today) for number in range(1, POSTINGS + 1)]
    # Each posting is linked to one framework, so the two batches share none of them.
    batches = [(digital, postings, "Regional employers' career pages")]
    if esco is not None:
        batches = [
            (digital, postings[::2], batches[0][2]),
            (esco, postings[1::2], "Ontario Job Bank"),
        ]
    for framework, records, source in batches:
        demand_service.import_postings(
            session,
            importer,
            source=f"{source} (demo)",
            postings=PostingRecords(records, name="demo"),
            framework=f"{framework.slug}@{framework.version}",
            org_id=authority.id,
        )
