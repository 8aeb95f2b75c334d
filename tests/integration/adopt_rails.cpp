// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Adopting a database Rails made (tests/corpus/rails/structure.sql: bigint keys from
// sequences, `character varying`, `timestamp(6) without time zone`, a native enum, inet, a
// varchar[] with a gin index, Rails' index_<table>_on_<columns> and fk_rails_<hash> names,
// and Rails' own schema_migrations and ar_internal_metadata) with the models a user writes
// under RETORT_NAMING(rails_names): validate is empty, stamp accepts, every model reads the
// rows Rails wrote and writes its own, fix changes nothing, twice; a real change is planned
// under Rails' names. And PostgreSQL's own names for unnamed rules are postgres_names'.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/startup.hpp>

#include <boost/pfr.hpp>

#include <fstream>
#include <sstream>

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using retort::postgres_type;

namespace forum {
RETORT_NAMING(retort::naming::rails_names);

enum class user_role { member, moderator, admin };
RETORT_ENUM(user_role, member, moderator, admin);

struct user {
    std::int64_t id{};
    std::string email;
    std::optional<std::string> name;
    user_role role{};
    std::optional<std::string> last_sign_in_ip;
    retort::local_timestamp created_at{};
    retort::local_timestamp updated_at{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, postgres_type<"character varying">), (name, retort::max_length<100>),
             (role, postgres_type<"user_role">, retort::server_default<"member">),
             (last_sign_in_ip, postgres_type<"inet">), (created_at), (updated_at));
RETORT_CONSTRAINTS(user, retort::unique_index<"", &user::email>);

struct session {
    std::int64_t id{};
    std::int64_t user_id{};
    std::string token;
    std::optional<std::string> ip_address;
    retort::local_timestamp created_at{};
};
RETORT_TABLE(session, "sessions", (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::cascade),
              retort::indexed),
             (token, postgres_type<"character varying">), (ip_address, postgres_type<"inet">),
             (created_at));
RETORT_CONSTRAINTS(session, retort::unique_index<"", &session::token>);

struct post {
    std::int64_t id{};
    std::int64_t user_id{};
    std::string title;
    std::optional<std::string> body;
    bool published{};
    std::vector<std::string> labels;
    retort::local_timestamp created_at{};
    retort::local_timestamp updated_at{};
};
RETORT_TABLE(post, "posts", (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>, retort::indexed),
             (title, postgres_type<"character varying">), (body),
             (published, retort::server_default<false>),
             (labels, postgres_type<"character varying[]">,
              retort::server_default_sql<"'{}'::character varying[]">),
             (created_at), (updated_at));
RETORT_CONSTRAINTS(post, retort::index<"", &post::user_id, &post::created_at>,
                   retort::index<"", &post::labels>.using_method<"gin">());

struct comment {
    std::int64_t id{};
    std::int64_t post_id{};
    std::int64_t user_id{};
    std::string body;
    retort::local_timestamp created_at{};
    retort::local_timestamp updated_at{};
};
RETORT_TABLE(comment, "comments", (id, retort::primary_key, retort::autoincrement),
             (post_id, retort::references<&post::id>.on_delete(retort::fk_action::cascade),
              retort::indexed),
             (user_id, retort::references<&user::id>, retort::indexed), (body), (created_at),
             (updated_at));
}  // namespace forum

// The posts table a month later: a slug, indexed, under Rails' name for its index.
namespace forum_next {
RETORT_NAMING(retort::naming::rails_names);
struct post {
    std::int64_t id{};
    std::int64_t user_id{};
    std::string title;
    std::optional<std::string> body;
    bool published{};
    std::vector<std::string> labels;
    retort::local_timestamp created_at{};
    retort::local_timestamp updated_at{};
    std::optional<std::string> slug;
};
RETORT_TABLE(post, "posts", (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&forum::user::id>, retort::indexed),
             (title, postgres_type<"character varying">), (body),
             (published, retort::server_default<false>),
             (labels, postgres_type<"character varying[]">,
              retort::server_default_sql<"'{}'::character varying[]">),
             (created_at), (updated_at),
             (slug, postgres_type<"character varying">, retort::indexed));
RETORT_CONSTRAINTS(post, retort::index<"", &post::user_id, &post::created_at>,
                   retort::index<"", &post::labels>.using_method<"gin">());
}  // namespace forum_next

template <class B>
using forum_manager =
    m::schema_manager<B, forum::user, forum::session, forum::post, forum::comment>;

