// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Three versions of one small schema, for the migration tests: each namespace is the models as
// a service would have them at one release, and `autogenerate` plans the revisions between
// them.
//
//   v1: authors (id, name varchar(40), email); books (id, author_id -> authors ON DELETE
//       CASCADE, title, pages, genre enum {fiction, science}, legacy_code).
//   v2: authors: + bio (nullable), + active NOT NULL DEFAULT true, + country NOT NULL DEFAULT
//       'unknown', name widened to varchar(80), email UNIQUE;
//       books: pages renamed to page_count, genre gains `poetry`, title indexed;
//       reviews created (id, book_id -> books ON DELETE CASCADE, body).
//   v3: books: CHECK (page_count >= 0), legacy_code dropped (destructive);
//       reviews: + stars NOT NULL DEFAULT 3.
//
// Also what the migration tests share: the fixture every test starts from (`scratch`: its own
// database, a fresh SQLite file or the shared PostgreSQL database emptied of every table
// before and after, and its own revisions directory), the history v1 -> v2 -> v3 written as
// revision files, the rows each version holds (written with that version's models, read back
// by raw SQL), upgrade_with_rows, which walks a database through the history with them, and
// sql_capture, which records every statement an engine's sessions run.

#include "test_db.hpp"

#include <retort/migrate/autogenerate.hpp>
#include <retort/migrate/introspect.hpp>
#include <retort/migrate/migrator.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace migtest {

namespace v1 {
enum class genre_kind { fiction, science };
RETORT_ENUM(genre_kind, fiction, science);

struct author {
    std::int64_t id{};
    std::string name;
    std::string email;
};
RETORT_TABLE(author, "authors", (id, retort::primary_key, retort::autoincrement),
             (name, retort::checked_max_length<40>), (email));

struct book {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::int32_t pages{};
    genre_kind genre{};
    std::optional<std::string> legacy_code;
};
RETORT_TABLE(book, "books", (id, retort::primary_key, retort::autoincrement),
             (author_id, retort::references<&author::id>.on_delete(retort::fk_action::cascade)),
             (title), (pages), (genre), (legacy_code));
}  // namespace v1

namespace v2 {
enum class genre_kind { fiction, science, poetry };
RETORT_ENUM(genre_kind, fiction, science, poetry);

struct author {
    std::int64_t id{};
    std::string name;
    std::string email;
    std::optional<std::string> bio;
    bool active{};
    std::string country;
};
RETORT_TABLE(author, "authors", (id, retort::primary_key, retort::autoincrement),
             (name, retort::checked_max_length<80>), (email, retort::unique), (bio),
             (active, retort::server_default<true>), (country, retort::server_default<"unknown">));

struct book {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::int32_t page_count{};
    genre_kind genre{};
    std::optional<std::string> legacy_code;
};
RETORT_TABLE(book, "books", (id, retort::primary_key, retort::autoincrement),
             (author_id, retort::references<&author::id>.on_delete(retort::fk_action::cascade)),
             (title, retort::indexed), (page_count, retort::renamed_from<"pages">), (genre),
             (legacy_code));

struct review {
    std::int64_t id{};
    std::int64_t book_id{};
    std::string body;
};
RETORT_TABLE(review, "reviews", (id, retort::primary_key, retort::autoincrement),
             (book_id, retort::references<&book::id>.on_delete(retort::fk_action::cascade)),
             (body));
}  // namespace v2

namespace v3 {
using v2::author;
using v2::genre_kind;

struct book {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::int32_t page_count{};
    genre_kind genre{};
};
RETORT_TABLE(book, "books", (id, retort::primary_key, retort::autoincrement),
             (author_id, retort::references<&author::id>.on_delete(retort::fk_action::cascade)),
             (title, retort::indexed), (page_count, retort::check<"page_count >= 0">), (genre));

struct review {
    std::int64_t id{};
    std::int64_t book_id{};
    std::string body;
    std::int32_t stars{};
};
RETORT_TABLE(review, "reviews", (id, retort::primary_key, retort::autoincrement),
             (book_id, retort::references<&book::id>.on_delete(retort::fk_action::cascade)), (body),
             (stars, retort::server_default<3>));
}  // namespace v3

// ---- the fixture ----------------------------------------------------------------------------

/// Drops every table of the database (PostgreSQL: of current_schema(), CASCADE), so a test
/// starts from nothing on the server all tests share. SQLite files are fresh per test already.
template <class Session>
void drop_every_table(Session& s) {
    if constexpr (std::is_same_v<typename Session::backend, retort::postgres>) {
        for (auto& [name] : s.template query<std::string>(
                 "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"))
            s.execute_script("DROP TABLE IF EXISTS " + retort::schema::quote_identifier(name) +
                             " CASCADE");
    }
}

