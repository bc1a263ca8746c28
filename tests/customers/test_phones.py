import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from customers.phones import mask_phone, mask_phones_in_text, normalize_phone
from tests.factories import CustomerFactory

mobiles = st.from_regex(r"1(3[0-9]|5[0-35-9]|8[0-9]|9[189])[0-9]{8}", fullmatch=True)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "8613812345678",
        "１３８１２３４５６７８",
        " 13812345678 ",
        "13812345678.0",
        "(+86)138-1234-5678",
    ],
)
def test_every_way_people_write_a_mobile_becomes_the_same_eleven_digits(typed):
    assert normalize_phone(typed) == "13812345678"


@pytest.mark.parametrize(
    "typed", ["", "1381234567", "138123456789", "12345678901", "010-12345678", "abc", None, "14012345678"]
)
def test_what_is_not_a_mainland_mobile_is_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert error.value.code == "invalid_phone"


@given(mobiles, st.sampled_from(["", "+86", "0086", "+86 "]), st.booleans(), st.booleans())
def test_normalising_is_insensitive_to_prefix_separators_and_full_width(number, prefix, dashed, full_width):
    typed = f"{number[:3]}-{number[3:7]}-{number[7:]}" if dashed else number
    typed = prefix + typed
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    assert normalize_phone(typed) == number


@given(mobiles)
def test_a_masked_number_keeps_only_the_first_three_and_last_four_digits(number):
    masked = mask_phone(number)
    assert masked == number[:3] + "****" + number[-4:]
    assert mask_phones_in_text(f"call {number} now") == f"call {masked} now"


def test_a_phone_is_unique_within_a_store_however_it_was_typed(store):
    CustomerFactory(store=store, phone="13812345678")
    duplicate = CustomerFactory.build(store=store, phone="+86 138-1234-5678")
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_same_phone_may_be_a_customer_in_two_stores(store, other_store):
    CustomerFactory(store=store, phone="13812345678")
    CustomerFactory(store=other_store, phone="138 1234 5678")
    assert other_store.customers.get().phone == "13812345678"


def test_full_clean_reports_a_bad_phone_on_the_phone_field(store):
    customer = CustomerFactory.build(store=store, phone="12345")
    with pytest.raises(ValidationError) as error:
        customer.full_clean()
    assert "phone" in error.value.message_dict


def test_log_lines_never_carry_a_full_phone_number(caplog):
    import logging

    from customers.phones import MaskPhonesFilter

    logger = logging.getLogger("salon.test")
    logger.addFilter(MaskPhonesFilter())
    with caplog.at_level(logging.INFO, logger="salon.test"):
        logger.info("imported customer %s", "13812345678")
    assert "13812345678" not in caplog.text
    assert "138****5678" in caplog.text


def test_a_number_that_looks_like_a_carrier_prefix_is_invalid_not_an_error():
    """phonenumbers reads 1799… as a carrier-selection code and fails to parse the rest."""
    with pytest.raises(ValidationError):
        normalize_phone("17995006715")
