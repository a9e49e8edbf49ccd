"""Error pages look like the rest of Hearth and offer a way back; help texts are plain text."""

import sys

from django.test import Client, RequestFactory

from community.views.outage import handler500


def test_a_missing_page_is_a_styled_404_with_a_way_back(client, db):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing here" in body and "css/hearth.css" in body and 'href="/"' in body
    assert 'rel="icon"' in body


def test_a_csrf_failure_explains_itself(db):
    from tests.factories import PASSWORD, make_user

    make_user("form@example.com")
    client = Client(enforce_csrf_checks=True)
    client.login(username="form@example.com", password=PASSWORD)
    response = client.post("/communities/new/", {"name": "x", "slug": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_server_error_page_needs_no_database_and_is_styled(db):
    request = RequestFactory().get("/somewhere/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.exc_info()
        response = handler500(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body and "css/hearth.css" in body and "boom" not in body


def test_the_create_community_form_help_text_renders_as_text(client, db):
    from tests.factories import make_user

    user = make_user("maker@example.com")
    client.force_login(user)
    body = client.get("/communities/new/").content.decode()
    assert "/c/your-address/" in body and "<address>" not in body


def test_no_form_help_text_holds_markup():
    """Django does not escape help_text in forms it renders: markup in one breaks the page (it once did)."""
    import django.forms

    from community import forms as community_forms
    from discussions import forms as discussion_forms
    from integrations import forms as integration_forms

    offenders = []
    for module in (community_forms, discussion_forms, integration_forms):
        for name in dir(module):
            form = getattr(module, name)
            if isinstance(form, type) and issubclass(form, django.forms.BaseForm):
                for field_name, field in form.base_fields.items():
                    if "<" in str(field.help_text or "") or ">" in str(field.help_text or ""):
                        offenders.append(f"{module.__name__}.{name}.{field_name}")
    assert offenders == []
