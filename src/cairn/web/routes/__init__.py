from fastapi import APIRouter

from cairn.web.routes import (
    account,
    dashboard,
    developers,
    gaps,
    orgs,
    outbox,
    people,
    profile,
    skill_profiles,
    skills_profile,
    taxonomy,
)

router = APIRouter(include_in_schema=False)
for module in (
    account,
    dashboard,
    developers,
    gaps,
    orgs,
    outbox,
    people,
    profile,
    skill_profiles,
    skills_profile,
    taxonomy,
):
    router.include_router(module.router)
