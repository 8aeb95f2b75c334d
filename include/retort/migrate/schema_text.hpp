// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A schema value as plain text, one line per table, column or rule: the snapshot a revision
// keeps of the models it was planned from. The next revision is planned against it, and
// `stamp` compares a live database with it. Strings are always double-quoted (quotes doubled;
// backslash, newline and carriage return escaped as \\, \n, \r, so an item stays on its line),
// keywords are bare, so the text diffs well in code review and parses back exactly.

#include <retort/error.hpp>
#include <retort/schema/schema.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace retort::migrate {

namespace detail {

constexpr std::array<std::string_view, 5> fk_action_words{"no-action", "restrict", "cascade",
                                                          "set-null", "set-default"};
constexpr std::array<std::string_view, 5> default_kind_words{"none", "boolean", "integer", "text",
                                                             "expression"};

/// A quoted string on one line: quotes doubled; backslash, newline and carriage return
/// written as \\, \n and \r.
inline void put_string(std::string& out, std::string_view s) {
    out += " \"";
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else {
            if (c == '"') out += '"';
            out += c;
        }
    }
    out += '"';
}

inline void put_word(std::string& out, std::string_view w) {
    out += ' ';
    out += w;
}

inline void put_list(std::string& out, const std::vector<std::string>& items) {
    put_word(out, std::to_string(items.size()));
    for (const auto& i : items) put_string(out, i);
}

/// Reads the tokens of one line: bare words and "quoted strings".
class line_reader {
public:
    line_reader(std::string_view line, std::size_t number) : line_(line), number_(number) {}

    bool at_end() {
        skip_spaces();
        return pos_ >= line_.size();
    }

    std::string next() {
        skip_spaces();
        if (pos_ >= line_.size()) fail("a value is missing");
        std::string out;
        if (line_[pos_] != '"') {
            while (pos_ < line_.size() && line_[pos_] != ' ') out += line_[pos_++];
            return out;
        }
        for (++pos_;; ++pos_) {
            if (pos_ >= line_.size()) fail("a quoted string is not closed");
            if (line_[pos_] == '"') {
                if (pos_ + 1 < line_.size() && line_[pos_ + 1] == '"') {
                    out += '"';
                    ++pos_;
                    continue;
                }
                ++pos_;
                return out;
            }
            if (line_[pos_] == '\\') {
                const char e = ++pos_ < line_.size() ? line_[pos_] : '\0';
                if (e != '\\' && e != 'n' && e != 'r') fail("unknown escape in a quoted string");
                out += e == 'n' ? '\n' : e == 'r' ? '\r' : '\\';
                continue;
            }
            out += line_[pos_];
        }
    }

    std::size_t number() {
        const std::string w = next();
        if (w.empty() || w.find_first_not_of("0123456789") != std::string::npos)
            fail("expected a number, found '" + w + "'");
        if (w.size() > 18) fail("number out of range: " + w);
        return std::stoull(w);
    }

    /// A column's length: "N" or "N+check".
    std::pair<std::size_t, bool> max_length() {
        std::string w = next();
        const bool checked = w.ends_with("+check");
        if (checked) w.resize(w.size() - 6);
        if (w.empty() || w.find_first_not_of("0123456789") != std::string::npos || w.size() > 18)
            fail("expected a length (N or N+check), found '" + w + (checked ? "+check'" : "'"));
        return {std::stoull(w), checked};
    }

    long long signed_number() {
        const std::string w = next();
        const std::size_t digits = w.size() > 1 && w[0] == '-' ? 1 : 0;
        if (w.size() == digits || w.find_first_not_of("0123456789", digits) != std::string::npos)
            fail("expected a number, found '" + w + "'");
        try {
            return std::stoll(w);
        } catch (const std::out_of_range&) {
            fail("number out of range: " + w);
        }
    }

    std::vector<std::string> list() {
        const std::size_t n = number();
        std::vector<std::string> items;
        for (std::size_t i = 0; i < n; ++i) items.push_back(next());  // next() fails when short
        return items;
    }

