// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A revision: one reviewable SQL file in the migrations directory, named
// `<NNNN>_<slug>.sql` (the id is the file name without `.sql`). It holds a header (its parent
// and message), the SQL of each direction for each dialect, and the snapshot of the models'
// schema after it:
//
//   -- retort revision 0002_add_lessons
//   -- parent: 0001_initial
//   -- message: add lessons
//
//   -- up: sqlite
//   CREATE TABLE ...;
//   -- down: sqlite
//   ...
//   -- up: postgresql
//   ...
//   -- down: postgresql
//   ...
//
//   --| table "dgs_lessons"
//   --|   column "lesson_id" text 0 not-null - none 0 "" 0
//
// Everything above the snapshot is meant to be read and may be edited by hand (a data
// migration is SQL added to a section). The checksum covers the whole file, so an applied
// revision that is edited afterwards is detected.

#include <retort/error.hpp>
#include <retort/migrate/schema_text.hpp>
#include <retort/migrate/sql_script.hpp>
#include <retort/schema/naming.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace retort::migrate {

enum class direction { up, down };

struct revision {
    std::string id;      // "0002_add_lessons"
    std::string parent;  // empty for the first revision
    std::string message;
    std::string checksum;  // 16 hex digits, FNV-1a 64 of the file's text
    std::filesystem::path path;
    std::map<std::string, std::string, std::less<>> sections;  // "up: sqlite" -> its SQL
    schema::database snapshot;                                 // the models after it

    static std::string section_name(direction d, std::string_view dialect) {
        return std::string{d == direction::up ? "up: " : "down: "} + std::string{dialect};
    }

    /// The statements of one direction for one dialect (none when the section is missing).
    std::vector<std::string> statements(direction d, std::string_view dialect) const {
        auto it = sections.find(section_name(d, dialect));
        return it == sections.end() ? std::vector<std::string>{} : split_statements(it->second);
    }
};

inline std::string checksum_of(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : text) {
        if (c == '\r') continue;  // a checkout with CRLF line ends is the same revision
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return schema::to_hex(h, 16);
}

/// The text of a revision file. `up`/`down` map a dialect name to its statements.
struct revision_source {
    std::string id, parent, message;
    std::vector<std::string> notes;  // one line each, shown in the header (what it changes)
    std::vector<std::pair<std::string, std::vector<std::string>>> up, down;
    schema::database snapshot;
};

inline std::string format_revision(const revision_source& r) {
    std::string out = "-- retort revision " + r.id + "\n";
    out += "-- parent:" + (r.parent.empty() ? "" : " " + r.parent) + "\n";
    out += "-- message: " + r.message.substr(0, r.message.find_first_of("\r\n")) + "\n";
    for (std::string n : r.notes) {  // one comment line each, whatever the text holds
        std::replace(n.begin(), n.end(), '\n', ' ');
        std::replace(n.begin(), n.end(), '\r', ' ');
        out += "--   " + n + "\n";
    }
    auto section = [&](direction d, const std::string& dialect,
                       const std::vector<std::string>& statements) {
        out += "\n-- " + revision::section_name(d, dialect) + "\n";
        for (const auto& s : statements) out += s + ";\n";
    };
    for (std::size_t i = 0; i < r.up.size(); ++i) {
        section(direction::up, r.up[i].first, r.up[i].second);
        section(direction::down, r.down[i].first, r.down[i].second);
    }
    out +=
        "\n-- The models' schema after this revision: the next revision is planned from it, and\n"
        "-- `stamp` compares a database with it. Keep it in step with hand edits above.\n";
    std::istringstream lines(to_text(r.snapshot));
    for (std::string line; std::getline(lines, line);) out += "--| " + line + "\n";
    return out;
}

