"""History sentences, stored in English, read in the reader's language (orders.cause_words)."""

import pytest
from django.utils import translation

from orders import cause_words
from orders.cause_words import CAUSES, cause_in_language
from orders.status_words import plain_cause

LANGUAGES = ["de", "fr", "es", "nl"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_history_sentence_is_translated_in_every_language(language):
    with translation.override(language):
        untranslated = [msgid for msgid in CAUSES if translation.gettext(msgid) == msgid]
    assert not untranslated


def test_a_stored_sentence_is_read_in_german_with_its_values():
    stored = cause_words.SENDING % {"attempt": 2}
    assert stored == "Attempt 2: sending the order to the marketplace."
    with translation.override("de"):
        assert cause_in_language(stored) == (
            "Versuch 2: die Bestellung wird an den Marketplace gesendet."
        )
    with translation.override("en"):
        assert cause_in_language(stored) == stored


def test_sentences_written_one_after_another_are_each_translated():
    stored = cause_words.PLACED_BY_RESELLER + " " + cause_words.WAITS_FOR_APPROVAL
    with translation.override("fr"):
        assert cause_in_language(stored) == (
            "Passée par le personnel du revendeur dans l'assistant de commande. "
            "Elle attend l'approbation du revendeur."
        )


def test_a_sentence_the_product_did_not_write_is_shown_as_stored():
    stored = "Subscription 1008003: seat count exceeds the maximum allowed (MAX_SEATS)."
    with translation.override("nl"):
        assert cause_in_language(stored) == stored


def test_codes_in_a_translated_sentence_are_put_in_words_for_resellers():
    stored = cause_words.PROVISIONING % {"code": "LO"}
    with translation.override("es"):
        shown = plain_cause(stored)
    assert shown.startswith("El marketplace está aprovisionando el pedido")
    assert "(LO)" not in shown
