// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The text-level pieces of DATABASE_URL handling: percent-decoding and which query keys carry
// secrets. Shared by the parser and by the masking of URLs that do not parse.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace retort::detail {

inline int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// `s` with every %XX replaced by its byte; nullopt when an escape is malformed.
inline std::optional<std::string> try_percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size() || hex_digit(s[i + 1]) < 0 || hex_digit(s[i + 2]) < 0)
            return std::nullopt;
        out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
        i += 2;
    }
    return out;
}

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// Whether a query key's value is masked: decided on the decoded key, case-insensitively, so
/// that `pass%77ord` and `PASSWORD` are masked as `password` is. The libpq keywords that carry
/// a secret are `password` and `sslpassword`; any key naming a password, secret or token is
/// masked too. Paths (`passfile`, `sslkey`, `sslcert`) are not secrets and stay readable. A key
/// that does not decode is masked: nobody can tell what it names.
inline bool is_secret_key(std::string_view raw_key) {
    const auto decoded = try_percent_decode(raw_key);
    if (!decoded) return true;
    const std::string key = ascii_lower(*decoded);
    return key.find("password") != std::string::npos || key.find("secret") != std::string::npos ||
           key.find("token") != std::string::npos;
}

}  // namespace retort::detail
