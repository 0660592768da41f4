from fastapi import APIRouter

from cairn.web.routes import (
    account,
    assessments,
    campaigns,
    dashboard,
    developers,
    gaps,
    orgs,
    outbox,
    people,
    profile,
    ratings,
    rpl,
    skill_profiles,
    skills_profile,
    specifications,
    taxonomy,
)

router = APIRouter(include_in_schema=False)
for module in (
    account,
    assessments,
    campaigns,
    dashboard,
    developers,
    gaps,
    orgs,
    outbox,
    people,
    profile,
    ratings,
    rpl,
    skill_profiles,
    skills_profile,
    specifications,
    taxonomy,
):
    router.include_router(module.router)
