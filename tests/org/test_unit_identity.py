"""An office keeps its facilities up to date; its identity is the city bureau's to set."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.org import services


@pytest.mark.django_db
def test_office_head_may_update_facilities_of_his_office(users, region):
    unit = services.unit_update(
        actor=users["office_head"], unit=region.office_a1, changes={"computers": 9, "networked": True}
    )
    unit.refresh_from_db()
    assert (unit.computers, unit.networked) == (9, True)


@pytest.mark.django_db
def test_office_head_cannot_rename_his_office_or_change_its_establishment(users, region):
    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(
            actor=users["office_head"],
            unit=region.office_a1,
            changes={"name": "改名所", "authorised_posts": 20, "computers": 9},
        )
    assert set(excinfo.value.message_dict) == {"name", "authorised_posts"}
    region.office_a1.refresh_from_db()
    assert region.office_a1.name == "甲一中心所"
    assert region.office_a1.computers == 0


@pytest.mark.django_db
def test_city_admin_may_rename_an_office(users, region):
    services.unit_update(actor=users["city_admin"], unit=region.office_a1, changes={"name": "甲一所"})
    region.office_a1.refresh_from_db()
    assert region.office_a1.name == "甲一所"


@pytest.mark.django_db
def test_the_edit_form_of_an_office_head_locks_identity_fields(users, region, client_for):
    client = client_for(users["office_head"])
    page = client.get(f"/org/units/{region.office_a1.pk}/edit/").content.decode()
    assert 'name="name"' in page and "disabled" in page
    data = {"name": "偷改名", "office_type": "township", "vehicles": 2, "computers": 3}
    response = client.post(f"/org/units/{region.office_a1.pk}/edit/", data)
    assert response.status_code == 302
    region.office_a1.refresh_from_db()
    assert region.office_a1.name == "甲一中心所"
    assert region.office_a1.office_type == "central"
    assert region.office_a1.computers == 3

