// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Raw SQL is written with `?` placeholders on both backends; for PostgreSQL they become $1,
// $2, ... Question marks inside string literals, quoted identifiers, dollar-quoted strings and
// comments are left alone.

#include <cctype>
#include <string>
#include <string_view>

namespace retort::detail {

inline std::string number_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int n = 1;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            std::size_t end = i + 1;
            while (end < sql.size() && sql[end] != c) ++end;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            std::size_t end = sql.find('\n', i);
            if (end == std::string_view::npos) end = sql.size() - 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            std::size_t end = sql.find("*/", i + 2);
            end = end == std::string_view::npos ? sql.size() - 1 : end + 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (c == '$' && i + 1 < sql.size() && (sql[i + 1] == '$' || std::isalpha(static_cast<unsigned char>(sql[i + 1])))) {
            std::size_t tag_end = sql.find('$', i + 1);
            if (tag_end == std::string_view::npos) {
                out += c;
                continue;
            }
            std::string_view tag = sql.substr(i, tag_end - i + 1);
            std::size_t close = sql.find(tag, tag_end + 1);
            std::size_t end = close == std::string_view::npos ? sql.size() - 1 : close + tag.size() - 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (c == '?') {
            out += '$';
            out += std::to_string(n++);
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace retort::detail
