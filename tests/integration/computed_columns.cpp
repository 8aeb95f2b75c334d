// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Computed (generated) columns on a real database: created from computed<...>, read by every
// query and never written (insert, update, merge leave them out), introspected with their
// expression and compared by meaning (PostgreSQL prints `price * quantity` back as
// `(price * quantity)`), recorded in snapshots, and changed with a plan that says what happens
// to the values: no longer computing keeps them; a new expression is rebuilt on SQLite and
// left as a step by hand on PostgreSQL 15, which cannot change it in place.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/schema_text.hpp>

#include <type_traits>

namespace computed_models {
namespace v1 {
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::int64_t total{};  // computed: whatever a caller puts here is never written
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity),
             (total, retort::computed<"price * quantity">), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace v1
namespace v2 {  // a new expression
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity),
             (total, retort::computed<"price * quantity + 1">), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace v2
namespace plain {  // no longer computed
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity), (total), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace plain
namespace before_added {
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity), (label));
}  // namespace before_added
namespace added {  // a nullable computed column added to a table with rows
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::optional<std::string> label;
    std::optional<std::string> shout;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity), (label),
             (shout, retort::computed<"upper(label)">));
}  // namespace added
namespace dropped {  // the computed column and a column it reads, both gone
struct line {
    std::int64_t id{};
    std::int64_t quantity{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (quantity), (label));
}  // namespace dropped
namespace plain_with_default {  // no longer computed, and given a default
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity),
             (total, retort::server_default<0>), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace plain_with_default
namespace renamed {  // a column the expression reads renamed
struct line {
    std::int64_t id{};
    std::int64_t cost{};
    std::int64_t quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (cost, retort::renamed_from<"price">),
             (quantity), (total, retort::computed<"cost * quantity">), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace renamed
namespace quoted {  // v1's expression with a needless quote
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity),
             (total, retort::computed<"\"price\" * quantity">), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace quoted
namespace narrowed {  // a column the expression reads changes type (bigint to integer)
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int32_t quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity),
             (total, retort::computed<"price * quantity">), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace narrowed
namespace retyped_dropped {  // quantity becomes a double; total, which reads it, goes
struct line {
    std::int64_t id{};
    std::int64_t price{};
    double quantity{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity), (label));
}  // namespace retyped_dropped
namespace retyped_plain {  // quantity becomes a double; total stops being computed
struct line {
    std::int64_t id{};
    std::int64_t price{};
    double quantity{};
    std::int64_t total{};
    std::optional<std::string> label;
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity), (total), (label));
RETORT_CONSTRAINTS(line, retort::index<"ix_cc_lines_total", &line::total>);
}  // namespace retyped_plain
namespace retyped_added {  // quantity becomes a double, and a new computed column reads it
struct line {
    std::int64_t id{};
    std::int64_t price{};
    double quantity{};
    std::optional<std::string> label;
    double total{};
};
RETORT_TABLE(line, "cc_lines", (id, retort::primary_key), (price), (quantity), (label),
             (total, retort::computed<"price * quantity">));
}  // namespace retyped_added
}  // namespace computed_models

namespace {

namespace m = retort::migrate;
using namespace migtest;
using retort::col;

template <class B>
constexpr bool is_sqlite = std::is_same_v<B, retort::sqlite>;

TEST_CASE("computed: created, read by every query, never written", "[migrate][computed]") {
    using computed_models::v1::line;
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, line> manager(s);
        manager.initialize();
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(true).empty());

        line a{1, 3, 4, 999, std::nullopt};  // 999 is never written
        s.insert(a);
        auto got = s.template get<line>(std::int64_t{1});
        REQUIRE(got);
        CHECK(got->total == 12);
        got->quantity = 5;
        got->total = -1;
        CHECK(s.update(*got));
        CHECK(s.template get<line>(std::int64_t{1})->total == 15);
        line b{2, 10, 10, 0, std::string{"b"}};
        s.merge(b);
        b.price = 7;
        s.merge(b);  // ON CONFLICT DO UPDATE: the computed column is left out
        CHECK(s.template get<line>(std::int64_t{2})->total == 70);
        CHECK(s.template select<line>().where(col<&line::total> > std::int64_t{50}).count() == 1);
        s.template update<line>().set(col<&line::price>, std::int64_t{1}).execute();
        CHECK(s.template select<line>().where(col<&line::total> == std::int64_t{5}).count() == 1);
        // the database refuses a write of its own
        CHECK_THROWS_AS(s.execute("UPDATE cc_lines SET total = 1"), retort::error);

