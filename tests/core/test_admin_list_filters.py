"""An admin list filter on an optional text field names its blank value: Django prints a
blank string as a link without text (axe's serious "link-name")."""

import re

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_blank_value_of_a_filter_has_a_name():
    factories.EventFactory(region="")
    factories.EventFactory(region="Cusco")
    client = Client()
    client.force_login(factories.account("secretaria", "secretariat"))
    html = client.get("/admin/cocreation/event/").content.decode()
    assert re.search(r'<a href="\?region=Cusco">\s*Cusco\s*</a>', html)
    blank = re.search(r'<a href="\?region=">([^<]*)</a>', html)
    assert blank is not None and blank.group(1).strip()
