// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Adopting the Pagila sample schema (tests/corpus/pagila/, as published; its LICENSE.txt
// beside it), made by other people with pg_dump: serial keys, the server's names for keys and
// foreign keys (film_pkey, film_language_id_fkey) beside idx_ indexes, unique indexes named
// like constraints (customer_uuid_key), domains (year, with a CHECK), a native enum
// (mpaa_rating), text[], tsvector with a gist index, numeric(4,2), bytea, a generated column,
// triggers, views, a materialized view, functions, and a table partitioned by range into 55
// partitions whose foreign keys live on the partitions. With the models a user writes for it:
// validate is empty, fix changes nothing, stamp accepts, every model reads and writes a row.
//
// The dump is for PostgreSQL 18 (uuidv7(), a VIRTUAL generated column, the pgvector
// extension); the test server is 15, so it is loaded with gen_random_uuid(), the column
// STORED, and without pgvector's film_embedding table (an extension this server lacks), in a
// schema of its own: `public.` is rewritten, and pg_dump's empty search_path left out.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/startup.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pagila {

RETORT_NAMING(retort::naming::postgres_names);
using retort::autoincrement;
using retort::computed;
using retort::fk_action;
using retort::postgres_type;
using retort::primary_key;
using retort::references;
using retort::server_default;
using retort::server_default_now;
using retort::server_default_sql;

// Every foreign key of the dump but staff.store_id's and the partitions' says this.
#define PAGILA_FK(target)                                                                          \
    references<target>.on_update(fk_action::cascade).on_delete(fk_action::restrict)

struct country {
    std::int32_t country_id{};
    std::string country;
    retort::timestamp last_update{};
};
RETORT_TABLE(country, "country", (country_id, primary_key, autoincrement), (country),
             (last_update, server_default_now));

struct city {
    std::int32_t city_id{};
    std::string city;
    std::int32_t country_id{};
    retort::timestamp last_update{};
};
RETORT_TABLE(city, "city", (city_id, primary_key, autoincrement), (city),
             (country_id, PAGILA_FK(&country::country_id)), (last_update, server_default_now));
RETORT_CONSTRAINTS(city, retort::index<"idx_fk_country_id", &city::country_id>);

struct address {
    std::int32_t address_id{};
    std::string address;
    std::optional<std::string> address2;
    std::string district;
    std::int32_t city_id{};
    std::optional<std::string> postal_code;
    std::string phone;
    retort::timestamp last_update{};
};
RETORT_TABLE(address, "address", (address_id, primary_key, autoincrement), (address), (address2),
             (district), (city_id, PAGILA_FK(&city::city_id)), (postal_code), (phone),
             (last_update, server_default_now));
RETORT_CONSTRAINTS(address, retort::index<"idx_fk_city_id", &address::city_id>);

struct language {
    std::int32_t language_id{};
    std::string name;
    retort::timestamp last_update{};
};
RETORT_TABLE(language, "language", (language_id, primary_key, autoincrement), (name),
             (last_update, server_default_now));

struct category {
    std::int32_t category_id{};
    std::string name;
    retort::timestamp last_update{};
};
RETORT_TABLE(category, "category", (category_id, primary_key, autoincrement), (name),
             (last_update, server_default_now));

struct actor {
    std::int32_t actor_id{};
    std::string first_name;
    std::string last_name;
    retort::timestamp last_update{};
};
RETORT_TABLE(actor, "actor", (actor_id, primary_key, autoincrement), (first_name), (last_name),
             (last_update, server_default_now));
RETORT_CONSTRAINTS(actor, retort::index<"idx_actor_last_name", &actor::last_name>);

