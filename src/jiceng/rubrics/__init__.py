"""Jiceng rubric engine: versioned assessment schemes, scoring and grading.

Pure Python (no Django), so it can be reasoned about, fuzzed and reused::

    from jiceng.rubrics import builtin_scheme, score
    result = score(builtin_scheme("taizhou-office-2021"), {"items": {...}})
    result.passed, result.grade, result.reasons, result.to_dict()
"""

from __future__ import annotations

from .compiled import CompiledScheme
from .errors import MarksError, SchemeError
from .loader import SchemeInfo, builtin_scheme, list_builtin_schemes, load_scheme, parse_scheme
from .population import grade_population
from .result import ComponentScore, ItemScore, Result, SectionScore, Subtotal
from .scoring import score

__all__ = [
    "CompiledScheme", "ComponentScore", "ItemScore", "MarksError", "Result", "SchemeError", "SchemeInfo",
    "SectionScore", "Subtotal", "builtin_scheme", "grade_population", "list_builtin_schemes", "load_scheme",
    "parse_scheme", "score",
]
