// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Where expressions write their SQL: quoting from compile-time names, placeholders numbered
// the way the dialect wants. Values never pass through here; they are bound separately.

#include <retort/schema/naming.hpp>

#include <string>
#include <string_view>

namespace retort::query {

template <class Dialect>
struct render_context {
    using dialect = Dialect;
    std::string sql;
    int next_param = 1;
    bool qualify_columns = true;  // "table"."column"; off where a dialect forbids it (UPDATE SET)

    void text(std::string_view s) { sql += s; }
    void identifier(std::string_view name) {
        sql += '"';
        for (char c : name) {
            if (c == '"') sql += '"';
            sql += c;
        }
        sql += '"';
    }
    void column(std::string_view table, std::string_view name) {
        if (qualify_columns) {
            identifier(table);
            sql += '.';
        }
        identifier(name);
    }
    void placeholder() { Dialect::placeholder(sql, next_param++); }
};

}  // namespace retort::query
