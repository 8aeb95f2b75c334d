// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// DATABASE_URL parsing: any text either parses or throws configuration_error, and a parsed
// URL's `redacted` form does not give its password away.

#include "fuzz_support.hpp"

#include <retort/session/url.hpp>

namespace {

// Only fields the parser has always had are used here: the URL code is being reworked.
void check_parsed(std::string_view text, const retort::database_url& url) {
    using retort_fuzz::count_of;
    RETORT_FUZZ_CHECK(!url.redacted.empty());
    if (url.backend == retort::database_url::backend_kind::sqlite)
        RETORT_FUZZ_CHECK(!url.path.empty());
    const std::string_view password = url.password;
    // `redacted` is the text with secrets replaced by ***, so a password (without '*', which
    // the mask itself could spell) occurs in it only where it also occurs elsewhere in the text.
    // Without any '%' nothing was decoded: the password is written as is, and masked once.
    if (password.empty() || password.find('*') != std::string_view::npos) return;
    RETORT_FUZZ_CHECK(url.redacted.find("***") != std::string::npos);
    const std::size_t masked = text.find('%') == std::string_view::npos ? 1 : 0;
    RETORT_FUZZ_CHECK(count_of(url.redacted, password) + masked <= count_of(text, password));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = retort_fuzz::as_text(data, size);
    retort::database_url url;
    try {
        url = retort::parse_database_url(text);
    } catch (const retort::configuration_error&) {
        return 0;  // refused: fine, as long as it is this error and nothing else
    }
    check_parsed(text, url);
    return 0;
}