struct film {
    std::int32_t film_id{};
    std::string title;
    std::optional<std::string> description;
    std::optional<std::int32_t> release_year;  // the domain year: 1901 to 2155
    std::int32_t language_id{};
    std::optional<std::int32_t> original_language_id;
    std::int16_t rental_duration{};
    std::string rental_rate;  // numeric(4,2), exact, as the server prints it
    std::optional<std::int16_t> length;
    std::string replacement_cost;
    std::optional<std::string> rating;  // the enum mpaa_rating: G, PG, PG-13, R, NC-17
    retort::timestamp last_update{};
    std::optional<std::vector<std::string>> special_features;
    std::string fulltext;  // tsvector, which a trigger sets from title and description
    std::optional<std::string> length_hours;
};
RETORT_TABLE(film, "film", (film_id, primary_key, autoincrement), (title), (description),
             (release_year, postgres_type<"year">),
             (language_id, PAGILA_FK(&language::language_id)),
             (original_language_id, PAGILA_FK(&language::language_id)),
             (rental_duration, server_default<3>),
             (rental_rate, postgres_type<"numeric(4,2)">, server_default_sql<"4.99">), (length),
             (replacement_cost, postgres_type<"numeric(5,2)">, server_default_sql<"19.99">),
             (rating, postgres_type<"mpaa_rating">, server_default_sql<"'G'::mpaa_rating">),
             (last_update, server_default_now), (special_features),
             (fulltext, postgres_type<"tsvector">),
             (length_hours, postgres_type<"numeric(4,2)">, computed<"round(length / 60.0, 2)">));
RETORT_CONSTRAINTS(film, retort::index<"film_fulltext_idx", &film::fulltext>.using_method<"gist">(),
                   retort::index<"idx_fk_language_id", &film::language_id>,
                   retort::index<"idx_fk_original_language_id", &film::original_language_id>,
                   retort::index<"idx_title", &film::title>);

struct film_actor {
    std::int32_t actor_id{};
    std::int32_t film_id{};
    retort::timestamp last_update{};
};
RETORT_TABLE(film_actor, "film_actor", (actor_id, PAGILA_FK(&actor::actor_id)),
             (film_id, PAGILA_FK(&film::film_id)), (last_update, server_default_now));
RETORT_CONSTRAINTS(film_actor, retort::composite_key<&film_actor::actor_id, &film_actor::film_id>,
                   retort::index<"idx_fk_film_id", &film_actor::film_id>);

struct film_category {
    std::int32_t film_id{};
    std::int32_t category_id{};
    retort::timestamp last_update{};
};
RETORT_TABLE(film_category, "film_category", (film_id, PAGILA_FK(&film::film_id)),
             (category_id, PAGILA_FK(&category::category_id)), (last_update, server_default_now));
RETORT_CONSTRAINTS(film_category,
                   retort::composite_key<&film_category::film_id, &film_category::category_id>);

struct staff;

struct store {
    std::int32_t store_id{};
    std::int32_t manager_staff_id{};
    std::int32_t address_id{};
    retort::timestamp last_update{};
};
RETORT_TABLE(store, "store", (store_id, primary_key, autoincrement), (manager_staff_id),
             (address_id, PAGILA_FK(&address::address_id)), (last_update, server_default_now));
RETORT_CONSTRAINTS(store,
                   retort::unique_index<"idx_unq_manager_staff_id", &store::manager_staff_id>);

struct staff {
    std::int32_t staff_id{};
    std::string first_name;
    std::string last_name;
    std::int32_t address_id{};
    std::optional<std::string> email;
    std::int32_t store_id{};
    bool active{};
    std::string username;
    std::optional<std::string> password;
    retort::timestamp last_update{};
    std::optional<retort::blob> picture;
};
RETORT_TABLE(staff, "staff", (staff_id, primary_key, autoincrement), (first_name), (last_name),
             (address_id, PAGILA_FK(&address::address_id)), (email),
             (store_id, references<&store::store_id>), (active, server_default<true>), (username),
             (password), (last_update, server_default_now), (picture));

struct customer {
    std::int32_t customer_id{};
    std::int32_t store_id{};
    std::string first_name;
    std::string last_name;
    std::optional<std::string> email;
    std::int32_t address_id{};
    bool activebool{};
    retort::date create_date{};
    std::optional<retort::timestamp> last_update;
    std::optional<std::int32_t> active;
    std::string uuid;
};
RETORT_TABLE(customer, "customer", (customer_id, primary_key, autoincrement),
             (store_id, PAGILA_FK(&store::store_id)), (first_name), (last_name), (email),
             (address_id, PAGILA_FK(&address::address_id)), (activebool, server_default<true>),
             (create_date, server_default_sql<"CURRENT_DATE">), (last_update, server_default_now),
             (active), (uuid, postgres_type<"uuid">, server_default_sql<"gen_random_uuid()">));
