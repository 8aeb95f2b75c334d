// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The PRIMARY KEY and UNIQUE constraints a CREATE TABLE statement declares, with the names it
// gives them. SQLite keeps those names only in the table's SQL text (its indexes for them are
// called sqlite_autoindex_<table>_<n>), so a unique violation is named from here. A small
// scanner of its own: the driver does not depend on the migration layer's parser.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace retort::driver::sqlite::detail {

struct declared_key {
    std::string name;  // empty when the constraint is not named
    std::vector<std::string> columns;
    bool primary = false;
};

struct sql_token {
    enum kind_t { word, identifier, literal, punctuation } kind;
    std::string text;  // a quoted identifier unquoted; a punctuation's one character
};

inline bool same_name(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

inline bool is_word(const sql_token& t, std::string_view keyword) {
    return t.kind == sql_token::word && same_name(t.text, keyword);
}
inline bool is_punct(const sql_token& t, char c) {
    return t.kind == sql_token::punctuation && t.text[0] == c;
}

/// Words, quoted identifiers ("x", `x`, [x]), string literals and single punctuation
/// characters; whitespace and comments dropped.
inline std::vector<sql_token> scan_sql(std::string_view sql) {
    std::vector<sql_token> out;
    const auto word_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
    };
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            i = sql.find('\n', i);
        } else if (sql.substr(i, 2) == "/*") {
            i = sql.find("*/", i + 2);
            if (i != std::string_view::npos) i += 2;
        } else if (c == '"' || c == '`' || c == '[' || c == '\'') {
            const char close = c == '[' ? ']' : c;
            std::string text;
            std::size_t j = i + 1;
            for (; j < sql.size(); ++j) {
                if (sql[j] != close) {
                    text += sql[j];
                } else if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
                    text += close;  // a doubled quote stands for itself
                    ++j;
                } else {
                    break;
                }
            }
            out.push_back({c == '\'' ? sql_token::literal : sql_token::identifier, text});
            i = j + 1;
        } else if (word_char(c)) {
            std::size_t j = i;
            while (j < sql.size() && word_char(sql[j])) ++j;
            out.push_back({sql_token::word, std::string{sql.substr(i, j - i)}});
            i = j;
        } else {
            out.push_back({sql_token::punctuation, std::string(1, c)});
            ++i;
        }
        if (i == std::string_view::npos) break;
    }
    return out;
}

/// The index just past the parenthesis that closes the one at `open`.
inline std::size_t past_group(const std::vector<sql_token>& t, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < t.size(); ++i) {
        if (is_punct(t[i], '(')) ++depth;
        if (is_punct(t[i], ')') && --depth == 0) return i + 1;
    }
    return t.size();
}

/// The first name of each comma-separated item of the group at `open`: "(a, b COLLATE x)"
/// gives a, b.
inline std::vector<std::string> column_names(const std::vector<sql_token>& t, std::size_t open) {
    std::vector<std::string> names;
    const std::size_t end = past_group(t, open) - 1;
    bool item_start = true;
    for (std::size_t i = open + 1; i < end; ++i) {
        if (is_punct(t[i], '(')) {
            i = past_group(t, i) - 1;
            continue;
        }
        if (is_punct(t[i], ',')) {
            item_start = true;
            continue;
        }
        if (item_start) names.push_back(t[i].text);
        item_start = false;
    }
    return names;
}

/// [CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) as a table constraint at [i, end).
inline void read_table_key(const std::vector<sql_token>& t, std::size_t i, std::size_t end,
                           std::vector<declared_key>& out) {
    std::string name;
    if (is_word(t[i], "CONSTRAINT") && i + 1 < end) {
        name = t[i + 1].text;
        i += 2;
    }
    if (i >= end || !(is_word(t[i], "PRIMARY") || is_word(t[i], "UNIQUE"))) return;
    const bool primary = is_word(t[i], "PRIMARY");
    while (i < end && !is_punct(t[i], '(')) ++i;
    if (i < end) out.push_back({name, column_names(t, i), primary});
}

/// A column definition at [i, end): its PRIMARY KEY or UNIQUE column constraints, each with
/// the name a CONSTRAINT just before it gives.
inline void read_column_keys(const std::vector<sql_token>& t, std::size_t i, std::size_t end,
                             std::vector<declared_key>& out) {
    const std::string column = t[i].text;
    for (++i; i < end; ++i) {
        std::string name;
        if (is_word(t[i], "CONSTRAINT") && i + 2 < end) {
            name = t[i + 1].text;
            i += 2;
        }
        if (is_punct(t[i], '('))  // a type's (N), CHECK (...), DEFAULT (...): skipped whole
            i = past_group(t, i) - 1;
        else if (is_word(t[i], "PRIMARY") || is_word(t[i], "UNIQUE"))
            out.push_back({std::move(name), {column}, is_word(t[i], "PRIMARY")});
    }
}

/// Every PRIMARY KEY and UNIQUE constraint of a CREATE TABLE statement, in the order written.
inline std::vector<declared_key> declared_keys(std::string_view create_table) {
    std::vector<declared_key> out;
    const std::vector<sql_token> t = scan_sql(create_table);
    std::size_t open = 0;
    while (open < t.size() && !is_punct(t[open], '(')) ++open;
    if (open == t.size()) return out;  // CREATE TABLE ... AS SELECT
    const std::size_t close = past_group(t, open) - 1;
    std::size_t start = open + 1;
    for (std::size_t i = open + 1; i <= close && i < t.size(); ++i) {
        if (is_punct(t[i], '(')) {
            i = past_group(t, i) - 1;
            continue;
        }
        if (i != close && !is_punct(t[i], ',')) continue;
        if (start < i) {
            const sql_token& first = t[start];
            if (is_word(first, "CONSTRAINT") || is_word(first, "PRIMARY") ||
                is_word(first, "UNIQUE") || is_word(first, "CHECK") || is_word(first, "FOREIGN"))
                read_table_key(t, start, i, out);
            else
                read_column_keys(t, start, i, out);
        }
        start = i + 1;
    }
    return out;
}

}  // namespace retort::driver::sqlite::detail
