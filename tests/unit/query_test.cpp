// Unit tests: the SQL text and the bound values of the query builders (query/select.hpp,
// query/expr.hpp, query/aggregate.hpp, query/crud.hpp), and row decoding (query/decode.hpp).
// No database: queries get an executor that is never called, and values go to a binder that
// records what it receives.

#include "../support/models.hpp"

#include <retort/dialect/postgres.hpp>
#include <retort/dialect/sqlite.hpp>
#include <retort/query/aggregate.hpp>
#include <retort/query/crud.hpp>
#include <retort/query/decode.hpp>
#include <retort/query/expr.hpp>
#include <retort/query/select.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

namespace query_test {

/// An executor type for queries that are only rendered.
struct no_exec {
    using row_type = int;
};

/// Records every value bound, in order, as "type:value".
struct recorder {
    std::vector<std::string> calls;

    void bind(std::string_view s) { calls.push_back("text:" + std::string{s}); }
    void bind(bool v) { calls.push_back(v ? "bool:true" : "bool:false"); }
    void bind(std::int16_t v) { calls.push_back("int16:" + std::to_string(v)); }
    void bind(std::int32_t v) { calls.push_back("int32:" + std::to_string(v)); }
    void bind(std::int64_t v) { calls.push_back("int64:" + std::to_string(v)); }
    void bind(float v) { calls.push_back("float32:" + std::to_string(v)); }
    void bind(double v) { calls.push_back("float64:" + std::to_string(v)); }
    void bind(const retort::timestamp& v) {
        calls.push_back("timestamp:" + std::to_string(v.time_since_epoch().count()));
    }
    void bind(const retort::date& v) {
        calls.push_back("date:" + std::to_string(v.time_since_epoch().count()));
    }
    void bind(const retort::json& v) { calls.push_back("json:" + v.text); }
    void bind(const retort::blob& v) { calls.push_back("blob:" + std::to_string(v.size())); }
    void bind(const std::vector<std::string>& v) {
        std::string s = "text[]:";
        for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "|" : "") + v[i];
        calls.push_back(s);
    }
    void bind(const std::vector<std::int64_t>& v) {
        std::string s = "int64[]:";
        for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "|" : "") + std::to_string(v[i]);
        calls.push_back(s);
    }
    void bind_null(retort::logical_type t) {
        calls.push_back("null:" + std::string{retort::to_string(t)});
    }
};

using Calls = std::vector<std::string>;

template <class Q>
Calls bound(const Q& q) {
    recorder r;
    q.bind(r);
    return r.calls;
}

/// A result row held in memory: what read_model / read_row need from a driver's row.
struct fake_row {
    using cell = std::variant<std::monostate, bool, std::int16_t, std::int32_t, std::int64_t,
                              double, std::string, retort::timestamp>;
    std::vector<cell> cells;
    bool is_null(int i) const {
        return std::holds_alternative<std::monostate>(cells.at(static_cast<std::size_t>(i)));
    }
    template <class T>
    T get(int i) const {
        return std::get<T>(cells.at(static_cast<std::size_t>(i)));
    }
};

// The composite key here is declared in the opposite order of the fields.
struct grant {
    std::string resource;
    std::int64_t principal{};
    std::string level;
};
RETORT_TABLE(grant, "grants", (resource), (principal), (level));
RETORT_CONSTRAINTS(grant, retort::composite_key<&grant::principal, &grant::resource>);

// Every column is part of the key.
struct tag_link {
    std::int64_t a{};
    std::int64_t b{};
};
RETORT_TABLE(tag_link, "tag_links", (a, retort::primary_key), (b, retort::primary_key));

struct status_count {
    app::job_status status;
    std::int64_t n;
};

}  // namespace query_test

using query_test::bound;
using query_test::Calls;
using query_test::no_exec;
using retort::col;
using PG = retort::dialect::postgres;
using SL = retort::dialect::sqlite;

namespace {

auto users() {
    return retort::query::select_models<no_exec, app::user>(nullptr);
}
auto jobs() {
    return retort::query::select_models<no_exec, app::job>(nullptr);
}

template <class T>
auto update_of() {
    return retort::query::update_query<no_exec, T, std::tuple<>, retort::query::no_condition>(
        nullptr);
}
template <class T>
auto delete_from() {
    return retort::query::delete_query<no_exec, T, retort::query::no_condition>(nullptr);
}

const std::string user_columns =
    R"("users"."id", "users"."email", "users"."display_name", "users"."approved", "users"."created_at")";
const std::string select_users = "SELECT " + user_columns + " FROM \"users\"";

}  // namespace

// ---- SELECT -----------------------------------------------------------------------------------

TEST_CASE("select: every column of a model", "[unit][query]") {
    const auto q = users();
    CHECK(q.sql<PG>() == select_users);
    CHECK(q.sql<SL>() == select_users);
    CHECK(bound(q).empty());
    CHECK(
        jobs().sql<PG>() ==
        R"(SELECT "dgs_jobs"."job_id", "dgs_jobs"."user_id", "dgs_jobs"."request", "dgs_jobs"."status", )"
        R"("dgs_jobs"."phase", "dgs_jobs"."subphase", "dgs_jobs"."total_steps", "dgs_jobs"."completed_steps", )"
        R"("dgs_jobs"."progress", "dgs_jobs"."created_at" FROM "dgs_jobs")");
    // named<> columns are selected by their column name.
    CHECK(
        retort::query::select_models<no_exec, app::email_delivery_log>(nullptr).sql<SL>() ==
        R"(SELECT "email_delivery_logs"."id", "email_delivery_logs"."user_id", "email_delivery_logs"."recipient", )"
        R"("email_delivery_logs"."template", "email_delivery_logs"."status", "email_delivery_logs"."error", )"
        R"("email_delivery_logs"."sent_at" FROM "email_delivery_logs")");
}

