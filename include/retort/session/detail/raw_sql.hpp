// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Raw SQL is written with `?` placeholders on both backends; for PostgreSQL they become $1,
// $2, ... Question marks inside string literals (also E'...' with backslash escapes), quoted
// identifiers, dollar-quoted strings and comments (nested /* */ too) are left alone, and `??`
// stands for a literal `?` (PostgreSQL's jsonb operators ?, ?| and ?&). The same scan counts
// the placeholders, so that a call with another number of arguments fails before it is sent.

#include <cctype>
#include <string>
#include <string_view>

namespace retort::detail {

inline bool is_identifier_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

/// The index of the last character of the token that starts at `i`, when that token is a
/// literal, quoted identifier, comment or dollar-quoted string; npos when it is not.
inline std::size_t skip_quoted(std::string_view sql, std::size_t i) {
    const char c = sql[i];
    const std::size_t last = sql.size() - 1;
    if (c == '\'' || c == '"') {
        const bool backslash_escapes = c == '\'' && i > 0 &&
                                       (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                                       (i < 2 || !is_identifier_char(sql[i - 2]));
        for (std::size_t j = i + 1; j < sql.size(); ++j) {
            if (backslash_escapes && sql[j] == '\\') {
                ++j;
            } else if (sql[j] == c) {
                if (j + 1 < sql.size() && sql[j + 1] == c) {
                    ++j;  // doubled quote
                    continue;
                }
                return j;
            }
        }
        return last;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
        auto end = sql.find('\n', i);
        return end == std::string_view::npos ? last : end;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
        int depth = 0;
        for (std::size_t j = i; j + 1 < sql.size(); ++j) {
            if (sql[j] == '/' && sql[j + 1] == '*') {
                ++depth;
                ++j;
            } else if (sql[j] == '*' && sql[j + 1] == '/') {
                ++j;
                if (--depth == 0) return j;
            }
        }
        return last;
    }
    if (c == '$' && (i == 0 || !is_identifier_char(sql[i - 1]))) {
        std::size_t j = i + 1;
        while (j < sql.size() &&
               (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_'))
            ++j;
        if (j < sql.size() && sql[j] == '$' &&
            !(j > i + 1 && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
            std::string_view tag = sql.substr(i, j - i + 1);
            auto close = sql.find(tag, j + 1);
            return close == std::string_view::npos ? last : close + tag.size() - 1;
        }
    }
    return std::string_view::npos;
}

/// Walks `sql` once: text to keep goes to on_text, each `?` placeholder to on_placeholder, in
/// order. Quoted text, comments and dollar quotes are kept whole; `??` is kept as one `?`.
template <class OnText, class OnPlaceholder>
void scan_placeholders(std::string_view sql, OnText&& on_text, OnPlaceholder&& on_placeholder) {
    std::size_t kept = 0;  // the start of the text not handed to on_text yet
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (auto end = skip_quoted(sql, i); end != std::string_view::npos) {
            i = end;
        } else if (sql[i] == '?') {
            on_text(sql.substr(kept, i - kept));
            if (i + 1 < sql.size() && sql[i + 1] == '?') {
                on_text(sql.substr(i, 1));
                ++i;
            } else {
                on_placeholder();
            }
            kept = i + 1;
        }
    }
    on_text(sql.substr(kept));
}

/// How many `?` placeholders `sql` has: the number of arguments it takes.
inline int count_placeholders(std::string_view sql) {
    int count = 0;
    scan_placeholders(
        sql, [](std::string_view) {}, [&] { ++count; });
    return count;
}

/// SQL for PostgreSQL: `?` numbered $1, $2, ..., and how many there are.
struct numbered_sql {
    std::string text;
    int placeholders = 0;
};

inline numbered_sql number_placeholders_counted(std::string_view sql) {
    numbered_sql out;
    out.text.reserve(sql.size() + 8);
    scan_placeholders(
        sql, [&](std::string_view text) { out.text.append(text); },
        [&] {
            out.text += '$';
            out.text += std::to_string(++out.placeholders);
        });
    return out;
}

inline std::string number_placeholders(std::string_view sql) {
    return number_placeholders_counted(sql).text;
}

}  // namespace retort::detail
