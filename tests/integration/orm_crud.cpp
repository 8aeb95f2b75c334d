// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// CRUD by primary key through sessions, on the backend RETORT_TEST_BACKEND names.

#include "../support/test_db.hpp"

using retort::col;
using user_alias = app::user;
using namespace std::chrono_literals;

TEST_CASE("insert returns the generated key and get reads the row back", "[orm][crud]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto ada = test::make_user("ada@example.org", true);
        ada.display_name = "Ada";
        auto id = s.insert(ada);
        REQUIRE(id > 0);
        REQUIRE(ada.id == id);
        auto bob = test::make_user("bob@example.org");
        auto id2 = s.insert(bob);
        REQUIRE(id2 > id);

        auto got = s.template get<app::user>(id);
        REQUIRE(got.has_value());
        CHECK(got->email == "ada@example.org");
        CHECK(got->display_name == std::optional<std::string>{"Ada"});
        CHECK(got->approved);
        CHECK(got->created_at == test::at(2026, 1, 2, 3, 4, 5, 6));

        auto missing = s.template get<app::user>(std::int64_t{987654});
        CHECK_FALSE(missing.has_value());
    });
}

TEST_CASE("update and remove by key report whether a row matched", "[orm][crud]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto u = test::make_user("carol@example.org");
        s.insert(u);
        u.display_name = "Carol";
        u.approved = true;
        CHECK(s.update(u));
        auto got = s.template get<app::user>(u.id);
        REQUIRE(got);
        CHECK(got->display_name == std::optional<std::string>{"Carol"});
        CHECK(got->approved);

        app::user ghost = test::make_user("ghost@example.org");
        ghost.id = 424242;
        CHECK_FALSE(s.update(ghost));
        CHECK(s.remove(u));
        CHECK_FALSE(s.remove(u));
        CHECK_FALSE(s.template get<app::user>(u.id).has_value());
    });
}

TEST_CASE("insert_many writes every row and their keys back", "[orm][crud]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        std::vector<app::user> users;
        for (int i = 0; i < 50; ++i)
            users.push_back(test::make_user("u" + std::to_string(i) + "@example.org"));
        auto tx = s.begin();
        s.insert_many(users);
        tx.commit();
        for (std::size_t i = 1; i < users.size(); ++i) CHECK(users[i].id == users[i - 1].id + 1);
        CHECK(s.template select<app::user>().count() == 50);
    });
}

TEST_CASE("composite keys: get, update and remove by a tuple", "[orm][crud]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto u = test::make_user("dave@example.org");
        s.insert(u);
        app::membership m{u.id, "core", "member"};
        auto key = s.insert(m);
        CHECK(key == std::tuple<std::int64_t, std::string>{u.id, "core"});
        s.insert(app::membership{u.id, "docs", "owner"});

        auto got = s.template get<app::membership>(std::tuple{u.id, std::string{"docs"}});
        REQUIRE(got);
        CHECK(got->role == "owner");
        m.role = "lead";
        CHECK(s.update(m));
        CHECK(s.template get<app::membership>(std::tuple{u.id, std::string{"core"}})->role ==
              "lead");
        CHECK(s.template remove_by_key<app::membership>(std::tuple{u.id, std::string{"core"}}));
        CHECK(s.template select<app::membership>().count() == 1);
    });
}

TEST_CASE("merge inserts a new object and updates an existing one", "[orm][crud]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto u = test::make_user("erin@example.org");
        s.merge(u);  // zero generated key: a new row
        REQUIRE(u.id > 0);
        u.display_name = "Erin";
        s.merge(u);  // same key: updated in place
        CHECK(s.template select<app::user>().count() == 1);
        CHECK(s.template get<app::user>(u.id)->display_name == std::optional<std::string>{"Erin"});

        auto j = test::make_job("job-1", u.id);
        s.merge(j);
        j.phase = "write";
        j.status = app::job_status::running;
        s.merge(j);
        auto got = s.template get<app::job>(std::string{"job-1"});
        REQUIRE(got);
        CHECK(got->phase == "write");
        CHECK(got->status == app::job_status::running);
    });
}