TEST_CASE("select: each comparison operator", "[unit][query]") {
    const auto id = col<&app::user::id>;
    CHECK(users().where(id == 1).sql<PG>() == select_users + R"( WHERE ("users"."id" = $1))");
    CHECK(users().where(id != 1).sql<PG>() == select_users + R"( WHERE ("users"."id" <> $1))");
    CHECK(users().where(id < 1).sql<PG>() == select_users + R"( WHERE ("users"."id" < $1))");
    CHECK(users().where(id <= 1).sql<PG>() == select_users + R"( WHERE ("users"."id" <= $1))");
    CHECK(users().where(id > 1).sql<PG>() == select_users + R"( WHERE ("users"."id" > $1))");
    CHECK(users().where(id >= 1).sql<PG>() == select_users + R"( WHERE ("users"."id" >= $1))");
    CHECK(users().where(id == 1).sql<SL>() == select_users + R"( WHERE ("users"."id" = ?))");
    CHECK(users().where(id >= 1).sql<SL>() == select_users + R"( WHERE ("users"."id" >= ?))");

    // The value is bound as the column's type.
    CHECK(bound(users().where(id == 1)) == Calls{"int64:1"});
    CHECK(bound(users().where(col<&app::user::email> == std::string{"a@b.c"})) ==
          Calls{"text:a@b.c"});
    CHECK(bound(users().where(col<&app::user::approved> == false)) == Calls{"bool:false"});
    CHECK(bound(jobs().where(col<&app::job::total_steps> > 3)) == Calls{"int32:3"});
    CHECK(bound(jobs().where(col<&app::job::progress> < 1)) == Calls{"float64:1.000000"});
    CHECK(bound(jobs().where(col<&app::job::status> == app::job_status::running)) ==
          Calls{"text:running"});

    // Two columns.
    CHECK(users().where(col<&app::user::email> == col<&app::user::display_name>).sql<PG>() ==
          select_users + R"( WHERE ("users"."email" = "users"."display_name"))");
    CHECK(bound(users().where(col<&app::user::email> == col<&app::user::display_name>)).empty());
}

TEST_CASE("select: and, or, not, and chained where()", "[unit][query]") {
    const auto q = users().where((col<&app::user::id> > 10 && col<&app::user::email> == "x") ||
                                 !(col<&app::user::approved> == true));
    CHECK(
        q.sql<PG>() ==
        select_users +
            R"( WHERE ((("users"."id" > $1) AND ("users"."email" = $2)) OR (NOT ("users"."approved" = $3))))");
    CHECK(
        q.sql<SL>() ==
        select_users +
            R"( WHERE ((("users"."id" > ?) AND ("users"."email" = ?)) OR (NOT ("users"."approved" = ?))))");
    CHECK(bound(q) == Calls{"int64:10", "text:x", "bool:true"});

    const auto chained =
        users().where(col<&app::user::id> > 10).where(col<&app::user::email> == "x");
    CHECK(chained.sql<PG>() ==
          select_users + R"( WHERE (("users"."id" > $1) AND ("users"."email" = $2)))");
    CHECK(bound(chained) == Calls{"int64:10", "text:x"});
}