        const auto live = m::introspect(s);
        const auto* t = live.find_table("cc_lines");
        REQUIRE(t != nullptr);
        const auto* total = t->find_column("total");
        REQUIRE(total != nullptr);
        CHECK_THAT(total->computed, Catch::Contains("price * quantity"));
        CHECK(t->find_column("price")->computed.empty());
        // a snapshot keeps the expression
        CHECK(m::schema_from_text(m::to_text(live)) == live);
    });
}

TEST_CASE("computed: a new expression is found and planned with what it does to the values",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3), (2, 4, 5)");
        m::schema_manager<B, computed_models::v2::line> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 1);
        CHECK(report.operations[0].kind == m::change::alter_column_computed);
        CHECK(report.operations[0].level == m::risk::data_dependent);
        CHECK_THAT(report.text(), Catch::Contains("+ 1"));  // as each server prints it
        if constexpr (is_sqlite<B>) {
            // a trigger on the table is compiled again after the rebuild, without the
            // computed column in its checks
            s.execute("CREATE TRIGGER cc_lines_touch AFTER UPDATE ON cc_lines BEGIN "
                      "UPDATE cc_lines SET label = 'touched' WHERE id = NEW.id; END");
            CHECK(manager.fix(true).size() == 1);  // the table is rebuilt, the index made again
            INFO(manager.validate().text());
            CHECK(manager.validate().clean());
            CHECK(s.template query<std::int64_t>("SELECT total FROM cc_lines ORDER BY id") ==
                  std::vector<std::tuple<std::int64_t>>{{7}, {21}});
        } else {
            // PostgreSQL 15 cannot change it in place: the step says what to do, and fails
            CHECK_THROWS_WITH(manager.fix(true), Catch::Contains("by hand"));
            CHECK(s.template query<std::int64_t>("SELECT total FROM cc_lines ORDER BY id") ==
                  std::vector<std::tuple<std::int64_t>>{{6}, {20}});
        }
    });
}

TEST_CASE("computed: no longer computing a column keeps its values", "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3)");
        m::schema_manager<B, computed_models::plain::line> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 1);
        CHECK(report.operations[0].kind == m::change::alter_column_computed);
        CHECK(report.operations[0].level == m::risk::relaxing);
        manager.fix(true);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
        CHECK(s.template query<std::int64_t>("SELECT total FROM cc_lines") ==
              std::vector<std::tuple<std::int64_t>>{{6}});
        s.execute("UPDATE cc_lines SET total = 1");  // a plain column now
        // and going back computes it again: its values are replaced
        m::schema_manager<B, computed_models::v1::line> back(s);
        REQUIRE(back.validate().operations.size() == 1);
        CHECK(back.validate().operations[0].level == m::risk::destructive);
    });
}

TEST_CASE("computed: a computed column is added to a table that has rows", "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::before_added::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity, label) VALUES (1, 1, 1, 'a'), "
                  "(2, 1, 1, NULL)");
        m::schema_manager<B, computed_models::added::line> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 1);
        CHECK(report.operations[0].kind == m::change::add_column);
        CHECK(report.operations[0].level == m::risk::data_dependent);
        manager.fix(true);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
        CHECK(s.template query<std::optional<std::string>>(
                  "SELECT shout FROM cc_lines ORDER BY id") ==
              std::vector<std::tuple<std::optional<std::string>>>{{"A"}, {std::nullopt}});
        const auto got = s.template get<computed_models::added::line>(std::int64_t{1});
        REQUIRE(got);
        CHECK(got->shout == "A");
    });
}

TEST_CASE("computed: a generated column made by another tool reads back with its expression",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        // STORED, as SQLAlchemy's Computed(persisted=True) writes it on both databases
        s.execute("CREATE TABLE cc_lines (id bigint NOT NULL CONSTRAINT pk_cc_lines PRIMARY KEY, "
                  "price bigint NOT NULL, "
                  "quantity bigint NOT NULL, total bigint GENERATED ALWAYS AS (price * quantity) "
                  "STORED NOT NULL, label text)");
        s.execute("CREATE INDEX ix_cc_lines_total ON cc_lines (total)");
        if constexpr (is_sqlite<B>) {
            // SQLite's bigint is not retort's INTEGER spelling: compare only the computed part
            const auto live = m::introspect(s);
            CHECK(live.find_table("cc_lines")->find_column("total")->computed ==
                  "price * quantity");
        } else {
            m::schema_manager<B, computed_models::v1::line> manager(s);
            const auto report = manager.validate();
            INFO(report.text());
            CHECK(report.clean());
            s.insert(computed_models::v1::line{1, 2, 21, 0, std::nullopt});
            CHECK(s.template get<computed_models::v1::line>(std::int64_t{1})->total == 42);
        }
    });
}

}  // namespace