TEST_CASE("every column type round-trips through a model", "[orm][types]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        app::all_types v;
        v.id = 1;
        v.flag = true;
        v.i8 = -128;
        v.i16 = -32768;
        v.i32 = 2147483647;
        v.i64 = INT64_MIN;
        v.u8 = 255;
        v.u16 = 65535;
        v.u32 = 4294967295u;
        v.u64 = static_cast<std::uint64_t>(INT64_MAX);
        v.f32 = 1.5f;
        v.f64 = -2.25e300;
        v.text = "naïve ☃ 'quoted' \"double\" back\\slash; DROP TABLE users; --";
        v.bytes = {std::byte{0}, std::byte{1}, std::byte{0xff}, std::byte{0}};
        v.at = test::at(1969, 7, 20, 20, 17, 40, 123456);
        v.day = std::chrono::sys_days{std::chrono::year{1901} / 12 / 31};
        v.doc = retort::json{R"({"a":[1,2,{"b":"c"}],"d":null})"};
        v.words = {"a", "b,c", "{d}", "\"e\"", "", "f\\g"};
        v.numbers = {INT64_MIN, -1, 0, 1, INT64_MAX};
        v.status = app::job_status::failed;
        v.maybe_int = 7;
        v.maybe_text = std::nullopt;
        v.maybe_at = test::at(2100, 2, 28, 23, 59, 59, 999999);
        s.insert(v);

        auto got = s.template get<app::all_types>(std::int64_t{1});
        REQUIRE(got);
        CHECK(got->flag == v.flag);
        CHECK(got->i8 == v.i8);
        CHECK(got->i16 == v.i16);
        CHECK(got->i32 == v.i32);
        CHECK(got->i64 == v.i64);
        CHECK(got->u8 == v.u8);
        CHECK(got->u16 == v.u16);
        CHECK(got->u32 == v.u32);
        CHECK(got->u64 == v.u64);
        CHECK(got->f32 == v.f32);
        CHECK(got->f64 == v.f64);
        CHECK(got->text == v.text);
        CHECK(got->bytes == v.bytes);
        CHECK(got->at == v.at);
        CHECK(got->day == v.day);
        CHECK(got->words == v.words);
        CHECK(got->numbers == v.numbers);
        CHECK(got->status == v.status);
        CHECK(got->maybe_int == v.maybe_int);
        CHECK(got->maybe_text == v.maybe_text);
        CHECK(got->maybe_at == v.maybe_at);
        // jsonb normalizes whitespace and key order; compare what the database itself says.
        using backend = typename std::remove_cvref_t<decltype(e)>::backend;
        constexpr bool pg = std::is_same_v<backend, retort::postgres>;
        auto same = s.template query<bool>(pg ? "SELECT doc = CAST(? AS jsonb) FROM all_types"
                                              : "SELECT json(doc) = json(?) FROM all_types",
                                           v.doc.text);
        REQUIRE(same.size() == 1);
        CHECK(std::get<0>(same[0]));

        v.u64 = static_cast<std::uint64_t>(INT64_MAX) + 1;
        v.id = 2;
        CHECK_THROWS_AS(s.insert(v), retort::programming_error);
    });
}

TEST_CASE("hostile strings are data, never SQL", "[orm][security]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        std::vector<std::string> logged;
        e.on_sql([&](std::string_view sql, std::chrono::nanoseconds) { logged.emplace_back(sql); });
        auto s = e.session();  // the log hook applies to sessions opened after on_sql
        const std::vector<std::string> hostile = {
            "'; DROP TABLE users; --",      "\" OR 1=1 --", "Robert'); DROP TABLE dgs_jobs;--",
            "\\'; SELECT pg_sleep(10); --", "$1 ? $2",      "%_%",
            std::string("nul\0inside", 10)};
        for (const auto& h : hostile) {
            if (test::on_postgres() && h.find('\0') != std::string::npos)
                continue;  // text has no NUL there
            auto u = test::make_user(h + "@example.org");
            u.display_name = h;
            s.insert(u);
            auto found =
                s.template select<app::user>().where(col<&app::user::display_name> == h).all();
            REQUIRE(found.size() == 1);
            CHECK(found[0].display_name == std::optional<std::string>{h});
            CHECK(found[0].email == h + "@example.org");
        }
        e.on_sql({});
        REQUIRE_FALSE(logged.empty());
        for (const auto& sql : logged)
            for (const auto& h : hostile) CHECK(sql.find(h) == std::string::npos);
        CHECK(s.table_exists("users"));
        CHECK(s.table_exists("dgs_jobs"));
    });
}

