// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// SQLite's date and timestamp text: parsing never fails other than by nullopt, and what it
// reads formats back to text that reads back to the same time; canonical text is a fixed point.
// A local_timestamp reads the same text without a zone as the same wall time that a timestamp
// reads as UTC, and refuses every text that names a zone.

#include "fuzz_support.hpp"

#include <retort/driver/detail/iso8601.hpp>

namespace {

namespace iso = retort::driver::detail;

bool in_text_range(retort::timestamp t) {
    const auto day = std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
    return day >= iso::first_text_day && day <= iso::last_text_day;
}

std::string_view view(const auto& text) {
    return {text.data(), text.size()};
}

void check_local(std::string_view text) {
    const auto local = iso::parse_local_timestamp(text);
    if (iso::names_a_zone(text)) RETORT_FUZZ_CHECK(!local);
    if (!local) return;
    RETORT_FUZZ_CHECK(iso::parse_date(text.substr(0, iso::date_text_size)));
    // With a time, the same text is the same wall time read as UTC.
    if (const auto utc = iso::parse_timestamp(text))
        RETORT_FUZZ_CHECK(utc->time_since_epoch() == local->time_since_epoch());
    const auto formatted = iso::format_local_timestamp(*local);
    RETORT_FUZZ_CHECK(iso::parse_local_timestamp(view(formatted)) == local);
    const bool canonical = text.size() == iso::timestamp_text_size && text[10] == ' ';
    if (canonical) RETORT_FUZZ_CHECK(view(formatted) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = retort_fuzz::as_text(data, size);

    if (const auto day = iso::parse_date(text))  // only exact YYYY-MM-DD parses
        RETORT_FUZZ_CHECK(view(iso::format_date(*day)) == text);

    check_local(text);

    const auto time = iso::parse_timestamp(text);
    if (!time) return 0;
    // An offset can move a time just past year 0000 or 9999, which the text form cannot hold.
    if (!in_text_range(*time)) return 0;
    const auto formatted = iso::format_timestamp(*time);
    RETORT_FUZZ_CHECK(iso::parse_timestamp(view(formatted)) == time);
    RETORT_FUZZ_CHECK(iso::parse_date(view(formatted).substr(0, iso::date_text_size)));
    const bool canonical = text.size() == iso::timestamp_text_size && text[10] == ' ' &&
                           text[19] == '.' && text.find_first_of("Zz+-", 11) == text.npos;
    if (canonical) RETORT_FUZZ_CHECK(view(formatted) == text);
    return 0;
}