namespace {

TEST_CASE("computed: a computed column and a column it reads are dropped together",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3)");
        m::schema_manager<B, computed_models::dropped::line> manager(s);
        INFO(manager.validate().text());
        CHECK(manager.validate().operations.size() == 3);  // two columns and the index
        manager.fix(true);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(s.template query<std::int64_t>("SELECT quantity FROM cc_lines") ==
              std::vector<std::tuple<std::int64_t>>{{3}});
    });
}

TEST_CASE("computed: a column that stops being computed takes a default after",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3)");
        m::schema_manager<B, computed_models::plain_with_default::line> manager(s);
        INFO(manager.validate().text());
        manager.fix(true);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (2, 2, 3)");
        CHECK(s.template query<std::int64_t>("SELECT total FROM cc_lines ORDER BY id") ==
              std::vector<std::tuple<std::int64_t>>{{6}, {0}});
    });
}

TEST_CASE("computed: renaming a column the expression reads is a rename alone",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3)");
        m::schema_manager<B, computed_models::renamed::line> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 1);
        CHECK(report.operations[0].kind == m::change::rename_column);
        manager.fix(true);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(s.template get<computed_models::renamed::line>(std::int64_t{1})->total == 6);
    });
}

TEST_CASE("computed: a needless quote in the model's expression is no difference",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        m::schema_manager<B, computed_models::quoted::line> manager(s);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
    });
}

TEST_CASE("computed: the type of a column a computed one reads is changed by hand on PostgreSQL",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        m::schema_manager<B, computed_models::narrowed::line> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        if constexpr (is_sqlite<B>) {
            CHECK(report.clean());  // one integer class there
        } else {
            REQUIRE(report.operations.size() == 1);
            CHECK(report.operations[0].kind == m::change::alter_column_type);
            CHECK_THROWS_WITH(manager.fix(true),
                              Catch::Contains("the generated column total reads"));
        }
    });
}

// Was a step by hand on PostgreSQL although the plan itself drops (or stops computing) the
// generated column that reads the column whose type changes: that goes first now.
TEST_CASE("computed: a type change goes through when the plan ends the generated column first",
          "[migrate][computed]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        const auto retyped = [&](auto manager) {
            const auto report = manager.validate();
            INFO(report.text());
            CHECK_FALSE(report.clean());
            manager.fix(true);
            INFO(manager.validate().text());
            CHECK(manager.validate().clean());
            CHECK(s.template query<std::int64_t, double>(
                      "SELECT price, quantity FROM cc_lines ORDER BY id") ==
                  std::vector<std::tuple<std::int64_t, double>>{{2, 3.0}, {5, 7.0}});
        };
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3), (2, 5, 7)");
        retyped(m::schema_manager<B, computed_models::retyped_plain::line>(s));
        CHECK(s.template query<std::int64_t>("SELECT total FROM cc_lines ORDER BY id") ==
              std::vector<std::tuple<std::int64_t>>{{6}, {35}});  // the values it had

        s.execute_script("DROP TABLE cc_lines");
        m::schema_manager<B, computed_models::v1::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3), (2, 5, 7)");
        retyped(m::schema_manager<B, computed_models::retyped_dropped::line>(s));

        // and a computed column the plan adds is added after the type change
        s.execute_script("DROP TABLE cc_lines");
        m::schema_manager<B, computed_models::before_added::line>(s).initialize();
        s.execute("INSERT INTO cc_lines (id, price, quantity) VALUES (1, 2, 3), (2, 5, 7)");
        retyped(m::schema_manager<B, computed_models::retyped_added::line>(s));
        CHECK(s.template query<double>("SELECT total FROM cc_lines ORDER BY id") ==
              std::vector<std::tuple<double>>{{6.0}, {35.0}});
    });
}

}  // namespace
