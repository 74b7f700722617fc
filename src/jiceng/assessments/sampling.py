"""Reproducible audit draws: the sample and the cross-check assignment, from a recorded seed.

Pure Python on purpose: anyone holding the seed and the list of codes can
re-draw with nothing but the standard library and check the city's draw::

    import random, math
    codes = sorted(codes)
    sample = sorted(random.Random(seed).sample(codes, max(1, math.ceil(ratio * len(codes)))))
"""

from __future__ import annotations

import math
import random
from decimal import Decimal


def sample_size(n: int, ratio: Decimal | float) -> int:
    """ceil(ratio × n), at least one unit when there is any."""
    if n == 0:
        return 0
    return min(n, max(1, math.ceil(Decimal(str(ratio)) * n)))


def draw_sample(codes: list[str], ratio: Decimal | float, seed: int) -> list[str]:
    """The sampled unit codes, sorted. Only the seed, the ratio and the set of codes matter."""
    population = sorted(codes)
    return sorted(random.Random(seed).sample(population, sample_size(len(population), ratio)))


def cross_check(codes: list[str], seed: int) -> dict[str, str]:
    """Who audits whom: {county: auditing county}, never a county itself.

    Sattolo's shuffle of the sorted codes makes one cycle through all of them,
    so no county maps to itself; the seed makes it reproducible.
    """
    order = sorted(codes)
    if len(order) < 2:
        raise ValueError("cross-checking needs at least two counties")
    perm = list(order)
    rng = random.Random(seed)
    for i in range(len(perm) - 1, 0, -1):
        j = rng.randrange(i)
        perm[i], perm[j] = perm[j], perm[i]
    return dict(zip(order, perm, strict=True))