RETORT_CONSTRAINTS(customer, retort::index<"idx_fk_address_id", &customer::address_id>,
                   retort::index<"idx_fk_store_id", &customer::store_id>,
                   retort::index<"idx_last_name", &customer::last_name>,
                   retort::unique_index<"customer_uuid_key", &customer::uuid>);

struct inventory {
    std::int32_t inventory_id{};
    std::int32_t film_id{};
    std::int32_t store_id{};
    retort::timestamp last_update{};
};
RETORT_TABLE(inventory, "inventory", (inventory_id, primary_key, autoincrement),
             (film_id, PAGILA_FK(&film::film_id)), (store_id, PAGILA_FK(&store::store_id)),
             (last_update, server_default_now));
RETORT_CONSTRAINTS(
    inventory, retort::index<"idx_store_id_film_id", &inventory::store_id, &inventory::film_id>);

struct rental {
    std::int32_t rental_id{};
    retort::timestamp rental_date{};
    std::int32_t inventory_id{};
    std::int32_t customer_id{};
    std::optional<retort::timestamp> return_date;
    std::int32_t staff_id{};
    retort::timestamp last_update{};
    std::string uuid;
};
RETORT_TABLE(rental, "rental", (rental_id, primary_key, autoincrement), (rental_date),
             (inventory_id, PAGILA_FK(&inventory::inventory_id)),
             (customer_id, PAGILA_FK(&customer::customer_id)), (return_date),
             (staff_id, PAGILA_FK(&staff::staff_id)), (last_update, server_default_now),
             (uuid, postgres_type<"uuid">, server_default_sql<"gen_random_uuid()">));
RETORT_CONSTRAINTS(
    rental, retort::index<"idx_fk_inventory_id", &rental::inventory_id>,
    retort::unique_index<"idx_unq_rental_rental_date_inventory_id_customer_id",
                         &rental::rental_date, &rental::inventory_id, &rental::customer_id>,
    retort::unique_index<"rental_uuid_key", &rental::uuid>);

// Partitioned by payment_date; its foreign keys are on the partitions, which belong to it.
// payment_id draws from a sequence, as a serial does, but is not the table's sole key: its
// nextval() is a default like any other, and the model says so.
struct payment {
    std::int32_t payment_id{};
    std::int32_t customer_id{};
    std::int32_t staff_id{};
    std::int32_t rental_id{};
    std::string amount;
    retort::timestamp payment_date{};
    std::string uuid;
};
RETORT_TABLE(payment, "payment",
             (payment_id, server_default_sql<"nextval('payment_payment_id_seq'::regclass)">),
             (customer_id), (staff_id), (rental_id), (amount, postgres_type<"numeric(5,2)">),
             (payment_date),
             (uuid, postgres_type<"uuid">, server_default_sql<"gen_random_uuid()">));
RETORT_CONSTRAINTS(
    payment, retort::composite_key<&payment::payment_date, &payment::payment_id>,
    retort::unique_index<"payment_uuid_key", &payment::uuid, &payment::payment_date>);

#undef PAGILA_FK

}  // namespace pagila

#define PAGILA_MODELS                                                                              \
    pagila::country, pagila::city, pagila::address, pagila::language, pagila::category,            \
        pagila::actor, pagila::film, pagila::film_actor, pagila::film_category, pagila::store,     \
        pagila::staff, pagila::customer, pagila::inventory, pagila::rental, pagila::payment