TEST_CASE("server defaults fill rows written without a value, in retort's own encoding",
          "[orm][crud]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        CHECK(s.execute("INSERT INTO users (email) VALUES (?)", "defaults@example.org") == 1);
        auto u = s.template select<user_alias>()
                     .where(col<&user_alias::email> == "defaults@example.org")
                     .one();
        CHECK_FALSE(u.approved);  // server_default<false>
        CHECK(u.created_at >= before - std::chrono::seconds{1});
        CHECK(u.created_at <= std::chrono::system_clock::now() + std::chrono::seconds{1});
        // the default's text compares like retort's own: the row is found by the value read back
        CHECK(s.template select<user_alias>()
                  .where(col<&user_alias::created_at> == u.created_at)
                  .count() == 1);
        CHECK(s.template select<user_alias>()
                  .where(col<&user_alias::created_at> >= u.created_at)
                  .count() == 1);
        app::job j = test::make_job("defaulted", u.id);
        CHECK(s.execute("INSERT INTO dgs_jobs (job_id, user_id, request, phase, created_at) VALUES "
                        "(?, ?, ?, ?, ?)",
                        "defaulted", u.id, j.request, "plan", j.created_at) == 1);
        CHECK(s.template get<app::job>(std::string{"defaulted"})->status ==
              app::job_status::queued);
    });
}

TEST_CASE("repository pages over a composite key in full key order", "[orm][repository]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto a = test::make_user("a@example.org");
        auto b = test::make_user("b@example.org");
        s.insert(a);
        s.insert(b);
        for (const char* team : {"zeta", "alpha", "mid"}) {
            s.insert(app::membership{b.id, team, "r"});
            s.insert(app::membership{a.id, team, "r"});
        }
        retort::repository<app::membership, decltype(s)> repo(s);
        std::vector<std::pair<std::int64_t, std::string>> seen;
        for (std::int64_t offset = 0; offset < 6; offset += 4)
            for (const auto& m : repo.list(retort::page{4, offset}))
                seen.emplace_back(m.user_id, m.team);
        REQUIRE(seen.size() == 6);
        CHECK(std::is_sorted(seen.begin(), seen.end()));
        CHECK(seen.front() == std::pair<std::int64_t, std::string>{a.id, "alpha"});
        CHECK(seen.back() == std::pair<std::int64_t, std::string>{b.id, "zeta"});
    });
}

// ---- a user type through the value_traits extension point ---------------------------------

namespace shop {
/// Money in cents, stored as a bigint: the user decides the encoding, retort binds the storage.
struct money {
    std::int64_t cents = 0;
    friend bool operator==(const money&, const money&) = default;
};
struct sku {
    std::string code;
    friend bool operator==(const sku&, const sku&) = default;
};
}  // namespace shop

template <>
struct retort::value_traits<shop::money> {
    using storage_type = std::int64_t;
    static std::int64_t to_storage(const shop::money& m) { return m.cents; }
    static shop::money from_storage(std::int64_t c) { return {c}; }
};
template <>
struct retort::value_traits<shop::sku> {
    using storage_type = std::string;
    static std::string to_storage(const shop::sku& s) { return "SKU-" + s.code; }
    static shop::sku from_storage(const std::string& s) { return {s.substr(4)}; }
};

namespace shop {
struct item {
    sku code;
    money price;
    std::optional<money> discount;
};
RETORT_TABLE(item, "shop_items", (code, retort::primary_key), (price), (discount));
}  // namespace shop

TEST_CASE("user types map through value_traits in rows, keys and conditions", "[orm][types]") {
    test::temp_sqlite_file file;
    auto db = retort::engine::from_url(test::url_for(file));
    db.visit([](auto& e) {
        e.template drop_all<shop::item>();
        e.template create_all<shop::item>();
        auto s = e.session();
        s.insert(shop::item{{"apple"}, {125}, std::nullopt});
        s.insert(shop::item{{"pear"}, {99}, shop::money{10}});
        auto pear = s.template get<shop::item>(shop::sku{"pear"});
        REQUIRE(pear);
        CHECK(pear->price == shop::money{99});
        CHECK(pear->discount == std::optional<shop::money>{shop::money{10}});
        // the stored form is the user's encoding
        auto raw = s.template query<std::string, std::int64_t>(
            "SELECT code, price FROM shop_items ORDER BY code");
        REQUIRE(raw.size() == 2);
        CHECK(std::get<0>(raw[0]) == "SKU-apple");
        CHECK(std::get<1>(raw[0]) == 125);
        auto cheap =
            s.template select<shop::item>().where(col<&shop::item::price> == shop::money{99}).all();
        REQUIRE(cheap.size() == 1);
        CHECK(cheap[0].code == shop::sku{"pear"});
        CHECK(s.template select<shop::item>()
                  .where(retort::is_null(col<&shop::item::discount>))
                  .count() == 1);
        e.template drop_all<shop::item>();
    });
}