std::string corpus(const std::string& name) {
    std::ifstream in(std::string{RETORT_TEST_CORPUS_DIR} + "/rails/" + name);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::string drop_rails =
    "DROP TABLE IF EXISTS comments, posts, sessions, users, schema_migrations, "
    "ar_internal_metadata, retort_version CASCADE; DROP TYPE IF EXISTS user_role";

/// Runs `f` on a PostgreSQL session holding the Rails database, with rows Rails wrote.
template <class F>
void on_rails_database(F f) {
    test::with_postgres_session(drop_rails, [&](auto& s) {
        s.execute_script(corpus("structure.sql"));
        s.execute_script(R"sql(
            INSERT INTO ar_internal_metadata VALUES ('environment', 'production', now(), now());
            INSERT INTO users (email, name, role, last_sign_in_ip, created_at, updated_at)
                VALUES ('ada@example.org', 'Ada', 'admin', '192.168.0.10',
                        '2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.123456');
            INSERT INTO sessions (user_id, token, ip_address, created_at)
                VALUES (1, 'tok-1', '::1', '2026-01-02 03:05:00');
            INSERT INTO posts (user_id, title, labels, created_at, updated_at)
                VALUES (1, 'Hello', '{intro,meta}', '2026-01-03 00:00:00', '2026-01-03 00:00:00');
            INSERT INTO comments (post_id, user_id, body, created_at, updated_at)
                VALUES (1, 1, 'First', '2026-01-03 00:01:00', '2026-01-03 00:01:00');
        )sql");
        f(s);
    });
}

m::table_filter models_only() {
    m::table_filter f;
    f.models_only = true;
    return f;
}

std::vector<std::tuple<std::string, std::string>> constraint_names(auto& s) {
    return s.template query<std::string, std::string>(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() "
        "UNION ALL SELECT tablename, indexname FROM pg_indexes "
        "WHERE schemaname = current_schema() ORDER BY 1, 2");
}

}  // namespace

TEST_CASE("rails corpus: the models validate empty under Rails' names; fix does nothing, twice",
          "[migrate][adopt][naming][postgres-only]") {
    on_rails_database([](auto& s) {
        const auto names_before = constraint_names(s);
        forum_manager<retort::postgres> manager(s, models_only());
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(false).empty());
        CHECK(manager.fix(true).empty());
        CHECK(manager.fix(true).empty());
        CHECK(constraint_names(s) == names_before);  // no second foreign key, no rename
    });
}

TEST_CASE("rails corpus: stamp accepts the database for the models' first revision",
          "[migrate][adopt][naming][postgres-only]") {
    const auto dir = migtest::fresh_directory();
    const auto first =
        m::autogenerate<forum::user, forum::session, forum::post, forum::comment>(dir, "initial")
            ->id;
    on_rails_database([&](auto& s) {
        const auto names_before = constraint_names(s);
        m::migrator_options options;
        options.naming = retort::naming_of<forum::user>();
        m::migrator<retort::postgres> mig(s, m::load_history(dir), options);
        INFO(migtest::listing(mig.compare(first)));
        CHECK(mig.compare(first).empty());
        mig.stamp(first);
        CHECK(mig.current() == first);
        std::vector<std::tuple<std::string, std::string>> now = constraint_names(s);
        std::erase_if(now, [](const auto& r) { return std::get<0>(r) == "retort_version"; });
        CHECK(now == names_before);
    });
    std::filesystem::remove_all(dir);
}

TEST_CASE("rails corpus: every model reads the rows Rails wrote and writes its own",
          "[migrate][adopt][naming][postgres-only]") {
    on_rails_database([](auto& s) {
        const auto ada = s.template get<forum::user>(std::int64_t{1});
        REQUIRE(ada);
        CHECK(ada->email == "ada@example.org");
        CHECK(ada->role == forum::user_role::admin);
        CHECK(ada->last_sign_in_ip == "192.168.0.10");
        CHECK(ada->created_at.time_since_epoch() % std::chrono::seconds{1} ==
              std::chrono::microseconds{123456});
        const auto login = s.template get<forum::session>(std::int64_t{1});
        REQUIRE(login);
        CHECK(login->ip_address == "::1");
        const auto hello = s.template get<forum::post>(std::int64_t{1});
        REQUIRE(hello);
        CHECK(hello->labels == std::vector<std::string>{"intro", "meta"});
        CHECK_FALSE(hello->published);
        CHECK(s.template select<forum::comment>()
                  .where(retort::col<&forum::comment::post_id> == hello->id)
                  .count() == 1);

        // Rows written through the models: keys from Rails' sequences, enum and inet bound
        // as their own types, compared with their own meaning.
        const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(
            retort::local_timestamp{std::chrono::hours{24 * 20000}});
        forum::user bob{
            0, "bob@example.org", std::nullopt, forum::user_role::moderator, "10.0.0.7", now, now};
        s.insert(bob);
        CHECK(bob.id == 2);
        forum::post p{0, bob.id, "Second", "text", true, {"news"}, now, now};
        s.insert(p);
        CHECK(p.id == 2);
        s.insert(forum::comment{0, p.id, ada->id, "Welcome", now, now});
        CHECK(s.template select<forum::user>()
                  .where(retort::col<&forum::user::role> == forum::user_role::moderator)
                  .count() == 1);
        CHECK(s.template select<forum::user>()
                  .where(retort::col<&forum::user::last_sign_in_ip> == std::string{"10.0.0.7"})
                  .count() == 1);
        const auto back = s.template get<forum::post>(p.id);
        REQUIRE(back);
        CHECK(boost::pfr::eq(*back, p));
        // Rails' view of retort's rows: the enum's label and the array as PostgreSQL has them.
        CHECK(s.template query<std::string, std::string>(
                  "SELECT role::text, (SELECT labels::text FROM posts WHERE id = 2) FROM users "
                  "WHERE id = 2") ==
              std::vector<std::tuple<std::string, std::string>>{{"moderator", "{news}"}});
        // The cascade Rails declared still runs.
        s.remove(p);
        CHECK(s.template select<forum::comment>().count() == 1);
    });
}