inline std::filesystem::path fresh_directory() {
    static std::atomic<int> counter{0};
    auto dir =
        std::filesystem::temp_directory_path() /
        ("retort-migrations-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// A test's own database and revisions directory, both emptied again at the end.
struct scratch {
    test::temp_sqlite_file file;
    std::string url = test::url_for(file);
    std::filesystem::path dir = fresh_directory();
    retort::engine db = retort::engine::from_url(url);

    scratch() { clean(); }
    ~scratch() {
        try {
            clean();
        } catch (...) {
        }
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    scratch(const scratch&) = delete;
    scratch& operator=(const scratch&) = delete;

    void clean() {
        db.visit([](auto& e) {
            auto s = e.session();
            drop_every_table(s);
        });
    }
};

/// The three revisions v1, v2, v3 written to `dir`; their ids, base first.
inline std::vector<std::string> write_history(const std::filesystem::path& dir) {
    namespace m = retort::migrate;
    std::vector<std::string> ids;
    ids.push_back(m::autogenerate<v1::author, v1::book>(dir, "initial")->id);
    ids.push_back(
        m::autogenerate<v2::author, v2::book, v2::review>(dir, "authors and reviews")->id);
    m::autogenerate_options destructive;
    destructive.allow_destructive = true;
    ids.push_back(
        m::autogenerate<v3::author, v3::book, v3::review>(dir, "checks and cleanup", destructive)
            ->id);
    return ids;
}

template <class Engine>
using backend_of = typename std::decay_t<Engine>::backend;

template <class B>
constexpr bool is_sqlite = std::is_same_v<B, retort::sqlite>;

inline std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

/// The operations' descriptions, sorted: what a test compares a plan with, in any order.
inline std::vector<std::string>
sorted_descriptions(const std::vector<retort::migrate::operation>& ops) {
    std::vector<std::string> out;
    for (const auto& op : ops) out.push_back(op.description);
    std::sort(out.begin(), out.end());
    return out;
}

/// One line per operation, for INFO() when a list of differences should have been empty.
inline std::string listing(const std::vector<retort::migrate::operation>& ops) {
    std::string out;
    for (const auto& op : ops)
        out += std::string{to_string(op.level)} + ": " + op.description + "\n";
    return out;
}

/// Every statement the engine's sessions run, in order (engine.on_sql).
struct sql_capture {
    std::mutex mutex;
    std::vector<std::string> statements;

    template <class Engine>
    void install(Engine& e) {
        e.on_sql([this](std::string_view sql, std::chrono::nanoseconds) {
            std::lock_guard lock(mutex);
            statements.emplace_back(sql);
        });
    }
    std::vector<std::string> take() {
        std::lock_guard lock(mutex);
        return std::exchange(statements, {});
    }
};

/// The statements that change the schema: CREATE, ALTER or DROP.
/// What spelled_by_server() runs on temporary tables, between a savepoint and its rollback,
/// is left out: the database keeps none of it.
inline std::vector<std::string> ddl_among(const std::vector<std::string>& statements) {
    std::vector<std::string> out;
    bool spelling = false;
    for (const auto& sql : statements) {
        const std::size_t first = sql.find_first_not_of(" \n\t");
        const std::string_view s = first == std::string::npos ? "" : sql.c_str() + first;
        if (s.starts_with("SAVEPOINT retort_spelling_of_table")) spelling = true;
        if (s.starts_with("ROLLBACK TO SAVEPOINT retort_spelling_of_table")) spelling = false;
        if (spelling) continue;
        for (std::string_view verb : {"CREATE", "ALTER", "DROP"})
            if (s.substr(0, verb.size()) == verb) out.push_back(sql);
    }
    return out;
}

// ---- rows, read back by raw SQL (the models change from version to version) --------------

using author_v1_row = std::tuple<std::int64_t, std::string, std::string>;
using author_row = std::tuple<std::int64_t, std::string, std::string, std::optional<std::string>,
                              bool, std::string>;
// v1 (pages) and v2 (page_count) have the same shape.
using book_v1_row = std::tuple<std::int64_t, std::int64_t, std::string, std::int32_t, std::string,
                               std::optional<std::string>>;
using book_v3_row = std::tuple<std::int64_t, std::int64_t, std::string, std::int32_t, std::string>;
using review_v2_row = std::tuple<std::int64_t, std::int64_t, std::string>;
using review_v3_row = std::tuple<std::int64_t, std::int64_t, std::string, std::int32_t>;

template <class S>
std::vector<author_v1_row> authors_v1(S& s) {
    return s.template query<std::int64_t, std::string, std::string>(
        "SELECT id, name, email FROM authors ORDER BY id");
}
template <class S>
std::vector<author_row> authors(S& s) {
    return s.template query<std::int64_t, std::string, std::string, std::optional<std::string>,
                            bool, std::string>(
        "SELECT id, name, email, bio, active, country FROM authors ORDER BY id");
}
template <class S>
std::vector<book_v1_row> books_v1(S& s) {
    return s.template query<std::int64_t, std::int64_t, std::string, std::int32_t, std::string,
                            std::optional<std::string>>(
        "SELECT id, author_id, title, pages, genre, legacy_code FROM books ORDER BY id");
}
template <class S>
std::vector<book_v1_row> books_v2(S& s) {
    return s.template query<std::int64_t, std::int64_t, std::string, std::int32_t, std::string,
                            std::optional<std::string>>(
        "SELECT id, author_id, title, page_count, genre, legacy_code FROM books ORDER BY id");
}
template <class S>
std::vector<book_v3_row> books_v3(S& s) {
    return s.template query<std::int64_t, std::int64_t, std::string, std::int32_t, std::string>(
        "SELECT id, author_id, title, page_count, genre FROM books ORDER BY id");
}
template <class S>
std::vector<review_v2_row> reviews_v2(S& s) {
    return s.template query<std::int64_t, std::int64_t, std::string>(
        "SELECT id, book_id, body FROM reviews ORDER BY id");
}
template <class S>
std::vector<review_v3_row> reviews_v3(S& s) {
    return s.template query<std::int64_t, std::int64_t, std::string, std::int32_t>(
        "SELECT id, book_id, body, stars FROM reviews ORDER BY id");
}

inline const std::string long_name =
    "Dmitri Alexandrovich Konstantinopolsky the Third";  // > 40 bytes

/// Rows written with the v1 models (after revision 1).
template <class S>
void seed_v1(S& s) {
    s.insert(v1::author{0, "Ada", "ada@example.org"});
    s.insert(v1::author{0, "Brian", "brian@example.org"});
    s.insert(v1::author{0, "Carla O'Neil", "carla@example.org"});
    s.insert(v1::book{0, 1, "Notes", 120, v1::genre_kind::fiction, "L-1"});
    s.insert(v1::book{0, 1, "Engines", 300, v1::genre_kind::science, std::nullopt});
    s.insert(v1::book{0, 2, "The C Book", 272, v1::genre_kind::science, "L-3"});
    s.insert(v1::book{0, 3, "Small Hours", 50, v1::genre_kind::fiction, std::nullopt});
}

/// Rows only v2 can hold (after revision 2): a long name, a poetry book, reviews.
template <class S>
void seed_v2(S& s) {
    s.insert(v2::author{0, long_name, "dmitri@example.org", "wrote a lot", false, "NL"});
    s.insert(v2::book{0, 4, "Verses", 80, v2::genre_kind::poetry, "L-5"});
    s.insert(v2::review{0, 1, "great"});
    s.insert(v2::review{0, 3, "a classic"});
}

inline std::vector<author_v1_row> expected_authors_v1() {
    return {{1, "Ada", "ada@example.org"},
            {2, "Brian", "brian@example.org"},
            {3, "Carla O'Neil", "carla@example.org"}};
}
inline std::vector<book_v1_row> expected_books_v1() {
    return {{1, 1, "Notes", 120, "fiction", "L-1"},
            {2, 1, "Engines", 300, "science", std::nullopt},
            {3, 2, "The C Book", 272, "science", "L-3"},
            {4, 3, "Small Hours", 50, "fiction", std::nullopt}};
}
/// The authors at v2 and v3: v1's rows with the new columns' defaults, then v2's.
inline std::vector<author_row> expected_authors() {
    return {{1, "Ada", "ada@example.org", std::nullopt, true, "unknown"},
            {2, "Brian", "brian@example.org", std::nullopt, true, "unknown"},
            {3, "Carla O'Neil", "carla@example.org", std::nullopt, true, "unknown"},
            {4, long_name, "dmitri@example.org", "wrote a lot", false, "NL"}};
}
inline std::vector<book_v3_row> expected_books_v3() {
    return {{1, 1, "Notes", 120, "fiction"},
            {2, 1, "Engines", 300, "science"},
            {3, 2, "The C Book", 272, "science"},
            {4, 3, "Small Hours", 50, "fiction"},
            {5, 4, "Verses", 80, "poetry"}};
}
inline std::vector<review_v3_row> expected_reviews_v3() {
    return {{1, 1, "great", 3}, {2, 3, "a classic", 3}};
}

/// Upgrades one revision at a time to the third, writing each version's rows on the way.
template <class B>
void upgrade_with_rows(retort::basic_session<B>& s, const std::filesystem::path& dir) {
    retort::migrate::migrator<B> mig(s, retort::migrate::load_history(dir));
    REQUIRE(mig.upgrade("+1").size() == 1);
    seed_v1(s);
    REQUIRE(mig.upgrade("+1").size() == 1);
    seed_v2(s);
    REQUIRE(mig.upgrade("+1").size() == 1);
}

/// Runs body(session, migrator) on the test's database at revision 1, with v1's rows: where
/// most rebuild tests start.
template <class Body>
void at_v1_with_rows(scratch& f, Body&& body) {
    write_history(f.dir);
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        retort::migrate::migrator<B> mig(s, retort::migrate::load_history(f.dir));
        mig.upgrade("+1");
        seed_v1(s);
        body(s, mig);
    });
}

}  // namespace migtest

namespace migtest::adopted {
/// The shared models' users (tests/support/models.hpp) after one model change: a new column.
struct user {
    std::int64_t id{};
    std::string email;
    std::optional<std::string> display_name;
    bool approved{};
    retort::timestamp created_at{};
    std::string locale;
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, retort::unique, retort::checked_max_length<255>), (display_name),
             (approved, retort::server_default<false>),
             (created_at, retort::indexed, retort::server_default_now),
             (locale, retort::server_default<"en">));
}  // namespace migtest::adopted