namespace {

namespace m = retort::migrate;
using migtest::listing;

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

/// pg_dump's items (each begins "--\n-- Name: <name>; Type: <type>; ..."), those this server
/// cannot make left out, and the rest as the comment at the top says.
std::string pagila_script() {
    std::ifstream in(std::string{RETORT_TEST_CORPUS_DIR} + "/pagila/pagila-schema.sql");
    REQUIRE(in.good());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string dump = buffer.str();
    const std::string marker = "\n--\n-- Name: ";
    std::string out;
    std::size_t at = dump.find(marker);
    REQUIRE(at != std::string::npos);
    std::string head = dump.substr(0, at);
    replace_all(head, "SELECT pg_catalog.set_config('search_path', '', false);", "");
    out += head;
    std::size_t dropped = 0;
    while (at != std::string::npos) {
        const std::size_t next = dump.find(marker, at + 1);
        std::string item =
            dump.substr(at, next == std::string::npos ? std::string::npos : next - at);
        const std::string header =
            item.substr(marker.size(), item.find('\n', marker.size()) - marker.size());
        const bool pgvector = header.find("vector") != std::string::npos ||
                              header.find("film_embedding") != std::string::npos;
        const bool owner_only = header.find("Type: SCHEMA;") != std::string::npos ||
                                header.find("Type: ACL;") != std::string::npos;
        if (pgvector || owner_only) {
            ++dropped;
        } else {
            std::string kept;
            std::istringstream lines(item);
            for (std::string line; std::getline(lines, line);)
                if (!(starts_with(line, "ALTER ") && line.find(" OWNER TO ") != std::string::npos))
                    kept += line + "\n";
            out += kept;
        }
        at = next;
    }
    // pgvector's extension, its comment, the table, its key, index, trigger and foreign key;
    // the schema's owner and its ACL
    CHECK(dropped == 9);
    replace_all(out, "uuidv7()", "gen_random_uuid()");
    replace_all(out, ") VIRTUAL", ") STORED");
    replace_all(out, "public.", "retort_pagila.");
    return out;
}

}  // namespace

