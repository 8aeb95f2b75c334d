// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What a column's values must fit, and the rows that do not. SQLite keeps any integer in a
// SMALLINT or INTEGER column and text of any length in a VARCHAR(n) one: a column the models
// declare narrower (int16, int32, max_length) can hold values they cannot read; validate()
// counts them, and a rebuild that narrows a column refuses them. On PostgreSQL a revision
// counts them before it narrows a column (the server's own refusal gives no count).

#include <retort/dialect/ddl.hpp>
#include <retort/migrate/misfit.hpp>
#include <retort/schema/schema.hpp>
#include <retort/session/session.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace retort::migrate::detail {

/// What a column's values must fit: integers within [low, high], or text of at most `length`
/// characters (0: no length).
struct value_limit {
    std::string column;
    std::int64_t low = std::numeric_limits<std::int64_t>::min();
    std::int64_t high = std::numeric_limits<std::int64_t>::max();
    std::size_t length = 0;

    bool is_length() const { return length != 0; }
    /// No value that fits `wider` fails this one.
    bool no_narrower_than(const value_limit& wider) const {
        if (is_length() != wider.is_length()) return false;
        return is_length() ? length >= wider.length : low <= wider.low && high >= wider.high;
    }
    std::string description() const {
        if (is_length()) return "longer than " + std::to_string(length) + " characters";
        return "not an integer from " + std::to_string(low) + " to " + std::to_string(high);
    }
    /// True for a value that does not fit (NULL for NULL: sum() passes it by). SQLite's
    /// spelling: a column of any declared type may hold a value of any storage class.
    std::string misfit_sql() const {
        const std::string c = dialect::quote_identifier(column);
        if (is_length()) return "length(" + c + ") > " + std::to_string(length);
        return "(typeof(" + c + ") NOT IN ('integer', 'null') OR " + c + " NOT BETWEEN " +
               std::to_string(low) + " AND " + std::to_string(high) + ")";
    }
    /// The same where the column's type holds its values (PostgreSQL): range and length,
    /// less the trailing spaces a varchar cuts off rather than refuse.
    std::string misfit_sql_typed() const {
        const std::string c = dialect::quote_identifier(column);
        if (is_length())  // ::text: an enum column too
            return "char_length(rtrim(" + c + "::text, ' ')) > " + std::to_string(length);
        return c + " NOT BETWEEN " + std::to_string(low) + " AND " + std::to_string(high);
    }
};

inline value_limit length_limit(std::string column, std::size_t length) {
    value_limit l;
    l.column = std::move(column);
    l.length = length;
    return l;
}

inline value_limit integer_limit(std::string column, int bits) {
    value_limit l;
    l.column = std::move(column);
    l.high = (std::int64_t{1} << (bits - 1)) - 1;
    l.low = -l.high - 1;
    return l;
}

/// The limit a model column puts on SQLite's values, if any: int16, int32, and a max_length
/// no CHECK enforces.
inline std::optional<value_limit> limit_of(const schema::column& c) {
    if (c.type == logical_type::int16) return integer_limit(c.name, 16);
    if (c.type == logical_type::int32) return integer_limit(c.name, 32);
    if (c.max_length && !c.length_checked) return length_limit(c.name, c.max_length);
    return std::nullopt;
}

/// The limit retort's SQLite DDL means by a declared type: SMALLINT, INTEGER (not the rowid
/// key, which AUTOINCREMENT writes for a 64-bit key too), VARCHAR(n).
inline std::optional<value_limit> limit_of_declared(const std::string& column,
                                                    std::string_view declared, bool rowid_key) {
    if (declared == "SMALLINT") return integer_limit(column, 16);
    if (declared == "INTEGER") {
        if (rowid_key) return std::nullopt;
        return integer_limit(column, 32);
    }
    constexpr std::string_view varchar = "VARCHAR(";
    if (declared.size() > varchar.size() + 1 && declared.substr(0, varchar.size()) == varchar &&
        declared.back() == ')') {
        value_limit l;
        l.column = column;
        for (char ch : declared.substr(varchar.size(), declared.size() - varchar.size() - 1)) {
            if (ch < '0' || ch > '9' || l.length > 100'000'000) return std::nullopt;
            l.length = l.length * 10 + static_cast<std::size_t>(ch - '0');
        }
        if (l.length) return l;
    }
    return std::nullopt;
}

/// Counts, in one scan of `table`, the rows that do not fit each of `limits`.
template <class Backend>
std::vector<misfit> count_misfits(basic_session<Backend>& s, const std::string& table,
                                  const std::vector<value_limit>& limits) {
    std::vector<misfit> out;
    if (limits.empty()) return out;
    std::string counts = "''";  // text, however many counts follow
    for (const auto& l : limits) counts += " || ' ' || coalesce(sum(" + l.misfit_sql() + "), 0)";
    for (auto& [line] : s.template query<std::string>("SELECT " + counts + " FROM " +
                                                      dialect::quote_identifier(table))) {
        std::istringstream in(line);
        for (const auto& l : limits) {
            std::int64_t n = 0;
            in >> n;
            if (n > 0) out.push_back({table, l.column, l.description(), n});
        }
    }
    return out;
}

}  // namespace retort::migrate::detail
