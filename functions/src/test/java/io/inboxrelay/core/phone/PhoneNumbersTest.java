package io.inboxrelay.core.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @Test
    void brazil_12_and_13_digit_forms_of_one_mobile_fold_to_the_13_digit_form() {
        assertThat(PhoneNumbers.canonicalDigits("551187654321")).isEqualTo("5511987654321");
        assertThat(PhoneNumbers.canonicalDigits("5511987654321")).isEqualTo("5511987654321");
        assertThat(PhoneNumbers.canonicalDigits("+55 (21) 8765-4321")).isEqualTo("5521987654321");
    }

    @Test
    void brazil_landlines_keep_their_8_digits() {
        // Landlines start with 2-5 and never got the 9th digit.
        assertThat(PhoneNumbers.canonicalDigits("551134567890")).isEqualTo("551134567890");
        assertThat(PhoneNumbers.canonicalDigits("554133224455")).isEqualTo("554133224455");
    }

    @Test
    void mexico_521_whatsapp_ids_fold_to_e164_52() {
        assertThat(PhoneNumbers.canonicalDigits("5215512345678")).isEqualTo("525512345678");
        assertThat(PhoneNumbers.canonicalDigits("+52 55 1234 5678")).isEqualTo("525512345678");
    }

    @Test
    void argentina_54_without_the_mobile_9_folds_to_549() {
        assertThat(PhoneNumbers.canonicalDigits("541123456789")).isEqualTo("5491123456789");
        assertThat(PhoneNumbers.canonicalDigits("5491123456789")).isEqualTo("5491123456789");
    }

    @ParameterizedTest
    @CsvSource({
        "573001234567, 573001234567",
        "+1 (415) 555-2671, 14155552671",
        "447911123456, 447911123456",
        "919810218674, 919810218674"})
    void other_countries_are_kept_as_given(String input, String canonical) {
        assertThat(PhoneNumbers.canonicalDigits(input)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "abc", "12345", "1234567890123456", "0551187654321", "55+11987654321", "55 11 9876x4321"})
    void text_that_is_not_a_phone_number_has_no_canonical_form(String input) {
        assertThat(PhoneNumbers.canonicalDigits(input)).isNull();
    }

    @Test
    void null_has_no_canonical_form_and_e164_adds_the_plus() {
        assertThat(PhoneNumbers.canonicalDigits(null)).isNull();
        assertThat(PhoneNumbers.e164("5511987654321")).isEqualTo("+5511987654321");
        assertThat(PhoneNumbers.e164(null)).isNull();
    }
}
