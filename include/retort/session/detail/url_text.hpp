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

/// The parameters a DATABASE_URL may name: libpq's connection keywords (through version 17)
/// and retort's own. After a secret parameter, only these may follow: anything else is most
/// likely the rest of the secret, cut at an unencoded '&', and is never shown.
inline bool is_known_parameter(std::string_view raw_key) {
    static constexpr std::string_view known[] = {
        // libpq
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "require_auth",
        "channel_binding", "connect_timeout", "client_encoding", "options", "application_name",
        "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode",
        "sslnegotiation", "requiressl", "sslcompression", "sslcert", "sslkey", "sslpassword",
        "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
        "ssl_min_protocol_version", "ssl_max_protocol_version", "min_protocol_version",
        "max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service",
        "target_session_attrs", "load_balance_hosts",
        // retort (SQLite and PostgreSQL)
        "journal_mode", "synchronous", "foreign_keys", "busy_timeout", "mode", "statement_cache",
        "statement_cache_size"};
    const auto decoded = try_percent_decode(raw_key);
    if (!decoded) return false;
    for (const std::string_view k : known)
        if (*decoded == k) return true;
    return false;
}

/// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). Anything else before "://" is not a
/// scheme and may well be a user and password (`u:pw://...`).
inline bool is_scheme(std::string_view s) {
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (s.empty() || !alpha(s[0])) return false;
    for (const char c : s)
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
    return true;
}

}  // namespace retort::detail
