"""Enterprises and contacts."""

from tests import factories
from tests.security.matrix import managers, signed_in

ROWS = {
    ("enterprises.index", "GET"): ("/enterprises/", signed_in(200)),
    ("enterprises.lookup", "GET"): ("/enterprises/lookup?q=Test", signed_in(200)),
    ("enterprises.detail", "GET"): ("/enterprises/{enterprise}", signed_in(200)),
    ("enterprises.contacts_json", "GET"): ("/enterprises/{enterprise}/contacts.json", signed_in(200)),
    ("enterprises.create", "GET"): ("/enterprises/new", signed_in(200)),
    ("enterprises.create", "POST"): ("/enterprises/new", signed_in(400)),
    ("enterprises.edit", "GET"): ("/enterprises/{enterprise}/edit", managers(200)),
    ("enterprises.edit", "POST"): ("/enterprises/{enterprise}/edit", managers(400)),
    ("enterprises.delete", "POST"): ("/enterprises/{enterprise}/delete", managers(302)),
    ("enterprises.restore", "POST"): ("/enterprises/{enterprise}/restore", managers(302)),
    ("enterprises.add_alias", "POST"): ("/enterprises/{enterprise}/aliases", managers(302)),
    ("enterprises.delete_alias", "POST"): ("/enterprises/{enterprise}/aliases/{alias}/delete", managers(302)),
    ("enterprises.duplicates", "GET"): ("/enterprises/duplicates", managers(200)),
    ("enterprises.merge", "GET"): ("/enterprises/{enterprise}/merge/{other_enterprise}", managers(200)),
    # A merge posted without the versions its page showed is refused as a conflict (409): the gate let it through.
    ("enterprises.merge", "POST"): ("/enterprises/{enterprise}/merge/{other_enterprise}", managers(409)),
    ("enterprises.undo_merge", "POST"): ("/enterprises/merges/999999/undo", managers(404)),
    ("contacts.index", "GET"): ("/contacts/", signed_in(200)),
    ("contacts.detail", "GET"): ("/contacts/{contact}", signed_in(200)),
    ("contacts.create", "GET"): ("/contacts/new", signed_in(200)),
    ("contacts.create", "POST"): ("/contacts/new", signed_in(400)),
    ("contacts.edit", "GET"): ("/contacts/{contact}/edit", managers(200)),
    ("contacts.edit", "POST"): ("/contacts/{contact}/edit", managers(400)),
    ("contacts.delete", "POST"): ("/contacts/{contact}/delete", managers(302)),
    ("contacts.restore", "POST"): ("/contacts/{contact}/restore", managers(302)),
}


def records(owner) -> dict[str, int]:
    from crm.enterprises.models import EnterpriseAlias

    enterprise = factories.enterprise(owner)
    contact = factories.contact(enterprise, owner)
    alias = EnterpriseAlias(name="Alias")
    enterprise.aliases.append(alias)
    other = factories.enterprise(owner)
    return {"enterprise": enterprise.id, "contact": contact.id, "alias": alias.id, "other_enterprise": other.id}
