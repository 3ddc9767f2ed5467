"""What every generator shares: the seed, the scale, and a random stream per generator."""

from __future__ import annotations

import random

DEFAULT_SEED = 1

# What scale 1 holds (docs/benchmarks.md); later issues add their records' counts here.
SCALE_ONE_COUNTS: dict[str, int] = {
    "persons": 1_000_000,
    "companies": 200_000,
    "leads": 300_000,
    "relationships": 1_500_000,
    "interactions": 10_000_000,
    "teams": 40,
    "users": 500,
    "audit_events": 2_000_000,
    "activities": 2_000_000,
}
# The organisation keeps its shape at every scale: three team levels.
MINIMUM_COUNTS: dict[str, int] = {"teams": 3}


def count(kind: str, scale: float) -> int:
    return max(MINIMUM_COUNTS.get(kind, 0), round(SCALE_ONE_COUNTS[kind] * scale))


def random_stream(seed: int, stream: str) -> random.Random:
    """The generator ``stream``'s own random numbers: adding a generator changes no other's rows.

    A string seed is hashed with SHA-512 by ``random``: stable across runs, machines and versions.
    """
    return random.Random(f"peyvand-bench:{seed}:{stream}")


def latin_slug(text: str) -> str:
    return "".join(character for character in text.lower() if character.isascii() and character.isalnum())
