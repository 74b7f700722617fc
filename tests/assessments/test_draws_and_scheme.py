"""The audit draws are reproducible from the seed, and a campaign's scheme is frozen."""

from __future__ import annotations

import math
import random
import shutil

from hypothesis import given
from hypothesis import strategies as st

from jiceng.assessments import sampling, schemes
from jiceng.assessments.schemes import campaign_scheme
from jiceng.rubrics.loader import BUILTIN_DIR

from .conftest import SCHEME, new_campaign


def test_sample_redraw_is_reproducible_from_the_seed(region, more_users):
    campaign = new_campaign(region, more_users["city_admin"], sample_ratio="0.5", seed=424242)
    codes = list(campaign.submissions.values_list("unit__code", flat=True))
    stored = sorted(campaign.submissions.filter(needs_audit=True).values_list("unit__code", flat=True))
    assert stored == sampling.draw_sample(codes, campaign.sample_ratio, campaign.seed)
    # The input order does not matter, and the plain standard-library recipe of the docs gives the same.
    assert stored == sampling.draw_sample(list(reversed(codes)), campaign.sample_ratio, campaign.seed)
    recipe = sorted(random.Random(424242).sample(sorted(codes), max(1, math.ceil(0.5 * len(codes)))))
    assert stored == recipe


def test_a_different_seed_can_draw_a_different_sample():
    codes = [f"U{i:03d}" for i in range(50)]
    draws = {tuple(sampling.draw_sample(codes, "0.2", seed)) for seed in range(5)}
    assert len(draws) > 1
    assert all(len(d) == 10 for d in draws)


@given(st.integers(min_value=2, max_value=40), st.integers(min_value=0, max_value=2**40))
def test_cross_check_is_a_derangement(n, seed):
    codes = [f"C{i:02d}" for i in range(n)]
    assignment = sampling.cross_check(codes, seed)
    assert sorted(assignment) == codes and sorted(assignment.values()) == codes
    assert all(county != auditor for county, auditor in assignment.items())
    assert assignment == sampling.cross_check(list(reversed(codes)), seed)


def test_sample_size_rounds_up_and_takes_at_least_one():
    assert sampling.sample_size(10, "0.25") == 3
    assert sampling.sample_size(3, "0.01") == 1
    assert sampling.sample_size(0, "0.5") == 0


def test_frozen_scheme_is_unaffected_by_later_edits(region, more_users, tmp_path, monkeypatch):
    city = more_users["city_admin"]
    before = new_campaign(region, city)
    original_text = before.scheme_source
    # Someone edits the scheme file afterwards: a new version with a higher pass mark.
    edited_dir = tmp_path / "schemes"
    shutil.copytree(BUILTIN_DIR, edited_dir)
    path = edited_dir / f"{SCHEME}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 1", "version: 2").replace("min_total: 80", "min_total: 90"),
                    encoding="utf-8")
    monkeypatch.setattr(schemes, "BUILTIN_DIR", edited_dir)
    after = new_campaign(region, city)
    assert after.scheme_version == 2 and after.scheme_sha256 != before.scheme_sha256
    before.refresh_from_db()
    assert before.scheme_source == original_text and before.scheme_version == 1
    old, new = campaign_scheme(before), campaign_scheme(after)
    assert old.bands[0].min_units == 80 * old.T
    assert new.bands[0].min_units == 90 * new.T


def test_a_tampered_scheme_text_is_refused(campaign):
    import pytest

    from jiceng.rubrics import SchemeError

    campaign.scheme_source += "\n# edited"
    with pytest.raises(SchemeError, match="does not match"):
        campaign_scheme(campaign)
