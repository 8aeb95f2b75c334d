// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// SQLite's text form of string and integer arrays. The reader takes any text without crashing;
// what it reads the writer writes back to text that reads the same. The input also serves as
// values: its bytes split at NUL as strings, and taken 8 at a time as integers, must survive
// writing and reading unchanged, whatever bytes they hold.

#include "fuzz_support.hpp"

#include <retort/driver/detail/json_array.hpp>

#include <cstring>

namespace {

namespace json = retort::driver::detail;

template <class T, class Parse>
void check_round_trip(const std::vector<T>& values, Parse parse) {
    std::string text;
    json::write_json_array(text, values);
    const auto back = parse(text);
    RETORT_FUZZ_CHECK(back && *back == values);
}

std::vector<std::string> split_at_nul(std::string_view bytes) {
    std::vector<std::string> out;
    for (std::size_t start = 0;;) {
        const auto nul = bytes.find('\0', start);
        out.emplace_back(bytes.substr(start, nul - start));
        if (nul == std::string_view::npos) return out;
        start = nul + 1;
    }
}

std::vector<std::int64_t> as_integers(std::string_view bytes) {
    std::vector<std::int64_t> out(bytes.size() / sizeof(std::int64_t));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(std::int64_t));
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = retort_fuzz::as_text(data, size);
    const auto strings = [](std::string_view t) { return json::parse_json_string_array(t); };
    const auto integers = [](std::string_view t) { return json::parse_json_int_array(t); };

    if (const auto values = strings(text)) check_round_trip(*values, strings);
    if (const auto values = integers(text)) check_round_trip(*values, integers);

    check_round_trip(split_at_nul(text), strings);
    check_round_trip(as_integers(text), integers);
    check_round_trip(std::vector<std::string>{}, strings);
    return 0;
}
