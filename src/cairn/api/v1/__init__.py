"""Version 1 of the JSON API, mounted under ``/api/v1``."""

from fastapi import APIRouter

from cairn.api.v1 import (
    accounts,
    assessments,
    awards,
    campaigns,
    catalogue,
    codesign,
    credentials,
    cv_suggestions,
    demand,
    feedback,
    gaps,
    jobs,
    me,
    offerings,
    orgs,
    pathways,
    ratings,
    rpl,
    skill_profiles,
    skills_intelligence,
    specifications,
    stacking,
    taxonomy,
    wallet,
)

router = APIRouter(prefix="/api/v1")
router.include_router(me.router)
router.include_router(cv_suggestions.router)
router.include_router(assessments.router)
router.include_router(orgs.router)
router.include_router(skill_profiles.router)
router.include_router(gaps.router)
router.include_router(campaigns.router)
router.include_router(ratings.router)
router.include_router(rpl.router)
router.include_router(specifications.router)
router.include_router(demand.router)
router.include_router(catalogue.router)
router.include_router(awards.router)
router.include_router(credentials.router)
router.include_router(feedback.router)
router.include_router(stacking.router)
router.include_router(codesign.router)
router.include_router(taxonomy.router)
router.include_router(skills_intelligence.router)
router.include_router(wallet.router)
router.include_router(jobs.router)
router.include_router(accounts.router)
router.include_router(offerings.router)
router.include_router(pathways.router)
