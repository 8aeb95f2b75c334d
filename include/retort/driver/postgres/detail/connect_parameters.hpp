// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The keyword and value arrays PQconnectdbParams takes, built from the options. Values are
// passed one by one (expand_dbname = 0), so none is ever parsed as a connection string, and
// nothing needs quoting. Unknown extra keywords are refused before connecting, against
// libpq's own list.

#include <retort/driver/postgres/options.hpp>
#include <retort/error.hpp>

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::driver::postgres::detail {

// Throws configuration_error for a keyword libpq does not know, checked against libpq's own list.
inline void check_libpq_keywords(const std::vector<std::pair<std::string, std::string>>& extra) {
    if (extra.empty()) return;
    const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> defaults{PQconndefaults(),
                                                                                &PQconninfoFree};
    if (defaults == nullptr) return;  // out of memory: let PQconnectdbParams judge
    for (const auto& [keyword, value] : extra) {
        bool known = false;
        for (const PQconninfoOption* option = defaults.get(); option->keyword != nullptr && !known;
             ++option)
            known = keyword == option->keyword;
        if (!known)
            throw configuration_error("retort: \"" + keyword +
                                      "\" is not a libpq connection option");
    }
}

/// The options' fields own these keywords; a second value in `extra` is refused. So are the
/// keywords that make libpq connect to a server the hosts do not name (hostaddr, service),
/// in `extra` and in the environment, where libpq would read them.
inline void check_no_field_keywords(const std::vector<std::pair<std::string, std::string>>& extra) {
    static constexpr std::string_view owned[] = {"host",
                                                 "port",
                                                 "user",
                                                 "password",
                                                 "dbname",
                                                 "sslmode",
                                                 "sslrootcert",
                                                 "connect_timeout",
                                                 "application_name",
                                                 "client_encoding"};
    for (const auto& entry : extra) {
        for (const std::string_view keyword : owned)
            if (entry.first == keyword)
                throw configuration_error("retort: \"" + entry.first +
                                          "\" is set through its own field of the PostgreSQL "
                                          "options, not through extra");
        if (entry.first == "hostaddr" || entry.first == "service")
            throw configuration_error("retort: \"" + entry.first +
                                      "\" would connect to a server other than the options' "
                                      "hosts; name the server in `hosts`");
    }
    for (const char* variable : {"PGHOSTADDR", "PGSERVICE"})
        if (const char* value = std::getenv(variable); value != nullptr && *value != '\0')
            throw configuration_error(std::string{"retort: the environment sets "} + variable +
                                      ", which would make libpq connect to a server other than "
                                      "the hosts retort was given; unset it");
}

/// "h1:5432,[::1]:5433": the servers a connection tries, as messages name them.
inline std::string describe_hosts(const std::vector<host_port>& hosts) {
    std::string text;
    for (const auto& h : hosts) {
        if (!text.empty()) text += ',';
        const bool bracket = h.host.find(':') != std::string::npos;
        text += bracket ? "[" + h.host + "]" : h.host;
        text += ':';
        text += std::to_string(h.port);
    }
    return text;
}

class connect_parameters {
public:
    explicit connect_parameters(const options& opts)
        : timeout_(std::to_string(opts.connect_timeout_s)) {
        if (opts.hosts.empty())
            throw configuration_error("retort: the PostgreSQL options name no host");
        for (const auto& h : opts.hosts) {
            if (h.host.empty() || h.host.find(',') != std::string::npos)
                throw configuration_error("retort: the PostgreSQL host \"" + h.host +
                                          "\" is not valid (empty, or holds a comma)");
            if (h.port <= 0 || h.port > 65535)
                throw configuration_error("retort: the PostgreSQL port " + std::to_string(h.port) +
                                          " of host \"" + h.host + "\" is not valid");
            hosts_ += (hosts_.empty() ? "" : ",") + h.host;
            ports_ += (ports_.empty() ? "" : ",") + std::to_string(h.port);
        }
        if (opts.connect_timeout_s < 0)
            throw configuration_error("retort: the PostgreSQL connect_timeout_s is negative");
        add("host", hosts_);
        add("port", ports_);
        add("user", opts.user);
        add("password", opts.password);
        add("dbname", opts.dbname);
        add("sslmode", opts.sslmode);
        add("sslrootcert", opts.sslrootcert);
        add("connect_timeout", timeout_);
        add("application_name", opts.application_name);
        add("client_encoding", "UTF8");
        check_no_field_keywords(opts.extra);
        check_libpq_keywords(opts.extra);
        for (const auto& [keyword, value] : opts.extra) add(keyword.c_str(), value);
        keywords_.push_back(nullptr);
        values_.push_back(nullptr);
    }

    // values() points into the members: the object stays where it was built.
    connect_parameters(const connect_parameters&) = delete;
    connect_parameters& operator=(const connect_parameters&) = delete;

    const char* const* keywords() const noexcept { return keywords_.data(); }
    const char* const* values() const noexcept { return values_.data(); }

private:
    // Keeps pointers: `value` must outlive this object (the options do, while connecting).
    void add(const char* keyword, const std::string& value) {
        if (value.empty()) return;  // unset: libpq applies its default (and would ignore "" anyway)
        keywords_.push_back(keyword);
        values_.push_back(value.c_str());
    }
    void add(const char* keyword, const char* value) {
        keywords_.push_back(keyword);
        values_.push_back(value);
    }

    std::string hosts_;
    std::string ports_;
    std::string timeout_;
    std::vector<const char*> keywords_;
    std::vector<const char*> values_;
};

}  // namespace retort::driver::postgres::detail
