"""Stream tickets: signed, bound to one workspace, and short-lived."""

from backend.workspace import tickets

KEY = "viewer-token-hash"


def test_a_fresh_ticket_is_valid_for_its_workspace():
    ticket = tickets.issue("w1", KEY, 60, now=1000)
    assert tickets.is_valid("w1", KEY, ticket, now=1059)


def test_a_ticket_expires():
    ticket = tickets.issue("w1", KEY, 60, now=1000)
    assert tickets.is_valid("w1", KEY, ticket, now=1060)
    assert not tickets.is_valid("w1", KEY, ticket, now=1061)


def test_a_ticket_opens_no_other_workspace_and_needs_its_key():
    ticket = tickets.issue("w1", KEY, 60, now=1000)
    assert not tickets.is_valid("w2", KEY, ticket, now=1000)
    assert not tickets.is_valid("w1", "another key", ticket, now=1000)


def test_a_ticket_whose_expiry_was_moved_is_refused():
    expiry, _, signature = tickets.issue("w1", KEY, 60, now=1000).partition(".")
    assert not tickets.is_valid("w1", KEY, f"{int(expiry) + 3600}.{signature}", now=1000)


def test_malformed_tickets_are_refused():
    for ticket in ["", ".", "abc.def", "1" * 13 + ".x", "-5.x", "9999999999"]:
        assert not tickets.is_valid("w1", KEY, ticket, now=1000)


def test_a_ticket_its_holder_signed_with_a_far_expiry_is_refused():
    # The key is the viewer token's hash, which its holder can compute: the server must not
    # take the expiry on trust. Year 33658 was accepted once.
    forged = tickets.issue("w1", KEY, 60, now=31_000 * 365 * 86400)
    assert not tickets.is_valid("w1", KEY, forged, now=1000, lifetime=60)
    longer = tickets.issue("w1", KEY, 600, now=1000)
    assert not tickets.is_valid("w1", KEY, longer, now=1000, lifetime=60)
    assert tickets.is_valid(
        "w1", KEY, tickets.issue("w1", KEY, 60, now=1000), now=1000, lifetime=60
    )
