// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Splits the SQL of a revision into statements, so each can be run, timed and named in an
// error on its own. A ';' ends a statement unless it is inside a string (E'...' with its
// backslash escapes too), a quoted identifier, a comment, a PostgreSQL dollar-quoted body
// ($$...$$, $tag$...$tag$) or the BEGIN ... END body of a CREATE TRIGGER. Comments before a
// statement are dropped; those inside are kept.

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace retort::migrate {

namespace detail {

inline bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

inline bool same_word(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
    return true;
}

/// Skips comments and whitespace from `i`; returns the position of the next code character.
inline std::size_t skip_space_and_comments(std::string_view s, std::size_t i) {
    while (i < s.size()) {
        if (std::isspace(static_cast<unsigned char>(s[i]))) {
            ++i;
        } else if (s.compare(i, 2, "--") == 0) {
            const std::size_t end = s.find('\n', i);
            i = end == std::string_view::npos ? s.size() : end + 1;
        } else if (s.compare(i, 2, "/*") == 0) {
            const std::size_t end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? s.size() : end + 2;
        } else {
            break;
        }
    }
    return i;
}

/// The first `most` words of a statement, quoted identifiers unquoted.
inline std::vector<std::string> sql_words(std::string_view sql, std::size_t most) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (out.size() < most && i < sql.size()) {
        const char c = sql[i];
        if (c == '"' || c == '`' || c == '[') {
            const char close = c == '[' ? ']' : c;
            std::string w;
            for (++i; i < sql.size(); ++i) {
                if (sql[i] == close) {
                    if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
                        w += close;
                        ++i;
                        continue;
                    }
                    ++i;
                    break;
                }
                w += sql[i];
            }
            out.push_back(std::move(w));
        } else if (is_word_char(c)) {
            std::string w;
            while (i < sql.size() && is_word_char(sql[i])) w += sql[i++];
            out.push_back(std::move(w));
        } else {
            ++i;
        }
    }
    return out;
}

}  // namespace detail

inline std::vector<std::string> split_statements(std::string_view sql) {
    using namespace detail;
    std::vector<std::string> out;
    std::size_t start = skip_space_and_comments(sql, 0);
    std::size_t i = start;
    int block_depth = 0;      // BEGIN/CASE ... END nesting inside a trigger body
    bool in_trigger = false;  // the statement is CREATE [TEMP] TRIGGER
    int words = 0;            // words seen in this statement (to spot CREATE ... TRIGGER)
    auto finish = [&](std::size_t end) {
        std::size_t last = end;
        while (last > start && std::isspace(static_cast<unsigned char>(sql[last - 1]))) --last;
        if (last > start) out.emplace_back(sql.substr(start, last - start));
        start = skip_space_and_comments(sql, end + 1);
        i = start;
        block_depth = 0;
        in_trigger = false;
        words = 0;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"' || c == '`') {
            // PostgreSQL's E'...' strings take backslash escapes: \' does not end them.
            const bool escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                                 (i == 1 || !is_word_char(sql[i - 2]));
            for (++i; i < sql.size(); ++i) {
                if (escapes && sql[i] == '\\') {
                    ++i;
                    continue;
                }
                if (sql[i] != c) continue;
                if (i + 1 < sql.size() && sql[i + 1] == c) {
                    ++i;
                    continue;
                }
                break;
            }
            ++i;
        } else if (c == '[') {  // SQLite's [identifier]
            const std::size_t end = sql.find(']', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (sql.compare(i, 2, "--") == 0 || sql.compare(i, 2, "/*") == 0) {
            const bool line = sql[i] == '-';
            const std::size_t end = sql.find(line ? "\n" : "*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + (line ? 1 : 2);
        } else if (c == '$' && (i == 0 || !is_word_char(sql[i - 1]))) {
            std::size_t tag_end = i + 1;
            while (tag_end < sql.size() && is_word_char(sql[tag_end])) ++tag_end;
            if (tag_end < sql.size() && sql[tag_end] == '$' &&
                !(tag_end > i + 1 && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
                const std::string_view tag = sql.substr(i, tag_end - i + 1);
                const std::size_t end = sql.find(tag, tag_end + 1);
                i = end == std::string_view::npos ? sql.size() : end + tag.size();
            } else {
                i = tag_end;  // $1, or a lone $
            }
        } else if (is_word_char(c)) {
            std::size_t end = i;
            while (end < sql.size() && is_word_char(sql[end])) ++end;
            const std::string_view word = sql.substr(i, end - i);
            ++words;
            if (words <= 3 && same_word(word, "TRIGGER")) in_trigger = true;
            if (in_trigger && (same_word(word, "BEGIN") || same_word(word, "CASE"))) ++block_depth;
            if (in_trigger && same_word(word, "END") && block_depth > 0) --block_depth;
            i = end;
        } else if (c == ';' && block_depth == 0) {
            finish(i);
        } else {
            ++i;
        }
    }
    if (start < sql.size()) finish(sql.size());
    return out;
}

}  // namespace retort::migrate
