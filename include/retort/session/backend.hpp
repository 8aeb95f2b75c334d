// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The two backends, as traits: each names its dialect, driver and how a URL configures it.
// Code templated on a backend is statically typed; the runtime choice happens once, in engine.

#include <retort/dialect/postgres.hpp>
#include <retort/dialect/sqlite.hpp>
#include <retort/driver/postgres.hpp>
#include <retort/driver/sqlite.hpp>
#include <retort/session/url.hpp>

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

namespace retort {

namespace detail {
inline int url_int(const database_url& url, std::string_view key, int value) {
    auto it = url.query.find(key);
    if (it == url.query.end()) return value;
    int v = 0;
    auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc{} || end != it->second.data() + it->second.size() || v < 0)
        throw configuration_error("retort: DATABASE_URL " + url.redacted + " has an invalid " +
                                  std::string{key} + " '" + it->second +
                                  "' (expected a whole number)");
    return v;
}
inline bool url_bool(const database_url& url, std::string_view key, bool value) {
    auto it = url.query.find(key);
    if (it == url.query.end()) return value;
    const std::string& v = it->second;
    if (v == "1" || v == "true" || v == "on" || v == "yes") return true;
    if (v == "0" || v == "false" || v == "off" || v == "no") return false;
    throw configuration_error("retort: DATABASE_URL " + url.redacted + " has an invalid " +
                              std::string{key} + " '" + v + "' (expected true or false)");
}
/// Runs one of the driver's checks of a PRAGMA value (the driver owns the allowed lists), so
/// that a bad value fails when the URL is read; the message gains the masked URL.
template <class Check>
std::string checked_pragma(const database_url& url, Check check, const std::string& value) {
    try {
        check(value);
    } catch (const configuration_error& e) {
        throw configuration_error(std::string{e.what()} + " in DATABASE_URL " + url.redacted);
    }
    return value;
}
inline bool env_true(const char* name) {
    const char* v = std::getenv(name);
    if (!v) return false;
    std::string_view s{v};
    return s == "1" || s == "true" || s == "TRUE" || s == "True" || s == "yes" || s == "on";
}
}  // namespace detail

struct sqlite {
    static constexpr std::string_view name = "sqlite";
    using dialect = retort::dialect::sqlite;
    using connection = driver::sqlite::connection;
    using options = driver::sqlite::options;
    using row = driver::sqlite::row;

    /// Query parameters: journal_mode, synchronous, foreign_keys, busy_timeout (ms), mode=ro,
    /// statement_cache_size (raw statements kept; 0: none).
    static options options_from(const database_url& url) {
        options o;
        o.path = url.path;
        for (const auto& [key, value] : url.query) {
            if (key != "journal_mode" && key != "synchronous" && key != "foreign_keys" &&
                key != "busy_timeout" && key != "mode" && key != "statement_cache_size")
                throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                          " has unknown SQLite option '" + key +
                                          "' (known: journal_mode, synchronous, foreign_keys, "
                                          "busy_timeout, mode, statement_cache_size)");
        }
        if (auto it = url.query.find("journal_mode"); it != url.query.end())
            o.journal_mode =
                detail::checked_pragma(url, driver::sqlite::detail::check_journal_mode, it->second);
        if (auto it = url.query.find("synchronous"); it != url.query.end())
            o.synchronous =
                detail::checked_pragma(url, driver::sqlite::detail::check_synchronous, it->second);
        o.foreign_keys = detail::url_bool(url, "foreign_keys", o.foreign_keys);
        o.busy_timeout_ms = detail::url_int(url, "busy_timeout", o.busy_timeout_ms);
        o.statement_cache_size = static_cast<std::size_t>(
            detail::url_int(url, "statement_cache_size", static_cast<int>(o.statement_cache_size)));
        if (auto it = url.query.find("mode"); it != url.query.end()) {
            if (it->second != "ro" && it->second != "rw")
                throw configuration_error("retort: DATABASE_URL " + url.redacted +
                                          " has an invalid mode '" + it->second +
                                          "' (expected ro or rw)");
            o.read_only = it->second == "ro";
        }
        return o;
    }
};

struct postgres {
    static constexpr std::string_view name = "postgresql";
    using dialect = retort::dialect::postgres;
    using connection = driver::postgres::connection;
    using options = driver::postgres::options;
    using row = driver::postgres::row;

    /// Query parameters: sslmode, sslrootcert, connect_timeout, application_name, and any other
    /// libpq keyword (host, port, user, password and dbname are the URL's own fields).
    /// PG_SSL_ROOT_CERT and PG_SSL_ALLOW_SELF_SIGNED fill in what the URL leaves.
    static options options_from(const database_url& url) {
        options o;
        o.hosts.clear();
        for (const auto& e : url.hosts) o.hosts.push_back({e.host, e.port != 0 ? e.port : 5432});
        o.user = url.user;
        o.password = url.password;
        o.dbname = url.database.empty() ? url.user : url.database;
        for (const auto& [key, value] : url.query) {
            if (key == "sslmode")
                o.sslmode = value;
            else if (key == "sslrootcert")
                o.sslrootcert = value;
            else if (key == "connect_timeout")
                o.connect_timeout_s = detail::url_int(url, key, 5);
            else if (key == "application_name")
                o.application_name = value;
            else if (key == "statement_cache_size")  // retort's, not libpq's
                o.statement_cache_size = static_cast<std::size_t>(detail::url_int(url, key, 0));
            else if (key == "statement_cache")
                o.statement_cache = detail::url_bool(url, key, true);
            else
                o.extra.emplace_back(key, value);
        }
        if (o.sslrootcert.empty())
            if (const char* cert = std::getenv("PG_SSL_ROOT_CERT"); cert && *cert) {
                o.sslrootcert = cert;
                if (o.sslmode.empty()) o.sslmode = "verify-full";
            }
        // A self-signed server certificate: encrypt, but do not verify the chain.
        if (o.sslmode.empty() && detail::env_true("PG_SSL_ALLOW_SELF_SIGNED"))
            o.sslmode = "require";
        try {  // refused here, so that the message can name the URL
            driver::postgres::detail::check_no_field_keywords(o.extra);
            driver::postgres::detail::check_libpq_keywords(o.extra);
        } catch (const configuration_error& e) {
            throw configuration_error(std::string{e.what()} + " in DATABASE_URL " + url.redacted);
        }
        return o;
    }
};

}  // namespace retort
