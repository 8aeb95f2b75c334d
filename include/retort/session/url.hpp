// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// DATABASE_URL parsing:
//   sqlite:///relative.db   sqlite:////abs/path.db   sqlite://:memory:
//   postgresql://user:pass@host:port/db?sslmode=verify-full&sslrootcert=/ca.pem
//   postgresql://user@h1:5432,h2:5433/db?target_session_attrs=read-write
//   postgresql:///db?host=/var/run/postgresql        postgresql://u@/db?host=h1,h2&port=5432
// The authority is split as RFC 3986 does (it ends at the first '/', '?' or '#'; the user
// information ends at its last '@'), and an '@' after the authority, which could end a password
// holding a '/', is refused: a password is never read as a host. Errors show the URL with every
// secret masked.

#include <retort/error.hpp>
#include <retort/session/detail/url_masking.hpp>
#include <retort/session/detail/url_text.hpp>

#include <charconv>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

struct database_url {
    enum class backend_kind { sqlite, postgres };

    /// One PostgreSQL server; libpq tries a URL's hosts in order.
    struct endpoint {
        std::string host;  // a name, an address (IPv6 without brackets), or a socket directory
        int port = 0;      // 0: the backend's default
        bool operator==(const endpoint&) const = default;
    };

    backend_kind backend = backend_kind::sqlite;
    std::string user, password, database;
    std::string path;             // SQLite: the file, or ":memory:"
    std::vector<endpoint> hosts;  // PostgreSQL: one or more
    /// The other query parameters, decoded. For PostgreSQL, host, port, user, password and
    /// dbname given as parameters are moved into the fields above, never kept here.
    std::map<std::string, std::string, std::less<>> query;

    /// The URL with its password and secret query values replaced by ***, for messages and
    /// logs (see detail::is_secret_key for which keys are secret).
    std::string redacted;
};

namespace detail {

[[noreturn]] inline void throw_url_error(const std::string& redacted, std::string_view problem) {
    throw configuration_error("retort: DATABASE_URL " + redacted + " " + std::string{problem});
}

inline std::string percent_decode(std::string_view s, const std::string& redacted,
                                  std::string_view what) {
    auto decoded = try_percent_decode(s);
    if (!decoded)
        throw_url_error(redacted, "has a malformed percent-escape in the " + std::string{what});
    // C strings end at a NUL: libpq would connect to the host before it, SQLite open the file
    // before it. What the URL shows must be all there is.
    if (decoded->find('\0') != std::string::npos)
        throw_url_error(redacted, "has a NUL byte (%00) in the " + std::string{what});
    return std::move(*decoded);
}

inline void parse_query(std::string_view q, database_url& url) {
    bool after_secret = false;
    while (!q.empty()) {
        const auto amp = q.find('&');
        const auto item = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        if (item.empty()) continue;
        // A hidden item is most likely a piece of a secret: never quoted.
        if (classify_query_item(item, after_secret) == query_item::hidden)
            throw_url_error(url.redacted,
                            "has a query parameter after a secret one that is not a known "
                            "parameter; write an '&' inside a value as %26");
        const auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            throw_url_error(url.redacted, "has a malformed query parameter '" + std::string{item} +
                                              "' (expected key=value)");
        url.query[percent_decode(item.substr(0, eq), url.redacted, "query")] =
            percent_decode(item.substr(eq + 1), url.redacted, "query");
    }
}

inline int parse_port(std::string_view port, const std::string& redacted) {
    int p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || end != port.data() + port.size() || p <= 0 || p > 65535) {
        // A "port" that is no number may be a password whose '@' was forgotten: not quoted.
        const bool digits = port.find_first_not_of("0123456789") == std::string_view::npos;
        throw_url_error(redacted, "has an invalid port" +
                                      (digits ? " '" + std::string{port} + "'" : std::string{}) +
                                      " (expected a number from 1 to 65535)");
    }
    return p;
}

/// Splits `list` at commas that are not inside [...].
inline std::vector<std::string_view> split_host_list(std::string_view list) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    bool in_brackets = false;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        if (i == list.size() || (list[i] == ',' && !in_brackets)) {
            items.push_back(list.substr(start, i - start));
            start = i + 1;
        } else if (list[i] == '[') {
            in_brackets = true;
        } else if (list[i] == ']') {
            in_brackets = false;
        }
    }
    return items;
}

/// Appends `list` with every port that is not a number masked: `postgresql://u:secret/db`, its
/// '@' forgotten, reads as host "u" and port "secret".
inline void append_host_list_masked(std::string& out, std::string_view list) {
    bool first = true;
    for (const std::string_view item : split_host_list(list)) {
        if (!first) out += ',';
        first = false;
        const auto close = item.rfind(']');
        const auto colon = item.find(':', close == std::string_view::npos ? 0 : close);
        const std::string_view port =
            colon == std::string_view::npos ? std::string_view{} : item.substr(colon + 1);
        if (port.find_first_not_of("0123456789") == std::string_view::npos) {
            out.append(item);
        } else {
            out.append(item.substr(0, colon + 1));
            out += url_mask;
        }
    }
}