TEST_CASE("pagila, postgres: its models validate empty under the server's names, fix changes "
          "nothing, stamp accepts, every model reads and writes a row",
          "[migrate][adopt][pagila][postgres-only]") {
    namespace p = pagila;
    const auto dir = migtest::fresh_directory();
    const auto first = m::autogenerate<PAGILA_MODELS>(dir, "initial")->id;
    test::with_postgres_session(
        "RESET search_path; DROP SCHEMA IF EXISTS retort_pagila CASCADE", [&](auto& s) {
            s.execute_script("CREATE SCHEMA retort_pagila; SET search_path = retort_pagila");
            s.execute_script(pagila_script());
            s.execute_script("SET search_path = retort_pagila");
            const auto live = m::introspect(s);
            // 15 tables: the 55 partitions belong to payment, views are no tables
            REQUIRE(live.tables.size() == 15);
            // a sequence's default on a column that is not the sole key is kept as a default
            CHECK(live.find_table("payment")->find_column("payment_id")->server_default.text ==
                  "nextval('payment_payment_id_seq'::regclass)");
            CHECK(live.find_table("film")->find_column("film_id")->autoincrement);

            m::schema_manager<retort::postgres, PAGILA_MODELS> manager(s);
            const auto report = manager.validate();
            INFO(report.text());
            CHECK(report.clean());
            CHECK(manager.fix(false).empty());
            CHECK(manager.fix(true).empty());
            CHECK(m::introspect(s) == live);

            const auto history = m::load_history(dir);
            m::migrator<retort::postgres> mig(s, history,
                                              m::options_for_models<PAGILA_MODELS>(history));
            INFO(listing(mig.compare(first)));
            CHECK(mig.compare(first).empty());
            mig.stamp(first);
            CHECK(m::read_applied(s).size() == 1);

            // A row through every model, each read back.
            const auto now = test::at(2024, 5, 6);
            s.insert(p::country{0, "Retortia", now});
            const auto country_id = s.template select<p::country>().one().country_id;
            s.insert(p::city{0, "Header City", country_id, now});
            const auto city_id = s.template select<p::city>().one().city_id;
            s.insert(
                p::address{0, "1 Include Way", std::nullopt, "Core", city_id, "12345", "555", now});
            const auto address_id = s.template select<p::address>().one().address_id;
            s.insert(p::language{0, "English", now});
            const auto language_id = s.template select<p::language>().one().language_id;
            s.insert(p::category{0, "Documentary", now});
            s.insert(p::actor{0, "Ada", "Lovelace", now});

            p::film f{};
            f.title = "Compile Time";
            f.description = "A header-only story";
            f.release_year = 2026;
            f.language_id = language_id;
            f.rental_duration = 3;
            f.rental_rate = "4.99";
            f.length = 135;
            f.replacement_cost = "19.99";
            f.rating = "PG-13";
            f.last_update = now;
            f.special_features = std::vector<std::string>{"Trailers", "Commentaries"};
            f.fulltext = "placeholder";  // the trigger sets it
            s.insert(f);
            const auto film = s.template select<p::film>().one();
            CHECK(film.title == f.title);
            CHECK(film.release_year == 2026);
            CHECK(film.rating == "PG-13");
            CHECK(film.special_features == f.special_features);
            CHECK(film.rental_rate == "4.99");
            CHECK(film.length_hours == "2.25");  // computed by the server: 135 / 60
            // the trigger's tsvector, decoded as the server prints it
            CHECK(film.fulltext ==
                  std::get<0>(s.template query<std::string>(
                      "SELECT fulltext::text FROM film WHERE film_id = ?", film.film_id)[0]));
            CHECK_THAT(film.fulltext, Catch::StartsWith("'compil':1 'header':5"));
            CHECK(s.template select<p::film>()
                      .where(retort::col<&p::film::rating> == std::string{"PG-13"})
                      .count() == 1);
            f.release_year = 1900;  // the domain's CHECK
            f.film_id = film.film_id + 1;
            CHECK_THROWS_AS(s.insert(f), retort::error);
            f.release_year = 2026;
            f.rating = "X";  // no such mpaa_rating
            CHECK_THROWS_AS(s.insert(f), retort::error);

            const auto actor_id = s.template select<p::actor>().one().actor_id;
            s.insert(p::film_actor{actor_id, film.film_id, now});
            const auto category_id = s.template select<p::category>().one().category_id;
            s.insert(p::film_category{film.film_id, category_id, now});

            // store and staff refer to each other: the store's manager is not a foreign key
            s.insert(p::store{0, 1, address_id, now});
            const auto store_id = s.template select<p::store>().one().store_id;
            const retort::blob picture{std::byte{0x89}, std::byte{'P'}, std::byte{0}};
            s.insert(p::staff{0, "Grace", "Hopper", address_id, std::nullopt, store_id, true,
                              "grace", std::nullopt, now, picture});
            const auto staff = s.template select<p::staff>().one();
            CHECK(staff.picture == picture);

            s.insert(p::customer{0, store_id, "Alan", "Turing", "alan@example.org", address_id,
                                 true, std::chrono::floor<std::chrono::days>(now), now, 1,
                                 "0190a000-0000-7000-8000-000000000001"});
            const auto customer = s.template select<p::customer>().one();
            CHECK(customer.uuid == "0190a000-0000-7000-8000-000000000001");
            s.insert(p::inventory{0, film.film_id, store_id, now});
            const auto inventory_id = s.template select<p::inventory>().one().inventory_id;
            s.insert(p::rental{0, now, inventory_id, customer.customer_id, std::nullopt,
                               staff.staff_id, now, "0190a000-0000-7000-8000-000000000002"});
            const auto rental = s.template select<p::rental>().one();
            CHECK(rental.return_date == std::nullopt);

            // a payment lands in its month's partition, and the partition's keys hold
            s.insert(p::payment{1, customer.customer_id, staff.staff_id, rental.rental_id, "9.99",
                                test::at(2024, 5, 7), "0190a000-0000-7000-8000-000000000003"});
            CHECK(s.template query<std::string>(
                      "SELECT tableoid::regclass::text FROM payment WHERE payment_id = 1") ==
                  std::vector<std::tuple<std::string>>{{"payment_p2024_05"}});
            CHECK(s.template select<p::payment>().one().amount == "9.99");
            // the dump gives the partitions of 2022's first half their foreign keys
            CHECK_THROWS_AS(
                s.insert(p::payment{2, 9999, staff.staff_id, rental.rental_id, "1.00",
                                    test::at(2022, 3, 15), "0190a000-0000-7000-8000-000000000004"}),
                retort::foreign_key_violation);
        });
    std::filesystem::remove_all(dir);
}