TEST_CASE("rails corpus: a real change is planned under Rails' names, applied, and converges",
          "[migrate][adopt][naming][postgres-only]") {
    on_rails_database([](auto& s) {
        const auto rows =
            s.template query<std::int64_t, std::string>("SELECT id, title FROM posts ORDER BY id");
        m::schema_manager<retort::postgres, forum::user, forum::session, forum_next::post,
                          forum::comment>
            manager(s, models_only());
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 2);
        const auto what = migtest::sorted_descriptions(report.operations);
        CHECK_THAT(what[0], Contains("add column posts.slug"));
        CHECK_THAT(what[1], Contains("add index index_posts_on_slug on posts (slug)"));
        CHECK(manager.fix(false).size() == 2);
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
        CHECK(s.template query<std::string>(
                  "SELECT indexdef FROM pg_indexes WHERE indexname = 'index_posts_on_slug'") ==
              std::vector<std::tuple<std::string>>{
                  {"CREATE INDEX index_posts_on_slug ON public.posts USING btree (slug)"}});
        CHECK(s.template query<std::int64_t, std::string>(
                  "SELECT id, title FROM posts ORDER BY id") == rows);
    });
}

namespace server_names {
RETORT_NAMING(retort::naming::postgres_names);
struct parent {
    std::int64_t id{};
    std::int32_t shard{};
    std::string a_rather_long_column_name_that_the_server_must_cut_somewhere;
};
RETORT_TABLE(parent, "rt_naming_parent_table_with_a_long_name_of_its_own_too",
             (id, retort::primary_key), (shard, retort::check<"shard >= 0">),
             (a_rather_long_column_name_that_the_server_must_cut_somewhere, retort::unique));
RETORT_CONSTRAINTS(parent, retort::unique_together<"", &parent::id, &parent::shard>,
                   retort::index<"", &parent::shard, &parent::id>,
                   retort::table_check<"", "id > shard">);
struct child {
    std::int64_t id{};
    std::int64_t parent_id{};
    std::int32_t parent_shard{};
    std::string summary;
};
RETORT_TABLE(child, "rt_naming_child", (id, retort::primary_key),
             (parent_id, retort::references<&parent::id>), (parent_shard),
             (summary,
              retort::named<"r\u00e9sum\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_"
                            "\u00e9t\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_\u00e9">,
              retort::indexed));
RETORT_CONSTRAINTS(
    child,
    retort::foreign_key<"", &child::parent_id, &child::parent_shard>.references<&parent::id, &parent::shard>());
}  // namespace server_names

TEST_CASE("naming: postgres_names gives every unnamed rule the name PostgreSQL gives it",
          "[migrate][naming][postgres-only]") {
    const std::string parent = "rt_naming_parent_table_with_a_long_name_of_its_own_too";
    const std::string column = "r\u00e9sum\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_"
                               "\u00e9t\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_\u00e9t\u00e9_\u00e9";
    test::with_postgres_session("DROP TABLE IF EXISTS rt_naming_child, " + parent, [&](auto& s) {
        // The server names every rule: no CONSTRAINT clause, no index name.
        s.execute_script(
            "CREATE TABLE " + parent +
            " (id bigint PRIMARY KEY, shard integer NOT NULL CHECK (shard >= 0), "
            "a_rather_long_column_name_that_the_server_must_cut_somewhere text NOT NULL "
            "UNIQUE, UNIQUE (id, shard), CHECK (id > shard)); "
            "CREATE INDEX ON " +
            parent +
            " (shard, id); "
            "CREATE TABLE rt_naming_child (id bigint PRIMARY KEY, parent_id bigint NOT NULL "
            "REFERENCES " +
            parent + " (id), parent_shard integer NOT NULL, \"" + column +
            "\" text NOT NULL, FOREIGN KEY (parent_id, parent_shard) REFERENCES " + parent +
            " (id, shard)); CREATE INDEX ON rt_naming_child (\"" + column + "\")");
        auto names = [&](const retort::schema::database& db) {
            std::vector<std::string> out;
            for (const auto& t : db.tables) {
                out.push_back(t.key.name);
                for (const auto& u : t.uniques) out.push_back(u.name);
                for (const auto& i : t.indexes) out.push_back(i.name);
                for (const auto& f : t.foreign_keys) out.push_back(f.name);
                for (const auto& c : t.checks) out.push_back(c.name);
            }
            std::sort(out.begin(), out.end());
            return out;
        };
        auto live = m::introspect(s);
        std::erase_if(live.tables, [&](const auto& t) {
            return t.name != parent && t.name != "rt_naming_child";
        });
        const auto models =
            retort::schema::database_of<server_names::parent, server_names::child>();
        CHECK(names(live) == names(models));
        CHECK(names(live).size() == 10);
        m::schema_manager<retort::postgres, server_names::parent, server_names::child> manager(
            s, models_only());
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
    });
}