TEST_CASE("select: like, is_null, is_not_null, between, in", "[unit][query]") {
    const auto email = col<&app::user::email>;
    const auto name = col<&app::user::display_name>;
    const auto id = col<&app::user::id>;

    const auto l = users().where(retort::like(email, "%@example.com"));
    CHECK(l.sql<PG>() == select_users + R"( WHERE ("users"."email" LIKE $1))");
    CHECK(l.sql<SL>() == select_users + R"( WHERE ("users"."email" LIKE ?))");
    CHECK(bound(l) == Calls{"text:%@example.com"});

    // LIKE on an optional text column.
    CHECK(users().where(retort::like(name, "A%")).sql<PG>() ==
          select_users + R"( WHERE ("users"."display_name" LIKE $1))");

    CHECK(users().where(retort::is_null(name)).sql<PG>() ==
          select_users + R"( WHERE ("users"."display_name" IS NULL))");
    CHECK(users().where(retort::is_not_null(name)).sql<SL>() ==
          select_users + R"( WHERE ("users"."display_name" IS NOT NULL))");
    CHECK(bound(users().where(retort::is_null(name))).empty());

    const auto b = users().where(retort::between(id, 5, 9));
    CHECK(b.sql<PG>() == select_users + R"( WHERE ("users"."id" BETWEEN $1 AND $2))");
    CHECK(b.sql<SL>() == select_users + R"( WHERE ("users"."id" BETWEEN ? AND ?))");
    CHECK(bound(b) == Calls{"int64:5", "int64:9"});
    // two text literals of different lengths are fine bounds
    const auto by_email = users().where(retort::between(email, "a", "zz"));
    CHECK(by_email.sql<SL>() == select_users + R"( WHERE ("users"."email" BETWEEN ? AND ?))");
    CHECK(bound(by_email).size() == 2);

    const auto in_ids = users().where(retort::in(id, std::vector<int>{3, 1, 2}));
    CHECK(in_ids.sql<PG>() == select_users + R"( WHERE ("users"."id" = ANY($1)))");
    CHECK(in_ids.sql<SL>() ==
          select_users + R"( WHERE ("users"."id" IN (SELECT value FROM json_each(?))))");
    CHECK(bound(in_ids) == Calls{"int64[]:3|1|2"});

    const auto in_text =
        users().where(retort::in(email, std::vector<std::string>{"a", "b"}) && id > 0);
    CHECK(in_text.sql<PG>() ==
          select_users + R"( WHERE (("users"."email" = ANY($1)) AND ("users"."id" > $2)))");
    CHECK(bound(in_text) == Calls{"text[]:a|b", "int64:0"});

    // The SQL text does not depend on the list's length.
    const auto one = users().where(retort::in(id, std::vector<std::int64_t>{1}));
    const auto many = users().where(retort::in(id, std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
    CHECK(&one.sql<PG>() == &many.sql<PG>());
    CHECK(bound(many) == Calls{"int64[]:1|2|3|4|5|6"});
}

TEST_CASE("select: order_by, limit, offset, distinct", "[unit][query]") {
    const auto q =
        users()
            .where(col<&app::user::approved> == true)
            .order_by(retort::desc(col<&app::user::created_at>), retort::asc(col<&app::user::id>))
            .limit(10)
            .offset(20);
    CHECK(q.sql<PG>() ==
          select_users + R"( WHERE ("users"."approved" = $1) ORDER BY "users"."created_at" DESC, )"
                         R"("users"."id" ASC LIMIT $2 OFFSET $3)");
    CHECK(q.sql<SL>() ==
          select_users + R"( WHERE ("users"."approved" = ?) ORDER BY "users"."created_at" DESC, )"
                         R"("users"."id" ASC LIMIT ? OFFSET ?)");
    // LIMIT and OFFSET are bound, after the WHERE values.
    CHECK(bound(q) == Calls{"bool:true", "int64:10", "int64:20"});

    // offset() before limit(): the SQL order is still LIMIT, OFFSET.
    const auto r = users().offset(5).limit(7);
    CHECK(r.sql<PG>() == select_users + " LIMIT $1 OFFSET $2");
    CHECK(bound(r) == Calls{"int64:7", "int64:5"});
    CHECK(users().limit(3).sql<SL>() == select_users + " LIMIT ?");
    CHECK(bound(users().limit(3)) == Calls{"int64:3"});
    CHECK(users().offset(3).sql<PG>() == select_users + " OFFSET $1");
    // SQLite accepts OFFSET only after a LIMIT: LIMIT -1 (no limit) is written, not bound.
    CHECK(users().offset(3).sql<SL>() == select_users + " LIMIT -1 OFFSET ?");
    CHECK(bound(users().offset(3)) == Calls{"int64:3"});

    // order_by twice appends.
    CHECK(users()
              .order_by(retort::asc(col<&app::user::email>))
              .order_by(retort::desc(col<&app::user::id>))
              .sql<PG>() == select_users + R"( ORDER BY "users"."email" ASC, "users"."id" DESC)");

    const auto d = users().distinct().limit(2);
    CHECK(d.sql<PG>() == "SELECT DISTINCT " + user_columns + " FROM \"users\" LIMIT $1");
    CHECK(bound(d) == Calls{"int64:2"});
    // distinct() keeps limit and offset values set before it.
    CHECK(bound(users().limit(4).offset(6).distinct()) == Calls{"int64:4", "int64:6"});
    // where() and order_by() after limit() keep the limit and its value.
    const auto late = users()
                          .limit(4)
                          .offset(6)
                          .where(col<&app::user::id> == 2)
                          .order_by(retort::asc(col<&app::user::id>));
    CHECK(late.sql<PG>() ==
          select_users +
              R"( WHERE ("users"."id" = $1) ORDER BY "users"."id" ASC LIMIT $2 OFFSET $3)");
    CHECK(bound(late) == Calls{"int64:2", "int64:4", "int64:6"});
}

TEST_CASE("select: inner and left joins", "[unit][query]") {
    const auto q = jobs()
                       .join<app::user>(col<&app::job::user_id> == col<&app::user::id>)
                       .where(col<&app::user::approved> == true);
    const std::string job_columns =
        R"("dgs_jobs"."job_id", "dgs_jobs"."user_id", "dgs_jobs"."request", "dgs_jobs"."status", )"
        R"("dgs_jobs"."phase", "dgs_jobs"."subphase", "dgs_jobs"."total_steps", "dgs_jobs"."completed_steps", )"
        R"("dgs_jobs"."progress", "dgs_jobs"."created_at")";
    CHECK(q.sql<PG>() ==
          "SELECT " + job_columns +
              R"( FROM "dgs_jobs" INNER JOIN "users" ON ("dgs_jobs"."user_id" = "users"."id"))"
              R"( WHERE ("users"."approved" = $1))");

    // Two models selected: both column lists, in order.
    const auto both =
        retort::query::select_models<no_exec, app::user, app::job>(nullptr).join<app::job>(
            col<&app::job::user_id> == col<&app::user::id>);
    CHECK(both.sql<SL>() ==
          "SELECT " + user_columns + ", " + job_columns +
              R"( FROM "users" INNER JOIN "dgs_jobs" ON ("dgs_jobs"."user_id" = "users"."id"))");

    const auto left =
        retort::query::select_models<no_exec, app::user, app::email_delivery_log>(nullptr)
            .left_join<app::email_delivery_log>(col<&app::email_delivery_log::user_id> ==
                                                col<&app::user::id>)
            .where(retort::is_null(col<&app::email_delivery_log::error>));
    CHECK(
        left.sql<PG>() ==
        "SELECT " + user_columns +
            R"(, "email_delivery_logs"."id", "email_delivery_logs"."user_id", "email_delivery_logs"."recipient", )"
            R"("email_delivery_logs"."template", "email_delivery_logs"."status", "email_delivery_logs"."error", )"
            R"("email_delivery_logs"."sent_at" FROM "users" LEFT JOIN "email_delivery_logs" ON )"
            R"(("email_delivery_logs"."user_id" = "users"."id") WHERE ("email_delivery_logs"."error" IS NULL))");

    // Values in ON come before WHERE, HAVING, LIMIT and OFFSET, in the text and in the binds.
    const auto numbered = users()
                              .join<app::job>(col<&app::job::user_id> == col<&app::user::id> &&
                                              col<&app::job::phase> == "render")
                              .where(col<&app::user::approved> == true)
                              .limit(10)
                              .offset(20);
    CHECK(
        numbered.sql<PG>() ==
        select_users +
            R"( INNER JOIN "dgs_jobs" ON (("dgs_jobs"."user_id" = "users"."id") AND ("dgs_jobs"."phase" = $1)))"
            R"( WHERE ("users"."approved" = $2) LIMIT $3 OFFSET $4)");
    CHECK(bound(numbered) == Calls{"text:render", "bool:true", "int64:10", "int64:20"});

    // join() after where(): the ON value is still rendered, numbered and bound first.
    const auto late_join = users()
                               .where(col<&app::user::approved> == true)
                               .join<app::job>(col<&app::job::user_id> == col<&app::user::id> &&
                                               col<&app::job::phase> == "render");
    CHECK(
        late_join.sql<PG>() ==
        select_users +
            R"( INNER JOIN "dgs_jobs" ON (("dgs_jobs"."user_id" = "users"."id") AND ("dgs_jobs"."phase" = $1)))"
            R"( WHERE ("users"."approved" = $2))");
    CHECK(bound(late_join) == Calls{"text:render", "bool:true"});
}

TEST_CASE("select: columns, aggregates, group_by and having", "[unit][query]") {
    using retort::query::select_columns;
    const auto status = col<&app::job::status>;
    const auto q =
        select_columns<app::job, no_exec>(
            nullptr, status, retort::count(), retort::count(col<&app::job::subphase>),
            retort::sum(col<&app::job::total_steps>), retort::sum(col<&app::job::progress>),
            retort::avg(col<&app::job::completed_steps>), retort::min(col<&app::job::created_at>),
            retort::max(col<&app::job::progress>))
            .where(col<&app::job::phase> == "a")
            .group_by(status)
            .having(retort::count() > 5)
            .order_by(retort::desc(retort::count()))
            .limit(3);
    CHECK(
        q.sql<PG>() ==
        R"(SELECT "dgs_jobs"."status", COUNT(*), COUNT("dgs_jobs"."subphase"), )"
        R"(CAST(SUM("dgs_jobs"."total_steps") AS bigint), CAST(SUM("dgs_jobs"."progress") AS double precision), )"
        R"(CAST(AVG("dgs_jobs"."completed_steps") AS double precision), MIN("dgs_jobs"."created_at"), )"
        R"(MAX("dgs_jobs"."progress") FROM "dgs_jobs" WHERE ("dgs_jobs"."phase" = $1) GROUP BY "dgs_jobs"."status" )"
        R"(HAVING (COUNT(*) > $2) ORDER BY COUNT(*) DESC LIMIT $3)");
    CHECK(
        q.sql<SL>() ==
        R"(SELECT "dgs_jobs"."status", COUNT(*), COUNT("dgs_jobs"."subphase"), )"
        R"(CAST(SUM("dgs_jobs"."total_steps") AS INTEGER), CAST(SUM("dgs_jobs"."progress") AS REAL), )"
        R"(CAST(AVG("dgs_jobs"."completed_steps") AS REAL), MIN("dgs_jobs"."created_at"), )"
        R"(MAX("dgs_jobs"."progress") FROM "dgs_jobs" WHERE ("dgs_jobs"."phase" = ?) GROUP BY "dgs_jobs"."status" )"
        R"(HAVING (COUNT(*) > ?) ORDER BY COUNT(*) DESC LIMIT ?)");
    CHECK(bound(q) == Calls{"text:a", "int64:5", "int64:3"});

    // The C++ types the aggregates promise.
    static_assert(std::is_same_v<decltype(retort::count())::value_type, std::int64_t>);
    static_assert(std::is_same_v<decltype(retort::count(status))::value_type, std::int64_t>);
    static_assert(std::is_same_v<decltype(retort::sum(col<&app::job::total_steps>))::value_type,
                                 std::optional<std::int64_t>>);
    static_assert(std::is_same_v<decltype(retort::sum(col<&app::job::progress>))::value_type,
                                 std::optional<double>>);
    static_assert(std::is_same_v<decltype(retort::avg(col<&app::job::user_id>))::value_type,
                                 std::optional<double>>);
    static_assert(std::is_same_v<decltype(retort::min(col<&app::job::created_at>))::value_type,
                                 std::optional<retort::timestamp>>);
    static_assert(std::is_same_v<decltype(retort::max(col<&app::job::total_steps>))::value_type,
                                 std::optional<std::int32_t>>);

    // Two grouping columns; group_by twice appends.
    const auto g =
        select_columns<app::job, no_exec>(nullptr, col<&app::job::user_id>, status, retort::count())
            .group_by(col<&app::job::user_id>)
            .group_by(status);
    CHECK(g.sql<PG>() ==
          R"(SELECT "dgs_jobs"."user_id", "dgs_jobs"."status", COUNT(*) FROM "dgs_jobs" )"
          R"(GROUP BY "dgs_jobs"."user_id", "dgs_jobs"."status")");

    // COUNT(*) alone needs the table named explicitly.
    CHECK(select_columns<app::user, no_exec>(nullptr, retort::count()).sql<SL>() ==
          R"(SELECT COUNT(*) FROM "users")");

    // into<S>() changes the row type, not the SQL.
    const auto plain =
        select_columns<app::job, no_exec>(nullptr, status, retort::count()).group_by(status);
    const auto into = plain.into<query_test::status_count>();
    CHECK(into.sql<PG>() == plain.sql<PG>());
}

TEST_CASE("select: sql<D>() is rendered once per query type and dialect", "[unit][query]") {
    const auto a = users().where(col<&app::user::email> == "a").limit(1);
    const auto b = users().where(col<&app::user::email> == "something else").limit(99);
    const std::string* first = &a.sql<PG>();
    CHECK(&a.sql<PG>() == first);
    CHECK(&b.sql<PG>() == first);  // same type: same text object
    CHECK(&a.sql<SL>() != first);
    CHECK(&a.sql<SL>() == &b.sql<SL>());
    // Each query still binds its own values.
    CHECK(bound(a) == Calls{"text:a", "int64:1"});
    CHECK(bound(b) == Calls{"text:something else", "int64:99"});
    // A different shape is a different type and a different text.
    CHECK(&users().where(col<&app::user::email> == "a").sql<PG>() != first);

    const auto u1 = update_of<app::user>().set(col<&app::user::email>, "x");
    const auto u2 = update_of<app::user>().set(col<&app::user::email>, "y");
    CHECK(&u1.sql<PG>() == &u2.sql<PG>());
    CHECK(&delete_from<app::user>().sql<SL>() == &delete_from<app::user>().sql<SL>());
    CHECK(&retort::query::insert_sql<app::user, PG>() ==
          &retort::query::insert_sql<app::user, PG>());
    CHECK(&retort::query::upsert_sql<app::job, SL>() == &retort::query::upsert_sql<app::job, SL>());
}

// ---- values are parameters, never text --------------------------------------------------------

TEST_CASE("select: hostile strings are bound, never rendered", "[unit][query][security]") {
    const std::string drop = "'; DROP TABLE users; --";
    const std::string quotes = R"(it's "quoted" '' "")";
    const std::string backslashes = R"(\'; \\ \" \x00 $1 ?)";
    const std::string percent = "%' OR '1'='1";

    const auto q =
        users()
            .where(col<&app::user::email> == drop)
            .where(col<&app::user::display_name> != quotes ||
                   retort::like(col<&app::user::email>, percent))
            .where(retort::in(col<&app::user::email>, std::vector<std::string>{backslashes, drop}))
            .where(retort::between(col<&app::user::email>, quotes, backslashes));
    for (const std::string& sql : {q.sql<PG>(), q.sql<SL>()}) {
        INFO(sql);
        CHECK(sql.find("DROP") == std::string::npos);
        CHECK(sql.find("--") == std::string::npos);
        CHECK(sql.find(';') == std::string::npos);
        CHECK(sql.find('\'') == std::string::npos);
        CHECK(sql.find('\\') == std::string::npos);
        CHECK(sql.find("quoted") == std::string::npos);
        CHECK(sql.find('%') == std::string::npos);
    }
    CHECK(
        q.sql<PG>() ==
        select_users +
            R"( WHERE (((("users"."email" = $1) AND (("users"."display_name" <> $2) OR ("users"."email" LIKE $3))))"
            R"( AND ("users"."email" = ANY($4))) AND ("users"."email" BETWEEN $5 AND $6)))");

    // The binder receives every value verbatim, in placeholder order.
    CHECK(bound(q) == Calls{"text:" + drop, "text:" + quotes, "text:" + percent,
                            "text[]:" + backslashes + "|" + drop, "text:" + quotes,
                            "text:" + backslashes});

    const auto u = update_of<app::user>()
                       .set(col<&app::user::email>, drop)
                       .where(col<&app::user::email> == quotes);
    CHECK(u.sql<PG>() == R"(UPDATE "users" SET "email" = $1 WHERE ("users"."email" = $2))");
    CHECK(bound(u) == Calls{"text:" + drop, "text:" + quotes});

    const auto d = delete_from<app::user>().where(col<&app::user::email> == backslashes);
    CHECK(d.sql<SL>() == R"(DELETE FROM "users" WHERE ("users"."email" = ?))");
    CHECK(bound(d) == Calls{"text:" + backslashes});
}

// ---- UPDATE ... SET ... WHERE and DELETE ... WHERE --------------------------------------------

TEST_CASE("update: set and where", "[unit][query]") {
    const auto u = update_of<app::user>()
                       .set(col<&app::user::approved>, true)
                       .set(col<&app::user::display_name>, std::nullopt)
                       .where(col<&app::user::id> == 7)
                       .where(col<&app::user::email> != "root");
    CHECK(u.sql<PG>() ==
          R"(UPDATE "users" SET "approved" = $1, "display_name" = $2 WHERE (("users"."id" = $3) )"
          R"(AND ("users"."email" <> $4)))");
    CHECK(u.sql<SL>() ==
          R"(UPDATE "users" SET "approved" = ?, "display_name" = ? WHERE (("users"."id" = ?) )"
          R"(AND ("users"."email" <> ?)))");
    CHECK(bound(u) == Calls{"bool:true", "null:text", "int64:7", "text:root"});

    // No WHERE: every row.
    const auto all = update_of<app::job>().set(col<&app::job::status>, app::job_status::failed);
    CHECK(all.sql<PG>() == R"(UPDATE "dgs_jobs" SET "status" = $1)");
    CHECK(bound(all) == Calls{"text:failed"});

    // A named<> column is set by its column name; an optional set to a value binds the value.
    const auto n =
        update_of<app::email_delivery_log>()
            .set(col<&app::email_delivery_log::template_name>, "welcome")
            .set(col<&app::email_delivery_log::user_id>, 3)
            .where(retort::in(col<&app::email_delivery_log::id>, std::vector<std::int64_t>{1, 2}));
    CHECK(n.sql<SL>() == R"(UPDATE "email_delivery_logs" SET "template" = ?, "user_id" = ? WHERE )"
                         R"(("email_delivery_logs"."id" IN (SELECT value FROM json_each(?))))");
    CHECK(bound(n) == Calls{"text:welcome", "int64:3", "int64[]:1|2"});
}

TEST_CASE("delete: where", "[unit][query]") {
    CHECK(delete_from<app::user>().sql<PG>() == R"(DELETE FROM "users")");
    const auto d =
        delete_from<app::job>()
            .where(col<&app::job::status> == app::job_status::done)
            .where(col<&app::job::created_at> < retort::timestamp{std::chrono::microseconds{1000}});
    CHECK(
        d.sql<PG>() ==
        R"(DELETE FROM "dgs_jobs" WHERE (("dgs_jobs"."status" = $1) AND ("dgs_jobs"."created_at" < $2)))");
    CHECK(
        d.sql<SL>() ==
        R"(DELETE FROM "dgs_jobs" WHERE (("dgs_jobs"."status" = ?) AND ("dgs_jobs"."created_at" < ?)))");
    CHECK(bound(d) == Calls{"text:done", "timestamp:1000"});
}

// ---- statements by primary key (query/crud.hpp) -----------------------------------------------

TEST_CASE("crud: a model with a generated key", "[unit][query][crud]") {
    using namespace retort::query;
    CHECK(
        insert_sql<app::user, PG>() ==
        R"(INSERT INTO "users" ("email", "display_name", "approved", "created_at") VALUES ($1, $2, $3, $4) )"
        R"(RETURNING "id")");
    CHECK(
        insert_sql<app::user, SL>() ==
        R"(INSERT INTO "users" ("email", "display_name", "approved", "created_at") VALUES (?, ?, ?, ?))");
    // Upsert inserts the key too: the row is identified by it.
    CHECK(
        upsert_sql<app::user, PG>() ==
        R"(INSERT INTO "users" ("id", "email", "display_name", "approved", "created_at") VALUES ($1, $2, $3, $4, $5) )"
        R"(ON CONFLICT ("id") DO UPDATE SET "email" = excluded."email", "display_name" = excluded."display_name", )"
        R"("approved" = excluded."approved", "created_at" = excluded."created_at")");
    CHECK(
        upsert_sql<app::user, SL>() ==
        R"(INSERT INTO "users" ("id", "email", "display_name", "approved", "created_at") VALUES (?, ?, ?, ?, ?) )"
        R"(ON CONFLICT ("id") DO UPDATE SET "email" = excluded."email", "display_name" = excluded."display_name", )"
        R"("approved" = excluded."approved", "created_at" = excluded."created_at")");
    CHECK(select_by_key_sql<app::user, PG>() == select_users + R"( WHERE "users"."id" = $1)");
    CHECK(select_by_key_sql<app::user, SL>() == select_users + R"( WHERE "users"."id" = ?)");
    CHECK(
        update_by_key_sql<app::user, PG>() ==
        R"(UPDATE "users" SET "email" = $1, "display_name" = $2, "approved" = $3, "created_at" = $4 WHERE "id" = $5)");
    CHECK(
        update_by_key_sql<app::user, SL>() ==
        R"(UPDATE "users" SET "email" = ?, "display_name" = ?, "approved" = ?, "created_at" = ? WHERE "id" = ?)");
    CHECK(delete_by_key_sql<app::user, PG>() == R"(DELETE FROM "users" WHERE "id" = $1)");
    CHECK(delete_by_key_sql<app::user, SL>() == R"(DELETE FROM "users" WHERE "id" = ?)");

    CHECK(
        insert_sql<app::email_delivery_log, PG>() ==
        R"(INSERT INTO "email_delivery_logs" ("user_id", "recipient", "template", "status", "error", "sent_at") )"
        R"(VALUES ($1, $2, $3, $4, $5, $6) RETURNING "id")");

    app::user u;
    u.id = 9;
    u.email = "e";
    u.approved = true;
    u.created_at = retort::timestamp{std::chrono::microseconds{123}};
    {
        query_test::recorder r;
        bind_insert_values(r, u);
        CHECK(r.calls == Calls{"text:e", "null:text", "bool:true", "timestamp:123"});
    }
    {
        query_test::recorder r;
        bind_all_values(r, u);
        CHECK(r.calls == Calls{"int64:9", "text:e", "null:text", "bool:true", "timestamp:123"});
    }
    {
        // update_by_key binds the non-key values, then the key.
        query_test::recorder r;
        u.display_name = "Ed";
        bind_non_key_values(r, u);
        bind_key_values(r, u);
        CHECK(r.calls == Calls{"text:e", "text:Ed", "bool:true", "timestamp:123", "int64:9"});
    }
    {
        query_test::recorder r;
        bind_key<app::user>(r, std::int64_t{42});
        CHECK(r.calls == Calls{"int64:42"});
    }
    static_assert(std::is_same_v<retort::query::key_t<app::user>, std::int64_t>);
}

TEST_CASE("crud: a model with a key that is not generated", "[unit][query][crud]") {
    using namespace retort::query;
    const std::string cols =
        R"("job_id", "user_id", "request", "status", "phase", "subphase", "total_steps", )"
        R"("completed_steps", "progress", "created_at")";
    // The key is inserted; no RETURNING.
    CHECK(insert_sql<app::job, PG>() == "INSERT INTO \"dgs_jobs\" (" + cols +
                                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    CHECK(insert_sql<app::job, SL>() ==
          "INSERT INTO \"dgs_jobs\" (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    CHECK(
        upsert_sql<app::lesson, PG>() ==
        R"(INSERT INTO "dgs_lessons" ("lesson_id", "job_id", "topic", "title", "tags", "section_ids", "scheduled_on") )"
        R"(VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT ("lesson_id") DO UPDATE SET "job_id" = excluded."job_id", )"
        R"("topic" = excluded."topic", "title" = excluded."title", "tags" = excluded."tags", )"
        R"("section_ids" = excluded."section_ids", "scheduled_on" = excluded."scheduled_on")");
    CHECK(
        select_by_key_sql<app::lesson, SL>() ==
        R"(SELECT "dgs_lessons"."lesson_id", "dgs_lessons"."job_id", "dgs_lessons"."topic", "dgs_lessons"."title", )"
        R"("dgs_lessons"."tags", "dgs_lessons"."section_ids", "dgs_lessons"."scheduled_on" FROM "dgs_lessons" )"
        R"(WHERE "dgs_lessons"."lesson_id" = ?)");
    CHECK(
        update_by_key_sql<app::llm_call_audit, PG>() ==
        R"(UPDATE "llm_call_audit" SET "timestamp_request" = $1, "timestamp_response" = $2, "model" = $3, )"
        R"("prompt_tokens" = $4, "completion_tokens" = $5, "response" = $6 WHERE "id" = $7)");
    CHECK(delete_by_key_sql<app::job, PG>() == R"(DELETE FROM "dgs_jobs" WHERE "job_id" = $1)");

    app::job j;
    j.job_id = "J1";
    j.user_id = 4;
    j.request = retort::json{R"({"a":1})"};
    j.status = app::job_status::running;
    j.phase = "p";
    j.total_steps = 10;
    j.progress = 0.5;
    query_test::recorder r;
    bind_insert_values(r, j);
    CHECK(r.calls == Calls{"text:J1", "int64:4", R"(json:{"a":1})", "text:running", "text:p",
                           "null:text", "int32:10", "null:int32", "float64:0.500000",
                           "timestamp:0"});
    static_assert(std::is_same_v<retort::query::key_t<app::job>, std::string>);
}

TEST_CASE("crud: a composite key", "[unit][query][crud]") {
    using namespace retort::query;
    CHECK(insert_sql<app::membership, PG>() ==
          R"(INSERT INTO "memberships" ("user_id", "team", "role") VALUES ($1, $2, $3))");
    CHECK(insert_sql<app::membership, SL>() ==
          R"(INSERT INTO "memberships" ("user_id", "team", "role") VALUES (?, ?, ?))");
    CHECK(upsert_sql<app::membership, PG>() ==
          R"(INSERT INTO "memberships" ("user_id", "team", "role") VALUES ($1, $2, $3) )"
          R"(ON CONFLICT ("user_id", "team") DO UPDATE SET "role" = excluded."role")");
    CHECK(
        select_by_key_sql<app::membership, PG>() ==
        R"(SELECT "memberships"."user_id", "memberships"."team", "memberships"."role" FROM "memberships" )"
        R"(WHERE "memberships"."user_id" = $1 AND "memberships"."team" = $2)");
    CHECK(update_by_key_sql<app::membership, PG>() ==
          R"(UPDATE "memberships" SET "role" = $1 WHERE "user_id" = $2 AND "team" = $3)");
    CHECK(delete_by_key_sql<app::membership, SL>() ==
          R"(DELETE FROM "memberships" WHERE "user_id" = ? AND "team" = ?)");

    static_assert(std::is_same_v<retort::query::key_t<app::membership>,
                                 std::tuple<std::int64_t, std::string>>);
    {
        query_test::recorder r;
        bind_key<app::membership>(r, std::tuple<std::int64_t, std::string>{5, "core"});
        CHECK(r.calls == Calls{"int64:5", "text:core"});
    }

    // A key declared in another order than the fields: key order everywhere.
    using query_test::grant;
    CHECK(delete_by_key_sql<grant, PG>() ==
          R"(DELETE FROM "grants" WHERE "principal" = $1 AND "resource" = $2)");
    CHECK(upsert_sql<grant, SL>() ==
          R"(INSERT INTO "grants" ("resource", "principal", "level") VALUES (?, ?, ?) )"
          R"(ON CONFLICT ("principal", "resource") DO UPDATE SET "level" = excluded."level")");
    static_assert(
        std::is_same_v<retort::query::key_t<grant>, std::tuple<std::int64_t, std::string>>);
    grant g{"doc", 8, "read"};
    query_test::recorder r;
    bind_key_values(r, g);
    CHECK(r.calls == Calls{"int64:8", "text:doc"});

    // Every column in the key: nothing to update on conflict.
    CHECK(
        upsert_sql<query_test::tag_link, PG>() ==
        R"(INSERT INTO "tag_links" ("a", "b") VALUES ($1, $2) ON CONFLICT ("a", "b") DO NOTHING)");
}

// ---- binding single values (query/values.hpp) --------------------------------------------------

TEST_CASE("values: bind_value sends storage types to the binder", "[unit][values]") {
    using retort::query::bind_value;
    query_test::recorder r;
    bind_value(r, std::optional<std::string>{});
    bind_value(r, std::optional<app::job_status>{});
    bind_value(r, std::optional<std::int32_t>{});
    bind_value(r, std::optional<retort::timestamp>{});
    bind_value(r, std::optional<std::string>{"x"});
    bind_value(r, app::job_status::queued);
    bind_value(r, std::string{"s"});
    bind_value(r, "literal");
    bind_value(r, std::string_view{"view"});
    bind_value(r, std::int8_t{-3});
    bind_value(r, std::uint8_t{200});
    bind_value(r, std::uint16_t{60000});
    bind_value(r, std::uint32_t{4000000000u});
    bind_value(r, std::uint64_t{5});
    bind_value(r, 2.5f);
    bind_value(r, retort::blob{std::byte{1}, std::byte{2}});
    bind_value(r, retort::date{std::chrono::days{3}});
    bind_value(r, std::vector<std::string>{"a", "b"});
    bind_value(r, std::chrono::sys_seconds{std::chrono::seconds{2}});
    CHECK(r.calls == Calls{"null:text", "null:enumeration", "null:int32", "null:timestamp",
                           "text:x", "text:queued", "text:s", "text:literal", "text:view",
                           "int16:-3", "int16:200", "int32:60000", "int64:4000000000", "int64:5",
                           "float32:2.500000", "blob:2", "date:3", "text[]:a|b",
                           "timestamp:2000000"});

    // A uint64 above INT64_MAX is refused before anything is bound.
    query_test::recorder big;
    REQUIRE_THROWS_AS(bind_value(big, std::uint64_t{9223372036854775808ull}),
                      retort::programming_error);
    CHECK(big.calls.empty());
    // So is an enum value RETORT_ENUM did not list.
    REQUIRE_THROWS_AS(bind_value(big, static_cast<app::job_status>(9)), retort::programming_error);
    CHECK(big.calls.empty());
}

// ---- decoding rows ----------------------------------------------------------------------------

TEST_CASE("decode: rows into models, tuples and structs", "[unit][query]") {
    using query_test::fake_row;
    using ts = retort::timestamp;
    const fake_row user_row{{std::int64_t{1}, std::string{"a@b.c"}, std::monostate{}, true,
                             ts{std::chrono::microseconds{5}}}};
    const auto u = users().read_row(user_row);
    static_assert(std::is_same_v<std::remove_cv_t<decltype(u)>, app::user>);
    CHECK(u.id == 1);
    CHECK(u.email == "a@b.c");
    CHECK_FALSE(u.display_name.has_value());
    CHECK(u.approved);
    CHECK(u.created_at == ts{std::chrono::microseconds{5}});

    // A left-joined model is absent when its key is NULL, and read at its offset otherwise.
    const auto left =
        retort::query::select_models<no_exec, app::user, app::email_delivery_log>(nullptr)
            .left_join<app::email_delivery_log>(col<&app::email_delivery_log::user_id> ==
                                                col<&app::user::id>);
    fake_row missing = user_row;
    for (int i = 0; i < 7; ++i) missing.cells.emplace_back(std::monostate{});
    const auto [u1, log1] = left.read_row(missing);
    CHECK(u1.email == "a@b.c");
    CHECK_FALSE(log1.has_value());

    fake_row present = user_row;
    present.cells.insert(present.cells.end(),
                         {std::int64_t{77}, std::int64_t{1}, std::string{"to@x"},
                          std::string{"welcome"}, std::string{"sent"}, std::monostate{},
                          ts{std::chrono::microseconds{9}}});
    const auto [u2, log2] = left.read_row(present);
    CHECK(u2.id == 1);
    REQUIRE(log2.has_value());
    CHECK(log2->id == 77);
    CHECK(log2->user_id == std::optional<std::int64_t>{1});
    CHECK(log2->recipient == "to@x");
    CHECK(log2->template_name == "welcome");
    CHECK(log2->status == "sent");
    CHECK_FALSE(log2->error.has_value());

    // Chosen columns come back as a tuple, or as the into<S>() struct; enums from their text.
    const auto cols = retort::query::select_columns<app::job, no_exec>(
                          nullptr, col<&app::job::status>, retort::count())
                          .group_by(col<&app::job::status>);
    const fake_row agg{{std::string{"done"}, std::int64_t{3}}};
    const auto t = cols.read_row(agg);
    static_assert(
        std::is_same_v<std::remove_cv_t<decltype(t)>, std::tuple<app::job_status, std::int64_t>>);
    CHECK(std::get<0>(t) == app::job_status::done);
    CHECK(std::get<1>(t) == 3);
    const auto s = cols.into<query_test::status_count>().read_row(agg);
    CHECK(s.status == app::job_status::done);
    CHECK(s.n == 3);

    const fake_row bad{{std::string{"exploded"}, std::int64_t{3}}};
    CHECK_THROWS_AS(cols.read_row(bad), retort::programming_error);
}
