// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What the driver knows of the types a database made itself (CREATE TYPE ... AS ENUM, CREATE
// EXTENSION citext): their OIDs differ from one database to the next, so the connection looks
// each one up in pg_type once, the first time a result holds one, before its rows are read.
// A type whose binary form is its text (an enum label, a citext) reads into std::string, and an
// array of such a type into std::vector<std::string>. Domains need nothing: the server
// describes a domain's column by its base type.

#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort::driver::postgres::detail {

class type_registry {
public:
    enum class kind : std::uint8_t { other, text, text_array };
    struct entry {
        kind what = kind::other;
        std::string name;  // format_type(), for messages
    };

    /// OIDs below this are the server's own, fixed in its catalog.
    static constexpr Oid first_user_oid = 16384;

    const entry* find(Oid oid) const {
        const auto it = entries_.find(oid);
        return it == entries_.end() ? nullptr : &it->second;
    }

    bool reads_as_text(Oid oid) const {
        const entry* e = find(oid);
        return e && e->what == kind::text;
    }
    bool reads_as_text_array(Oid oid) const {
        const entry* e = find(oid);
        return e && e->what == kind::text_array;
    }

    /// The user-defined column types of `result` not looked up yet, each once.
    std::vector<Oid> unknown_columns(const PGresult* result) const {
        std::vector<Oid> out;
        for (int c = 0, n = PQnfields(result); c < n; ++c) {
            const Oid oid = PQftype(result, c);
            if (oid >= first_user_oid && !entries_.contains(oid) &&
                std::find(out.begin(), out.end(), oid) == out.end())
                out.push_back(oid);
        }
        return out;
    }

    /// One row per OID of the array in $1 (text results): oid, kind ('t' text, 'a' array of
    /// text, '' other), element oid, name. Text means an enum, or a type sent as textsend
    /// sends (citext): its binary form is the text itself.
    static constexpr const char* lookup_sql =
        "SELECT t.oid, CASE WHEN t.typtype = 'e' OR p.proname IN ('textsend', 'citextsend', "
        "'varcharsend', 'bpcharsend') THEN 't' WHEN p.proname = 'array_send' AND "
        "(e.typtype = 'e' OR ep.proname IN ('textsend', 'citextsend', 'varcharsend', "
        "'bpcharsend')) THEN 'a' ELSE '' END, t.typelem, format_type(t.oid, NULL) "
        "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_proc p ON p.oid = t.typsend "
        "LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem "
        "LEFT JOIN pg_catalog.pg_proc ep ON ep.oid = e.typsend "
        "WHERE t.oid = ANY($1::pg_catalog.oid[])";

    /// Records what lookup_sql returned; an OID it did not return (a type dropped meanwhile)
    /// is recorded as unreadable, so it is not looked up again and again.
    void learn(const std::vector<Oid>& asked, const PGresult* rows) {
        for (Oid oid : asked) entries_.try_emplace(oid);
        for (int r = 0, n = PQntuples(rows); r < n; ++r) {
            const Oid oid = static_cast<Oid>(std::stoul(PQgetvalue(rows, r, 0)));
            const std::string_view what = PQgetvalue(rows, r, 1);
            const Oid element = static_cast<Oid>(std::stoul(PQgetvalue(rows, r, 2)));
            entry& e = entries_[oid];
            e.name = PQgetvalue(rows, r, 3);
            e.what = what == "t" ? kind::text : what == "a" ? kind::text_array : kind::other;
            if (e.what == kind::text_array)  // its elements, as the array's header names them
                entries_[element] = {kind::text, e.name.substr(0, e.name.size() - 2)};
        }
    }

    /// The query's parameter: {1,2,3}.
    static std::string oid_array(const std::vector<Oid>& oids) {
        std::string out = "{";
        for (std::size_t i = 0; i < oids.size(); ++i)
            out += (i ? "," : "") + std::to_string(oids[i]);
        return out + "}";
    }

private:
    std::unordered_map<Oid, entry> entries_;
};

}  // namespace retort::driver::postgres::detail
