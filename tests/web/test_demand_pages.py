"""Skills in demand on the web: the table with its filters and CSV download, the upload
form whose file a background job imports (or refuses, listing every bad line on the job's
page and importing nothing), and deleting a batch."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cairn.catalogue.demand_models import PostingBatch
from cairn.kit.actor import Role
from cairn.kit.jobs_models import Job, JobStatus
from tests.factories.demand import import_csv, make_importer, make_need, postings_csv
from tests.factories.intelligence import with_embeddings
from tests.factories.jobs import run_jobs
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill
from tests.helpers import form_page
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with


def test_the_table_shows_each_signal_and_downloads_as_csv(
    session: Session, sign_in_as: SignIn
) -> None:
    framework = make_framework(session)
    triage = make_skill(session, framework, "triage")
    with_embeddings(session, framework)
    import_csv(
        session,
        make_importer(session),
        framework,
        [
            ("Nurse", "Triage.", "Sudbury", "2026-01-10"),
            ("Nurse", "Triage.", "Hamilton", "2026-04-02"),
        ],
    )
    make_need(session, make_org(session), [triage], headcount=7)
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))

    page = client.get("/demand", params={"framework": f"{framework.slug}@{framework.version}"})
    assert page.status_code == 200
    assert problems_with("/demand", page.text) == []
    assert '<th scope="col">2026-Q1</th>' in page.text
    assert "1 (7)" in page.text  # one need, seven people
    assert 'aria-current="page"' in page.text

    sudbury = client.get("/demand.csv", params={"region": "Sudbury", "period": "month"})
    assert sudbury.headers["content-type"].startswith("text/csv")
    assert sudbury.text.splitlines() == [
        "skill,skill_uri,postings,needs,needed_headcount,role_profiles,2026-01",
        f"triage,{triage.uri},1,0,0,0,1",
    ]


def test_an_upload_is_imported_by_a_job_whose_page_lists_every_bad_line(
    session: Session, session_factory: sessionmaker[Session], sign_in_as: SignIn
) -> None:
    framework = make_framework(session)
    make_skill(session, framework, "triage")
    with_embeddings(session, framework)
    importer = make_importer(session)
    client = sign_in_as(importer.person)
    token = form_page(client, "/demand/batches")
    fields = {
        "csrf_token": token,
        "source": "Job board",
        "framework": f"{framework.slug}@{framework.version}",
        "org_id": str(importer.authority.id),
    }
    bad = postings_csv(
        [("Nurse", "Triage.", "Sudbury", "yesterday"), ("", "Triage.", "Sudbury", "2026-01-10")]
    )

    queued = client.post(
        "/demand/batches", data=fields, files={"file": ("jobs.csv", bad, "text/csv")}
    )
    assert queued.status_code == 303
    job_page = queued.headers["location"]
    assert job_page.startswith("/jobs/")
    waiting = client.get(job_page)
    assert "Import of job postings" in waiting.text
    assert "jobs.csv" in waiting.text
    assert run_jobs(session_factory)[0].status is JobStatus.FAILED
    refused = client.get(job_page)
    assert problems_with(job_page, refused.text) == []
    assert "2 problems in the postings; nothing was imported." in refused.text
    assert "<li>jobs.csv:2: date:" in refused.text
    assert "<li>jobs.csv:3: title:" in refused.text
    assert session.scalar(select(func.count()).select_from(PostingBatch)) == 0

    good = postings_csv([("Nurse", "Triage.", "Sudbury", "2026-01-10")])
    queued = client.post(
        "/demand/batches", data=fields, files={"file": ("jobs.csv", good, "text/csv")}
    )
    assert queued.status_code == 303
    assert [o.status for o in run_jobs(session_factory)] == [JobStatus.SUCCEEDED]
    batch = session.scalars(select(PostingBatch)).one()
    done = client.get(queued.headers["location"])
    assert (
        f'<a href="/demand/batches#batch-{batch.id}">See the batches of postings</a>' in done.text
    )
    listing = client.get("/demand/batches")
    assert f'<tr id="batch-{batch.id}">' in listing.text
    assert "jobs.csv" in listing.text
    assert problems_with("/demand/batches", listing.text) == []

    deleted = client.post(f"/demand/batches/{batch.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    assert session.scalar(select(func.count()).select_from(PostingBatch)) == 0


def test_an_upload_whose_fields_are_wrong_is_refused_at_once_and_queues_nothing(
    session: Session, sign_in_as: SignIn
) -> None:
    importer = make_importer(session)
    client = sign_in_as(importer.person)
    fields = {
        "csrf_token": form_page(client, "/demand/batches"),
        "source": " ",
        "org_id": str(importer.authority.id),
    }
    good = postings_csv([("Nurse", "Triage.", "Sudbury", "2026-01-10")])

    refused = client.post(
        "/demand/batches", data=fields, files={"file": ("jobs.csv", good, "text/csv")}
    )
    assert refused.status_code == 422
    assert problems_with("/demand/batches", refused.text) == []
    assert 'href="#source"' in refused.text
    no_file = client.post("/demand/batches", data={**fields, "source": "Job board"})
    assert no_file.status_code == 422
    assert 'href="#file"' in no_file.text
    assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_others_see_no_upload_form_and_cannot_delete(session: Session, sign_in_as: SignIn) -> None:
    framework = make_framework(session)
    make_skill(session, framework, "triage")
    with_embeddings(session, framework)
    batch = import_csv(
        session, make_importer(session), framework, [("Nurse", "Triage.", "", "2026-01-10")]
    ).batch
    client = sign_in_as(make_importer(session).person)

    page = client.get("/demand/batches")
    assert 'name="file"' in page.text  # may import for its own authority
    assert "Job board" not in page.text  # but sees nothing of another's batches
    token = form_page(client, "/demand/batches")
    answer = client.post(f"/demand/batches/{batch.id}/delete", data={"csrf_token": token})
    assert answer.status_code == 404
    assert session.get(PostingBatch, batch.id) is not None

    learner = sign_in_as(make_member(session, make_org(session), Role.LEARNER))
    assert 'name="file"' not in learner.get("/demand/batches").text