// Rails on SQLite (db/schema.rb loaded by Rails 7.1 writes this DDL): keys are rowid aliases,
// foreign keys are named in CREATE TABLE, a key or unique left unnamed is named by the
// convention when read.
namespace forum_sqlite {
RETORT_NAMING(retort::naming::rails_names);
struct user {
    std::int64_t id{};
    std::string email;
    retort::local_timestamp created_at{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement), (email),
             (created_at));
RETORT_CONSTRAINTS(user, retort::unique_index<"", &user::email>);
struct tag {
    std::int64_t id{};
    std::string name;
};
RETORT_TABLE(tag, "tags", (id, retort::primary_key, retort::autoincrement), (name, retort::unique));
struct post {
    std::int64_t id{};
    std::int64_t user_id{};
    std::string title;
    std::int32_t score{};
};
RETORT_TABLE(post, "posts", (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>, retort::indexed), (title),
             (score, retort::check<"score >= 0">));
}  // namespace forum_sqlite

TEST_CASE("rails on sqlite: unnamed keys, uniques and checks read under Rails' names",
          "[migrate][adopt][naming][sqlite-only]") {
    migtest::scratch f;
    const auto first =
        m::autogenerate<forum_sqlite::user, forum_sqlite::tag, forum_sqlite::post>(f.dir, "adopt")
            ->id;
    f.db.visit([&](auto& e) {
        using B = migtest::backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(R"sql(
            CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
                "email" varchar NOT NULL, "created_at" datetime(6) NOT NULL);
            CREATE UNIQUE INDEX "index_users_on_email" ON "users" ("email");
            CREATE TABLE "tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
                "name" varchar NOT NULL, UNIQUE ("name"));
            CREATE TABLE "posts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
                "user_id" integer NOT NULL, "title" varchar NOT NULL,
                "score" integer NOT NULL CHECK (score >= 0),
                CONSTRAINT "fk_rails_5b5ddfd518" FOREIGN KEY ("user_id") REFERENCES "users" ("id"));
            CREATE INDEX "index_posts_on_user_id" ON "posts" ("user_id");
            INSERT INTO users (email, created_at) VALUES ('ada@example.org', '2026-01-02 03:04:05.5');
        )sql");
        const auto live = m::introspect(s, retort::naming::rails_names);
        const auto* users = live.find_table("users");
        REQUIRE(users);
        CHECK(users->key.name == "users_pkey");
        const auto* tags = live.find_table("tags");
        REQUIRE(tags);
        REQUIRE(tags->uniques.size() == 1);
        CHECK(tags->uniques[0].name == retort::naming::rails_names.unique("tags", {"name"}));
        const auto* posts = live.find_table("posts");
        REQUIRE(posts);
        REQUIRE(posts->checks.size() == 1);
        CHECK(posts->checks[0].name ==
              "chk_rails_" +
                  retort::schema::detail::sha256_hex("posts_score >= 0_chk").substr(0, 10));

        m::schema_manager<B, forum_sqlite::user, forum_sqlite::tag, forum_sqlite::post> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(true).empty());

        const auto history = m::load_history(f.dir);
        m::migrator<B> mig(
            s, history,
            m::options_for_models<forum_sqlite::user, forum_sqlite::tag, forum_sqlite::post>(
                history));
        INFO(migtest::listing(mig.compare(first)));
        CHECK(mig.compare(first).empty());
        mig.stamp(first);

        const auto ada = s.template get<forum_sqlite::user>(std::int64_t{1});
        REQUIRE(ada);
        CHECK(ada->email == "ada@example.org");
        forum_sqlite::post p{0, ada->id, "Hello", 3};
        s.insert(p);
        CHECK(p.id == 1);
    });
}