    template <std::size_t N>
    std::size_t word_of(const std::array<std::string_view, N>& words) {
        const std::string w = next();
        for (std::size_t i = 0; i < N; ++i)
            if (words[i] == w) return i;
        fail("unknown word '" + w + "'");
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw configuration_error("schema snapshot line " + std::to_string(number_) + ": " + what +
                                  ": " + std::string{line_});
    }

private:
    void skip_spaces() {
        while (pos_ < line_.size() && line_[pos_] == ' ') ++pos_;
    }
    std::string_view line_;
    std::size_t number_;
    std::size_t pos_ = 0;
};

/// Takes the next line off `text` (without its "\n" or "\r\n").
inline std::string_view next_line(std::string_view& text) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

inline logical_type parse_logical_type(line_reader& r) {
    const std::string w = r.next();
    for (std::size_t i = 0; i < logical_type_count; ++i)
        if (to_string(static_cast<logical_type>(i)) == w) return static_cast<logical_type>(i);
    r.fail("unknown type '" + w + "'");
}

}  // namespace detail

/// The schema as snapshot text, one item per line, ending in a newline. Renaming hints are
/// left out: a snapshot describes what is, not how it came to be.
inline std::string to_text(const schema::database& db) {
    using namespace detail;
    std::string out;
    for (const auto& t : db.tables) {
        out += "table";
        put_string(out, t.name);
        out += '\n';
        for (const auto& c : t.columns) {
            out += "  column";
            put_string(out, c.name);
            put_word(out, to_string(c.type));
            // "N+check" for checked_max_length<N>; a plain "N" (all older snapshots) is not.
            put_word(out, std::to_string(c.max_length) + (c.length_checked ? "+check" : ""));
            put_word(out, c.nullable ? "null" : "not-null");
            put_word(out, c.autoincrement ? "autoincrement" : "-");
            put_word(out, default_kind_words[static_cast<std::size_t>(c.server_default.type)]);
            put_word(out, std::to_string(c.server_default.integer));
            put_string(out, c.server_default.text);
            put_list(out, c.enum_values);
            // A type retort does not write (postgres_type<"inet">, or a live column's): last,
            // and only when there is one, so that older snapshots read the same.
            if (!c.native_type.empty()) {
                put_word(out, "native");
                put_string(out, c.native_type);
            }
            if (!c.computed.empty()) {  // so too a computed column's expression
                put_word(out, "computed");
                put_string(out, c.computed);
            }
            out += '\n';
        }
        if (!t.key.columns.empty()) {
            out += "  primary-key";
            put_string(out, t.key.name);
            put_list(out, t.key.columns);
            out += '\n';
        }
        for (const auto& u : t.uniques) {
            out += "  unique";
            put_string(out, u.name);
            put_list(out, u.columns);
            out += '\n';
        }
        for (const auto& i : t.indexes) {
            out += "  index";
            put_string(out, i.name);
            put_word(out, i.unique ? "unique" : "plain");
            put_string(out, i.where);
            put_list(out, i.columns);
            // PostgreSQL's method and operator classes, only when there are some.
            if (!i.method.empty() || !i.operator_classes.empty()) {
                put_word(out, "using");
                put_string(out, i.method);
                put_list(out, i.operator_classes);
            }
            // Which elements are expressions, only when some are.
            if (!i.expressions.empty()) {
                put_word(out, "expressions");
                std::vector<std::string> kinds;
                for (bool e : i.expressions) kinds.emplace_back(e ? "expression" : "column");
                put_list(out, kinds);
            }
            out += '\n';
        }
        for (const auto& f : t.foreign_keys) {
            out += "  foreign-key";
            put_string(out, f.name);
            put_list(out, f.columns);
            put_string(out, f.referenced_table);
            put_list(out, f.referenced_columns);
            put_word(out, fk_action_words[static_cast<std::size_t>(f.on_delete)]);
            put_word(out, fk_action_words[static_cast<std::size_t>(f.on_update)]);
            out += '\n';
        }
        for (const auto& c : t.checks) {
            out += "  check";
            put_string(out, c.name);
            put_string(out, c.expression);
            out += '\n';
        }
    }
    return out;
}