/// The authority's host list, as libpq reads it: host[:port] or [IPv6][:port], comma-separated.
inline std::vector<database_url::endpoint> parse_hosts(std::string_view list,
                                                       const std::string& redacted) {
    std::vector<database_url::endpoint> hosts;
    if (list.empty()) return hosts;
    for (std::string_view item : split_host_list(list)) {
        std::string_view host = item, port;
        if (!item.empty() && item[0] == '[') {
            const auto close = item.find(']');
            if (close == std::string_view::npos)
                throw_url_error(redacted, "has an unclosed '[' in its host");
            host = item.substr(1, close - 1);
            const std::string_view after = item.substr(close + 1);
            if (!after.empty() && after[0] != ':')
                throw_url_error(redacted, "has junk after its host");
            if (!after.empty()) port = after.substr(1);
        } else if (const auto colon = item.find(':'); colon != std::string_view::npos) {
            if (item.find(':', colon + 1) != std::string_view::npos)
                throw_url_error(redacted, "has a host with more than one ':' (one port per "
                                          "host; an IPv6 address goes in brackets: [::1]:5432)");
            host = item.substr(0, colon);
            port = item.substr(colon + 1);
        }
        if (host.empty())
            throw_url_error(redacted, list.find(',') == std::string_view::npos
                                          ? "names no host"
                                          : "has an empty host in its host list");
        database_url::endpoint e{percent_decode(host, redacted, "host"), 0};
        if (!port.empty()) e.port = parse_port(port, redacted);
        hosts.push_back(std::move(e));
    }
    return hosts;
}

inline std::optional<std::string> take_query(database_url& url, std::string_view key) {
    const auto it = url.query.find(key);
    if (it == url.query.end()) return std::nullopt;
    std::string value = std::move(it->second);
    url.query.erase(it);
    return value;
}

inline std::vector<std::string_view> split_commas(std::string_view list) {
    std::vector<std::string_view> items;
    for (std::size_t start = 0;;) {
        const auto comma = list.find(',', start);
        items.push_back(list.substr(start, comma - start));
        if (comma == std::string_view::npos) return items;
        start = comma + 1;
    }
}

/// Moves host, port, user, password and dbname given as query parameters (libpq's keyword
/// form) into the URL's fields. A value given both ways is refused rather than guessed.
inline void fold_connection_keywords(database_url& url, bool has_password) {
    const auto twice = [&](std::string_view what, std::string_view key) {
        throw_url_error(url.redacted, "names its " + std::string{what} +
                                          " twice: in the authority and in ?" + std::string{key} +
                                          "=");
    };
    // Both would connect somewhere the URL does not name (a service file may name any server).
    for (const std::string_view key : {"hostaddr", "service"})
        if (url.query.contains(key))
            throw_url_error(url.redacted,
                            "has ?" + std::string{key} +
                                "=, which would connect to a server other than the hosts it "
                                "names; name the server as the URL's host instead");
    if (auto list = take_query(url, "host")) {
        if (!url.hosts.empty()) twice("host", "host");
        for (std::string_view host : split_commas(*list)) {
            if (host.empty()) throw_url_error(url.redacted, "has an empty host in ?host=");
            url.hosts.push_back({std::string{host}, 0});
        }
    }
    if (url.hosts.empty()) throw_url_error(url.redacted, "names no host");
    if (auto list = take_query(url, "port")) {
        for (const auto& e : url.hosts)
            if (e.port != 0) twice("port", "port");
        const auto ports = split_commas(*list);
        if (ports.size() != 1 && ports.size() != url.hosts.size())
            throw_url_error(url.redacted, "names " + std::to_string(url.hosts.size()) +
                                              " hosts but " + std::to_string(ports.size()) +
                                              " ports (give one port, or one per host)");
        for (std::size_t i = 0; i < url.hosts.size(); ++i) {
            const std::string_view port = ports[ports.size() == 1 ? 0 : i];
            url.hosts[i].port = port.empty() ? 0 : parse_port(port, url.redacted);
        }
    }
    if (auto user = take_query(url, "user")) {
        if (!url.user.empty()) twice("user", "user");
        url.user = std::move(*user);
    }
    if (auto password = take_query(url, "password")) {
        if (has_password) twice("password", "password");
        url.password = std::move(*password);
    }
    if (auto dbname = take_query(url, "dbname")) {
        if (!url.database.empty()) twice("database", "dbname");
        url.database = std::move(*dbname);
    }
}

inline database_url parse_sqlite_url(std::string_view text, std::string_view rest) {
    database_url url;
    url.backend = database_url::backend_kind::sqlite;
    // No credentials belong here, but a mistaken URL may hold some: mask as if unparsed.
    url.redacted = mask_unparsed_url(text);
    const auto q = rest.find('?');
    const std::string_view path = rest.substr(0, q);
    if (path == ":memory:" || path == "/:memory:") {
        url.path = ":memory:";
    } else if (path.size() > 1 && path[0] == '/') {
        // sqlite:///x.db -> "x.db" (relative); sqlite:////x.db -> "/x.db" (absolute)
        url.path = percent_decode(path.substr(1), url.redacted, "path");
    } else {
        throw_url_error(url.redacted, "names no SQLite file (expected sqlite:///relative.db, "
                                      "sqlite:////absolute/path.db or sqlite://:memory:)");
    }
    if (q != std::string_view::npos) parse_query(rest.substr(q + 1), url);
    return url;
}

