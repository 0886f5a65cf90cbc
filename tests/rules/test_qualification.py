import pytest

from catalog.models import Segment
from customers.models import Customer
from rules import (
    RuleViolation,
    check_education_segment,
    check_qualification_change,
    check_special_qualification,
    normalise_qualification,
)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("None", "None"),
        ("", "None"),
        (None, "None"),
        ("StateOwnedEntity", "StateOwnedEntity"),
        ("soe", "StateOwnedEntity"),  # the API guide's spelling
        ("SOE", "StateOwnedEntity"),
        ("Education", "Education"),
        ("Nonprofit", "Nonprofit"),
        ("GovernmentCommunityCloud", "GovernmentCommunityCloud"),
    ],
)
def test_normalise_qualification_to_partner_center_names(raw, name):
    assert normalise_qualification(raw) == name


@pytest.mark.parametrize(
    ("model_value", "name"),
    [
        (Customer.Qualification.NONE, "None"),
        (Customer.Qualification.STATE_OWNED_ENTITY, "StateOwnedEntity"),
        (Customer.Qualification.EDUCATION, "Education"),
        (Customer.Qualification.NONPROFIT, "Nonprofit"),
        (Customer.Qualification.GOVERNMENT, "GovernmentCommunityCloud"),
    ],
)
def test_every_customer_model_value_is_understood(model_value, name):
    assert normalise_qualification(model_value) == name


def test_unknown_qualification():
    with pytest.raises(RuleViolation, match="Choose a qualification") as caught:
        normalise_qualification("Military")
    assert caught.value.field == "special_qualification"


@pytest.mark.parametrize(
    ("raw", "segment", "name"),
    [
        ("None", None, "None"),
        ("None", Segment.COMMERCIAL, "None"),
        ("StateOwnedEntity", Segment.COMMERCIAL, "StateOwnedEntity"),
        ("soe", Segment.GOVERNMENT, "StateOwnedEntity"),
        ("Education", Segment.EDUCATION, "Education"),
        ("Education", None, "Education"),
        ("None", Segment.NONPROFIT, "None"),
    ],
)
def test_special_qualification_allowed_for_segment(raw, segment, name):
    assert check_special_qualification(raw, segment=segment) == name


@pytest.mark.parametrize(
    ("raw", "segment", "words"),
    [
        ("Nonprofit", None, "A partner can't set the nonprofit qualification"),
        ("Nonprofit", Segment.NONPROFIT, "A partner can't set the nonprofit qualification"),
        ("GovernmentCommunityCloud", Segment.GOVERNMENT, "can't be requested here"),
        ("None", Segment.EDUCATION, "choose Education"),
        ("StateOwnedEntity", Segment.EDUCATION, "choose Education"),
        ("Education", Segment.COMMERCIAL, "not commercial ones"),
        ("StateOwnedEntity", Segment.NONPROFIT, "choose None"),
    ],
)
def test_special_qualification_refused_for_segment(raw, segment, words):
    with pytest.raises(RuleViolation) as caught:
        check_special_qualification(raw, segment=segment)
    assert caught.value.field == "special_qualification"
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("raw", "segment"),
    [
        ("K12", "K12"),
        ("k12", "K12"),
        ("K-12", "K12"),
        ("HigherEducation", "HigherEducation"),
        ("higher education", "HigherEducation"),
        (Customer.EducationSegment.HIGHER_EDUCATION, "HigherEducation"),
    ],
)
def test_education_segment_for_education(raw, segment):
    assert check_education_segment(raw, qualification="Education") == segment


@pytest.mark.parametrize(
    ("raw", "qualification", "words"),
    [
        ("", "Education", "Choose the school's segment"),
        ("University", "Education", "Choose the school's segment"),
        ("K12", "None", "Only education customers have an education segment"),
        ("K12", "StateOwnedEntity", "Only education customers"),
    ],
)
def test_education_segment_refused(raw, qualification, words):
    with pytest.raises(RuleViolation) as caught:
        check_education_segment(raw, qualification=qualification)
    assert caught.value.field == "education_segment"
    assert words in caught.value.message


@pytest.mark.parametrize("qualification", ["None", "StateOwnedEntity", ""])
def test_no_education_segment_outside_education(qualification):
    assert check_education_segment("", qualification=qualification) == ""


@pytest.mark.parametrize(
    ("current", "new", "result"),
    [
        ("None", "None", "None"),
        ("None", "StateOwnedEntity", "StateOwnedEntity"),
        ("None", "Education", "Education"),
        ("none", "soe", "StateOwnedEntity"),
        ("StateOwnedEntity", "StateOwnedEntity", "StateOwnedEntity"),
        ("state_owned_entity", "StateOwnedEntity", "StateOwnedEntity"),
        ("Nonprofit", "Nonprofit", "Nonprofit"),  # keeping Microsoft's own grant is fine
    ],
)
def test_qualification_may_be_gained_or_kept(current, new, result):
    assert check_qualification_change(current, new) == result


@pytest.mark.parametrize(
    ("current", "new", "words"),
    [
        ("StateOwnedEntity", "None", "already qualified as a state-owned entity"),
        ("Education", "None", "already qualified as an education institution"),
        ("Education", "StateOwnedEntity", "never changes a qualification"),
        ("Nonprofit", "None", "already qualified as a nonprofit"),
        ("None", "Nonprofit", "A partner can't set the nonprofit qualification"),
    ],
)
def test_qualification_is_irreversible(current, new, words):
    with pytest.raises(RuleViolation) as caught:
        check_qualification_change(current, new)
    assert caught.value.field == "special_qualification"
    assert words in caught.value.message
