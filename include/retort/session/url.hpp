// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// DATABASE_URL parsing:
//   sqlite:///relative.db   sqlite:////abs/path.db   sqlite://:memory:
//   postgresql://user:pass@host:port/db?sslmode=verify-full&sslrootcert=/ca.pem
// Errors name the problem and show the URL with its password masked.

#include <retort/error.hpp>

#include <charconv>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

namespace retort {

struct database_url {
    enum class backend_kind { sqlite, postgres };
    backend_kind backend = backend_kind::sqlite;
    std::string user, password, host, database, path;  // path: SQLite file or ":memory:"
    int port = 0;                                      // 0: the backend's default
    std::map<std::string, std::string, std::less<>> query;

    /// The URL with any password replaced by ***, for messages and logs.
    std::string redacted;
};

namespace detail {

/// The last '@' that ends the credentials: the last one before the query when there is one
/// there (a query value may hold an '@'), else the last one (a password may hold a '?').
inline std::size_t credentials_end(std::string_view rest) {
    auto q = rest.find('?');
    if (q != std::string_view::npos) {
        auto at = rest.rfind('@', q);
        if (at != std::string_view::npos) return at;
    }
    return rest.rfind('@');
}

inline bool is_secret_key(std::string_view key) {
    return key.find("password") != std::string_view::npos ||
           key.find("passfile") != std::string_view::npos;
}

/// Masks whatever could be a password: everything between the first ':' after the scheme (or
/// the start) and the '@' that ends the credentials, and the values of query parameters named
/// like passwords. Errors quote only this form, never raw pieces of the URL.
inline std::string redact_url(std::string_view url) {
    auto scheme = url.find("://");
    std::size_t from = scheme == std::string_view::npos ? 0 : scheme + 3;
    std::string out;
    auto at = credentials_end(url.substr(from));
    if (at != std::string_view::npos) {
        at += from;
        auto colon = url.find(':', from);
        if (colon != std::string_view::npos && colon < at) {
            out.append(url.substr(0, colon + 1));
            out += "***";
            from = at;
        }
    }
    if (out.empty()) from = 0;
    std::string_view rest = url.substr(from);
    auto q = rest.find('?');
    out.append(rest.substr(0, q));
    if (q == std::string_view::npos) return out;
    rest = rest.substr(q + 1);
    out += '?';
    bool first = true;
    while (true) {
        auto amp = rest.find('&');
        std::string_view item = rest.substr(0, amp);
        if (!first) out += '&';
        first = false;
        auto eq = item.find('=');
        if (eq != std::string_view::npos && is_secret_key(item.substr(0, eq))) {
            out.append(item.substr(0, eq + 1));
            out += "***";
        } else {
            out.append(item);
        }
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

inline std::string percent_decode(std::string_view s, const std::string& redacted,
                                  std::string_view what) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        auto hex = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0)
            throw configuration_error("retort: malformed percent-escape in the " +
                                      std::string{what} + " of DATABASE_URL " + redacted);
        out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
        i += 2;
    }
    return out;
}

inline void parse_query(std::string_view q, database_url& url) {
    while (!q.empty()) {
        auto amp = q.find('&');
        auto item = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        if (item.empty()) continue;
        auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            throw configuration_error("retort: malformed query parameter '" + std::string{item} +
                                      "' in DATABASE_URL " + url.redacted +
                                      " (expected key=value)");
        url.query[percent_decode(item.substr(0, eq), url.redacted, "query")] =
            percent_decode(item.substr(eq + 1), url.redacted, "query");
    }
}

}  // namespace detail

inline database_url parse_database_url(std::string_view text) {
    database_url url;
    url.redacted = detail::redact_url(text);
    auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos)
        throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                  " has no scheme (expected sqlite:// or postgresql://)");
    std::string_view scheme = text.substr(0, scheme_end);
    std::string_view rest = text.substr(scheme_end + 3);
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }

    if (scheme == "sqlite" || scheme == "sqlite3") {
        url.backend = database_url::backend_kind::sqlite;
        if (rest == ":memory:" || rest == "/:memory:") {
            url.path = ":memory:";
        } else if (rest.size() > 1 && rest[0] == '/') {
            // sqlite:///x.db -> "x.db" (relative); sqlite:////x.db -> "/x.db" (absolute)
            url.path = detail::percent_decode(rest.substr(1), url.redacted, "path");
        } else {
            throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                      " names no SQLite file (expected sqlite:///relative.db, "
                                      "sqlite:////absolute/path.db or sqlite://:memory:)");
        }
        detail::parse_query(query, url);
        return url;
    }
    if (scheme != "postgresql" && scheme != "postgres")
        throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                  " has unsupported scheme '" + std::string{scheme} +
                                  "' (expected sqlite:// or postgresql://)");

    url.backend = database_url::backend_kind::postgres;
    // Credentials end at the last '@', so an unencoded '/' or '?' in a password cannot be
    // mistaken for the path or the query (and then quoted in an error).
    rest = text.substr(scheme_end + 3);
    query = {};
    std::string_view userinfo;
    bool has_userinfo = false;
    if (auto at = detail::credentials_end(rest); at != std::string_view::npos) {
        userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        has_userinfo = true;
    }
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view authority = rest, path;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        path = rest.substr(slash + 1);
    }
    if (has_userinfo) {
        if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
            url.user = detail::percent_decode(userinfo.substr(0, colon), url.redacted, "user");
            url.password =
                detail::percent_decode(userinfo.substr(colon + 1), url.redacted, "password");
        } else {
            url.user = detail::percent_decode(userinfo, url.redacted, "user");
        }
    }
    std::string_view host = authority, port;
    if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
        auto close = authority.find(']');
        if (close == std::string_view::npos)
            throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                      " has an unclosed '[' in its host");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':')
                throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                          " has junk after its host");
            port = after.substr(1);
        }
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty())
        throw configuration_error("retort: DATABASE_URL " + url.redacted + " names no host");
    url.host = std::string{host};
    if (!port.empty()) {
        int p = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || end != port.data() + port.size() || p <= 0 || p > 65535)
            throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                      " has an invalid port '" + std::string{port} +
                                      "' (expected 1-65535)");
        url.port = p;
    }
    url.database = detail::percent_decode(path, url.redacted, "database name");
    if (url.database.find('/') != std::string::npos)
        throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                  " has a '/' in its database name");
    detail::parse_query(query, url);
    return url;
}

/// DATABASE_URL from the environment, or an SQLite file `retort.db` in the working directory.
inline std::string database_url_from_env(std::string_view fallback = "sqlite:///retort.db") {
    const char* v = std::getenv("DATABASE_URL");
    return v && *v ? std::string{v} : std::string{fallback};
}

}  // namespace retort