inline database_url parse_postgres_url(std::string_view scheme, std::string_view rest) {
    database_url url;
    url.backend = database_url::backend_kind::postgres;
    const auto authority_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, authority_end);
    const std::string_view tail =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    const auto at = authority.rfind('@');
    // An '@' after the authority may end a password that holds an unencoded '/', '?' or '#'
    // (then the "host" before it is a piece of the password), or may sit in a query value.
    // Guessing could send the password to the wrong server: refuse.
    if (tail.find('@') != std::string_view::npos)
        throw_url_error(mask_unparsed_url(std::string{scheme} + "://" + std::string{rest}),
                        "is ambiguous: it has an '@' after its host. Percent-encode a '/', '?', "
                        "'#' or '@' inside the password (%2F, %3F, %23, %40), and an '@' in the "
                        "path or a query value (%40)");
    const std::string_view userinfo =
        at == std::string_view::npos ? std::string_view{} : authority.substr(0, at);
    const std::string_view host_list =
        at == std::string_view::npos ? authority : authority.substr(at + 1);
    const auto password_colon = userinfo.find(':');
    const bool has_password = password_colon != std::string_view::npos;

    const auto hash = tail.find('#');
    const std::string_view path_and_query = tail.substr(0, hash);
    const auto q = path_and_query.find('?');
    const std::string_view path = path_and_query.substr(0, q);

    url.redacted = std::string{scheme} + "://";
    if (at != std::string_view::npos) {
        url.redacted += userinfo.substr(0, password_colon);
        if (has_password) {
            url.redacted += ':';
            url.redacted += url_mask;
        }
        url.redacted += '@';
    }
    append_host_list_masked(url.redacted, host_list);
    url.redacted += path;
    if (q != std::string_view::npos) {
        url.redacted += '?';
        append_masked_query(url.redacted, path_and_query.substr(q + 1));
    }
    if (hash != std::string_view::npos) {
        url.redacted += '#';
        url.redacted += url_mask;
        throw_url_error(url.redacted, "has a '#' (a fragment, which DATABASE_URL does not "
                                      "take); percent-encode a '#' in a value as %23");
    }

    url.user = percent_decode(userinfo.substr(0, password_colon), url.redacted, "user");
    if (has_password)
        url.password =
            percent_decode(userinfo.substr(password_colon + 1), url.redacted, "password");
    url.hosts = parse_hosts(host_list, url.redacted);
    if (!path.empty()) {  // "/db"
        // A raw '/' is a second path segment, which a URL for PostgreSQL does not have; an
        // encoded one (%2F) is part of the name, as it is in ?dbname=.
        if (path.find('/', 1) != std::string_view::npos)
            throw_url_error(url.redacted, "has a '/' in its database name (write it as %2F)");
        url.database = percent_decode(path.substr(1), url.redacted, "database name");
    }
    if (q != std::string_view::npos) parse_query(path_and_query.substr(q + 1), url);
    fold_connection_keywords(url, has_password);
    return url;
}

}  // namespace detail

inline database_url parse_database_url(std::string_view text) {
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos || !detail::is_scheme(text.substr(0, scheme_end)))
        throw configuration_error("retort: DATABASE_URL has no scheme (expected sqlite:// or "
                                  "postgresql://; libpq's key=value form is not accepted). "
                                  "It is not shown: it may hold a password");
    const std::string_view scheme = text.substr(0, scheme_end);
    const std::string_view rest = text.substr(scheme_end + 3);
    if (scheme == "sqlite" || scheme == "sqlite3") return detail::parse_sqlite_url(text, rest);
    if (scheme == "postgresql" || scheme == "postgres")
        return detail::parse_postgres_url(scheme, rest);
    detail::throw_url_error(detail::mask_unparsed_url(text),
                            "has unsupported scheme '" + std::string{scheme} +
                                "' (expected sqlite:// or postgresql://)");
}

/// `url` as messages may show it: exactly masked when it parses, generously when it does not.
inline std::string redact_database_url(std::string_view url) {
    try {
        return parse_database_url(url).redacted;
    } catch (const configuration_error&) {
        return detail::mask_unparsed_url(url);
    }
}

namespace detail {
/// The name the migrate tool has always called; see redact_database_url.
inline std::string redact_url(std::string_view url) {
    return redact_database_url(url);
}
}  // namespace detail

/// DATABASE_URL from the environment, or an SQLite file `retort.db` in the working directory.
inline std::string database_url_from_env(std::string_view fallback = "sqlite:///retort.db") {
    const char* v = std::getenv("DATABASE_URL");
    return v && *v ? std::string{v} : std::string{fallback};
}

}  // namespace retort