/// Parses what to_text wrote. Blank lines are skipped; anything else unknown is an error that
/// names the line.
inline schema::database schema_from_text(std::string_view text) {
    using namespace detail;
    schema::database db;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::string_view line = next_line(text);
        line_reader r(line, ++number);
        if (r.at_end()) continue;
        const std::string kind = r.next();
        if (kind == "table") {
            db.tables.emplace_back().name = r.next();
        } else if (db.tables.empty()) {
            r.fail("'" + kind + "' comes before any table");
        } else {
            schema::table& t = db.tables.back();
            if (kind == "column") {
                schema::column c;
                c.name = r.next();
                c.type = parse_logical_type(r);
                std::tie(c.max_length, c.length_checked) = r.max_length();
                c.nullable = r.word_of(std::array<std::string_view, 2>{"not-null", "null"}) == 1;
                c.autoincrement =
                    r.word_of(std::array<std::string_view, 2>{"-", "autoincrement"}) == 1;
                c.server_default.type =
                    static_cast<schema::default_value::kind>(r.word_of(default_kind_words));
                c.server_default.integer = r.signed_number();
                c.server_default.text = r.next();
                c.enum_values = r.list();
                bool native_read = false, computed_read = false;
                while (!r.at_end()) {
                    const auto which =
                        r.word_of(std::array<std::string_view, 2>{"native", "computed"});
                    bool& read = which == 0 ? native_read : computed_read;
                    if (read) r.fail("a column's native type or computed expression twice");
                    read = true;
                    (which == 0 ? c.native_type : c.computed) = r.next();
                }
                t.columns.push_back(std::move(c));
            } else if (kind == "primary-key") {
                t.key.name = r.next();
                t.key.columns = r.list();
                // to_text writes no key without columns: its name would be lost on rewrite.
                if (t.key.columns.empty()) r.fail("a primary key needs at least one column");
            } else if (kind == "unique") {
                auto& u = t.uniques.emplace_back();
                u.name = r.next();
                u.columns = r.list();
            } else if (kind == "index") {
                auto& i = t.indexes.emplace_back();
                i.name = r.next();
                i.unique = r.word_of(std::array<std::string_view, 2>{"plain", "unique"}) == 1;
                i.where = r.next();
                i.columns = r.list();
                bool method_read = false, kinds_read = false;
                while (!r.at_end()) {
                    if (r.word_of(std::array<std::string_view, 2>{"using", "expressions"}) == 0) {
                        if (method_read) r.fail("an index has one access method");
                        method_read = true;
                        i.method = r.next();
                        i.operator_classes = r.list();
                        continue;
                    }
                    if (kinds_read) r.fail("an index lists its element kinds once");
                    kinds_read = true;
                    for (const auto& k : r.list()) {
                        if (k != "expression" && k != "column")
                            r.fail("an index element is an expression or a column, not " + k);
                        i.expressions.push_back(k == "expression");
                    }
                    // to_text writes the kinds only where one is an expression: any other list
                    // would read back unequal to the schema it stands for.
                    if (i.expressions.size() != i.columns.size())
                        r.fail("an index lists one kind per element");
                    if (std::find(i.expressions.begin(), i.expressions.end(), true) ==
                        i.expressions.end())
                        r.fail("an index's element kinds are listed only when one is an "
                               "expression");
                    for (std::size_t k = 0; k < i.columns.size(); ++k)
                        if (i.expressions[k] && i.columns[k].empty())
                            r.fail("an index expression is empty");
                }
            } else if (kind == "foreign-key") {
                auto& f = t.foreign_keys.emplace_back();
                f.name = r.next();
                f.columns = r.list();
                f.referenced_table = r.next();
                f.referenced_columns = r.list();
                f.on_delete = static_cast<fk_action>(r.word_of(fk_action_words));
                f.on_update = static_cast<fk_action>(r.word_of(fk_action_words));
            } else if (kind == "check") {
                auto& c = t.checks.emplace_back();
                c.name = r.next();
                c.expression = r.next();
            } else {
                r.fail("unknown item '" + kind + "'");
            }
        }
        if (!r.at_end()) r.fail("unexpected text at the end");
    }
    return db;
}

}  // namespace retort::migrate