inline revision parse_revision(std::string_view text, std::filesystem::path path = {}) {
    revision r;
    r.path = std::move(path);
    r.checksum = checksum_of(text);
    const std::string where = r.path.empty() ? std::string{"revision"} : r.path.string();
    std::string snapshot, *current = nullptr;
    bool header_seen = false;
    std::size_t number = 0;
    while (!text.empty()) {
        std::string_view line = detail::next_line(text);
        ++number;
        auto starts = [&](std::string_view p) { return line.substr(0, p.size()) == p; };
        if (starts("--|")) {
            line.remove_prefix(line.size() > 3 && line[3] == ' ' ? 4 : 3);
            snapshot.append(line).push_back('\n');
        } else if (starts("-- retort revision ")) {
            r.id = std::string{line.substr(19)};
            header_seen = true;
        } else if (!current && starts("-- parent:")) {
            r.parent = std::string{line.substr(10)};
            r.parent.erase(0, r.parent.find_first_not_of(' '));
        } else if (!current && starts("-- message:")) {
            r.message = std::string{line.substr(11)};
            r.message.erase(0, r.message.find_first_not_of(' '));
        } else if (starts("-- up: ") || starts("-- down: ")) {
            current = &r.sections[std::string{line.substr(3)}];
        } else if (current) {
            current->append(line).push_back('\n');
        } else if (!line.empty() && !starts("--")) {
            throw configuration_error(where + " line " + std::to_string(number) +
                                      ": SQL before the first '-- up: <dialect>' section");
        }
    }
    if (!header_seen || r.id.empty())
        throw configuration_error(where + ": not a retort revision (no '-- retort revision <id>')");
    try {
        r.snapshot = schema_from_text(snapshot);
    } catch (const configuration_error& e) {
        throw configuration_error(where + ": " + e.what());
    }
    return r;
}

inline revision load_revision(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw configuration_error("cannot read revision file " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    revision r = parse_revision(text.str(), file);
    if (r.id != file.stem().string())
        throw configuration_error(file.string() + ": the file is named " + file.stem().string() +
                                  " but says it is revision " + r.id);
    return r;
}

/// The revisions of a directory as one chain, base first. Errors name the problem: a missing
/// directory (unless `may_be_missing`: the first `revision` creates it), a parent that is
/// missing, two revisions with one parent (branches), a cycle.
inline std::vector<revision> load_history(const std::filesystem::path& dir,
                                          bool may_be_missing = false) {
    std::vector<revision> all;
    if (!may_be_missing && !std::filesystem::is_directory(dir))
        throw configuration_error("no migrations directory " + dir.string() +
                                  " (give --dir, or RETORT_MIGRATIONS_DIR)");
    if (std::filesystem::exists(dir)) {
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (entry.is_regular_file() && entry.path().extension() == ".sql")
                all.push_back(load_revision(entry.path()));
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::map<std::string, const revision*, std::less<>> by_parent, by_id;
    for (const auto& r : all) {
        if (!by_id.emplace(r.id, &r).second)
            throw configuration_error("two revisions have the id " + r.id);
        auto [it, fresh] = by_parent.emplace(r.parent, &r);
        if (!fresh)
            throw configuration_error("revisions " + it->second->id + " and " + r.id +
                                      " both follow " +
                                      (r.parent.empty() ? std::string{"the base"} : r.parent) +
                                      ": the history has branched; set one's parent to the other");
    }
    for (const auto& r : all)
        if (!r.parent.empty() && !by_id.count(r.parent))
            throw configuration_error("revision " + r.id + " follows " + r.parent +
                                      ", which is not in " + dir.string());
    std::vector<revision> chain;
    for (auto it = by_parent.find(""); it != by_parent.end(); it = by_parent.find(chain.back().id))
        chain.push_back(*it->second);
    if (chain.size() != all.size())
        throw configuration_error("the revisions in " + dir.string() +
                                  " do not form one chain from the base");
    return chain;
}

/// "0003" from the history so far; the next revision's number.
inline std::string next_revision_number(const std::vector<revision>& history) {
    std::size_t next = 1;
    for (const auto& r : history) {
        std::size_t n = 0;
        for (char c : r.id) {
            if (c < '0' || c > '9') break;
            n = n * 10 + static_cast<std::size_t>(c - '0');
        }
        next = std::max(next, n + 1);
    }
    std::string digits = std::to_string(next);
    return std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
}

/// A file-name-safe slug of a message: lower-case words joined by '_', at most 40 bytes.
inline std::string slug_of(std::string_view message) {
    std::string out;
    for (char c : message) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            out += static_cast<char>(std::tolower(u));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
        if (out.size() >= 40) break;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? "revision" : out;
}

}  // namespace retort::migrate
