"""A small ESCO download written in the official CSV layout, for tests that need what the
shared copy lacks (occupation-skill relations) or a file to break on purpose."""

from __future__ import annotations

import csv
from pathlib import Path

SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
GROUP = "http://data.europa.eu/esco/skill/group-"

SKILLS_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip
SKILLS = [
    ["KnowledgeSkillCompetence", f"{SKILL}wound", "skill/competence", "sector-specific",
     "dress wounds", "apply wound dressings\nchange dressings", "", "released", "", "", "", "",
     "Clean, irrigate and dress wounds."],
    ["KnowledgeSkillCompetence", f"{SKILL}records", "skill/competence", "cross-sector",
     "keep patient records", "maintain health records", "", "released", "", "", "", "",
     "Keep accurate records of care."],
    ["KnowledgeSkillCompetence", f"{SKILL}empathy", "skill/competence", "transversal",
     "show empathy", "", "", "released", "", "", "", "", "Understand others' feelings."],
]  # fmt: skip
GROUPS_HEADER = ["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels",
                 "status", "modifiedDate", "scopeNote", "inScheme", "description", "code"]  # fmt: skip
GROUPS = [
    ["SkillGroup", f"{GROUP}care", "providing health care", "", "", "released", "", "", "", "", "S3.2"],
]  # fmt: skip
BROADER_HEADER = ["conceptType", "conceptUri", "broaderType", "broaderUri"]
BROADER = [
    ["KnowledgeSkillCompetence", f"{SKILL}wound", "SkillGroup", f"{GROUP}care"],
    ["KnowledgeSkillCompetence", f"{SKILL}records", "SkillGroup", f"{GROUP}care"],
]
OCCUPATIONS_HEADER = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                      "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote",
                      "scopeNote", "definition", "inScheme", "description", "code"]  # fmt: skip
OCCUPATIONS = [
    ["Occupation", f"{OCCUPATION}nurse", "2221", "community nurse", "district nurse", "",
     "released", "", "", "", "", "", "Nurses who care for people at home.", "2221.9"],
]  # fmt: skip
RELATIONS_HEADER = ["occupationUri", "relationType", "skillType", "skillUri"]
RELATIONS = [
    [f"{OCCUPATION}nurse", "essential", "skill/competence", f"{SKILL}wound"],
    [f"{OCCUPATION}nurse", "essential", "skill/competence", f"{SKILL}records"],
    [f"{OCCUPATION}nurse", "optional", "skill/competence", f"{SKILL}empathy"],
]


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def small_esco(folder: Path) -> Path:
    """A download of three skills, a group and a nurse who needs two of the skills."""
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder, "skills_en", SKILLS_HEADER, SKILLS)
    write_table(folder, "skillGroups_en", GROUPS_HEADER, GROUPS)
    write_table(folder, "broaderRelationsSkillPillar_en", BROADER_HEADER, BROADER)
    write_table(folder, "occupations_en", OCCUPATIONS_HEADER, OCCUPATIONS)
    write_table(folder, "occupationSkillRelations_en", RELATIONS_HEADER, RELATIONS)
    return folder
