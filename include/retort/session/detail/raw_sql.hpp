// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Raw SQL is written with `?` placeholders on both backends; for PostgreSQL they become $1,
// $2, ... Question marks inside string literals (also E'...' with backslash escapes), quoted
// identifiers, dollar-quoted strings and comments (nested /* */ too) are left alone, and `??`
// stands for a literal `?` (PostgreSQL's jsonb operators ?, ?| and ?&).

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

inline std::string number_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int n = 1;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (auto end = skip_quoted(sql, i); end != std::string_view::npos) {
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (sql[i] == '?' && i + 1 < sql.size() && sql[i + 1] == '?') {
            out += '?';
            ++i;
        } else if (sql[i] == '?') {
            out += '$';
            out += std::to_string(n++);
        } else {
            out += sql[i];
        }
    }
    return out;
}

}  // namespace retort::detail
