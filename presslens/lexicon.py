"""Word lists shared by the per-article layer and the corpus tables, each kept in one place.

Gendered pronouns and role nouns (English usage) are the article's own evidence of a person's gender;
document nouns ("statement", "report") name a message whose speaker is whoever issued it.
"""
from __future__ import annotations

import re

FEMALE, MALE = "female", "male"
# Role nouns that state a person's sex in English news usage. Gender-neutral in practice (used for
# women too: "chairman", "congressman" in older style, "spokesman" for a ministry) are left out.
GENDERED_ROLE_NOUNS = {
    "spokeswoman": FEMALE, "chairwoman": FEMALE, "congresswoman": FEMALE, "businesswoman": FEMALE,
    "councilwoman": FEMALE, "assemblywoman": FEMALE, "sportswoman": FEMALE, "policewoman": FEMALE,
    "actress": FEMALE, "waitress": FEMALE, "wife": FEMALE, "widow": FEMALE, "mother": FEMALE,
    "daughter": FEMALE, "sister": FEMALE, "grandmother": FEMALE, "granddaughter": FEMALE, "aunt": FEMALE,
    "niece": FEMALE, "girlfriend": FEMALE, "queen": FEMALE, "princess": FEMALE, "duchess": FEMALE,
    "countess": FEMALE, "baroness": FEMALE, "empress": FEMALE, "heiress": FEMALE, "nun": FEMALE,
    "businessman": MALE, "councilman": MALE, "assemblyman": MALE, "sportsman": MALE, "policeman": MALE,
    "husband": MALE, "widower": MALE, "father": MALE, "son": MALE, "brother": MALE, "grandfather": MALE,
    "grandson": MALE, "uncle": MALE, "nephew": MALE, "boyfriend": MALE, "king": MALE, "prince": MALE,
    "duke": MALE, "baron": MALE, "emperor": MALE, "monk": MALE,
}
# Third-person singular pronouns that carry gender, and the form they are cited by in `evidence`.
GENDERED_PRONOUNS = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
                     "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
# Nouns that name a document or message: its "speaker" is whoever issued it.
DOCUMENT_NOUNS = {"statement", "release", "note", "memo", "memorandum", "report", "letter", "email",
                  "document", "filing", "announcement", "post", "tweet", "message", "complaint",
                  "lawsuit", "readout", "communique", "communiqué", "notice", "order", "ruling", "study",
                  "survey", "poll", "analysis", "website", "site", "ad", "advertisement", "video",
                  "transcript", "memoir", "book", "article", "editorial", "op-ed", "column", "blog", "text",
                  "declaration", "resolution", "brief", "motion", "petition", "indictment"}


def role_gender(role) -> tuple[str, str] | None:
    """(gender, noun) when the role's head word (its last word) is a gendered noun ("his wife")."""
    if not isinstance(role, str) or not role.strip():
        return None
    words = re.findall(r"[A-Za-z]+", role.lower())
    for w in words[-1:]:
        if w in GENDERED_ROLE_NOUNS:
            return GENDERED_ROLE_NOUNS[w], w
    return None
