from fastapi import APIRouter

from cairn.web.routes import (
    account,
    dashboard,
    developers,
    orgs,
    outbox,
    people,
    profile,
    skill_profiles,
    taxonomy,
)

router = APIRouter(include_in_schema=False)
for module in (
    account,
    dashboard,
    developers,
    orgs,
    outbox,
    people,
    profile,
    skill_profiles,
    taxonomy,
):
    router.include_router(module.router)
