// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Adopting the Chinook sample database (tests/corpus/chinook/, Luis Rocha's scripts as
// published, data included; its LICENSE.md beside them), a schema made by other people's
// tools: on SQLite bracket-quoted PascalCase names, NVARCHAR(n), DATETIME and NUMERIC(10,2),
// unnamed foreign keys and IFK_ indexes; on PostgreSQL the server's own names (album_pkey,
// album_artist_id_fkey, album_artist_id_idx), INT keys without sequences, naive TIMESTAMP and
// NUMERIC(10,2). With the models a user writes for each, nothing adjusted to retort: validate
// is empty, fix changes nothing, stamp accepts, every row reads and new rows write.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/startup.hpp>

#include <boost/pfr.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace m = retort::migrate;
using migtest::backend_of;
using migtest::listing;
using retort::key_name;
using retort::max_length;
using retort::named;
using retort::primary_key;
using retort::references;

std::string chinook_script(const std::string& name) {
    std::ifstream in(std::string{RETORT_TEST_CORPUS_DIR} + "/chinook/" + name);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// ---- SQLite: Chinook_Sqlite.sql -----------------------------------------------------------

namespace chinook_sqlite {

struct artist {
    std::int32_t id{};
    std::optional<std::string> name;
};
RETORT_TABLE(artist, "Artist", (id, named<"ArtistId">, primary_key),
             (name, named<"Name">, max_length<120>));
RETORT_CONSTRAINTS(artist, key_name<"PK_Artist">);

struct album {
    std::int32_t id{};
    std::string title;
    std::int32_t artist_id{};
};
RETORT_TABLE(album, "Album", (id, named<"AlbumId">, primary_key),
             (title, named<"Title">, max_length<160>),
             (artist_id, named<"ArtistId">, references<&artist::id>));
RETORT_CONSTRAINTS(album, key_name<"PK_Album">,
                   retort::index<"IFK_AlbumArtistId", &album::artist_id>);

struct employee {
    std::int32_t id{};
    std::string last_name;
    std::string first_name;
    std::optional<std::string> title;
    std::optional<std::int32_t> reports_to;
    std::optional<retort::local_timestamp> birth_date;
    std::optional<retort::local_timestamp> hire_date;
    std::optional<std::string> address, city, state, country, postal_code, phone, fax, email;
};
RETORT_TABLE(employee, "Employee", (id, named<"EmployeeId">, primary_key),
             (last_name, named<"LastName">, max_length<20>),
             (first_name, named<"FirstName">, max_length<20>),
             (title, named<"Title">, max_length<30>),
             (reports_to, named<"ReportsTo">, references<&employee::id>),
             (birth_date, named<"BirthDate">), (hire_date, named<"HireDate">),
             (address, named<"Address">, max_length<70>), (city, named<"City">, max_length<40>),
             (state, named<"State">, max_length<40>), (country, named<"Country">, max_length<40>),
             (postal_code, named<"PostalCode">, max_length<10>),
             (phone, named<"Phone">, max_length<24>), (fax, named<"Fax">, max_length<24>),
             (email, named<"Email">, max_length<60>));
RETORT_CONSTRAINTS(employee, key_name<"PK_Employee">,
                   retort::index<"IFK_EmployeeReportsTo", &employee::reports_to>);

struct customer {
    std::int32_t id{};
    std::string first_name;
    std::string last_name;
    std::optional<std::string> company, address, city, state, country, postal_code, phone, fax;
    std::string email;
    std::optional<std::int32_t> support_rep_id;
};
RETORT_TABLE(customer, "Customer", (id, named<"CustomerId">, primary_key),
             (first_name, named<"FirstName">, max_length<40>),
             (last_name, named<"LastName">, max_length<20>),
             (company, named<"Company">, max_length<80>),
             (address, named<"Address">, max_length<70>), (city, named<"City">, max_length<40>),
             (state, named<"State">, max_length<40>), (country, named<"Country">, max_length<40>),
             (postal_code, named<"PostalCode">, max_length<10>),
             (phone, named<"Phone">, max_length<24>), (fax, named<"Fax">, max_length<24>),
             (email, named<"Email">, max_length<60>),
             (support_rep_id, named<"SupportRepId">, references<&employee::id>));
RETORT_CONSTRAINTS(customer, key_name<"PK_Customer">,
                   retort::index<"IFK_CustomerSupportRepId", &customer::support_rep_id>);

struct genre {
    std::int32_t id{};
    std::optional<std::string> name;
};
RETORT_TABLE(genre, "Genre", (id, named<"GenreId">, primary_key),
             (name, named<"Name">, max_length<120>));
RETORT_CONSTRAINTS(genre, key_name<"PK_Genre">);

struct media_type {
    std::int32_t id{};
    std::optional<std::string> name;
};
RETORT_TABLE(media_type, "MediaType", (id, named<"MediaTypeId">, primary_key),
             (name, named<"Name">, max_length<120>));
RETORT_CONSTRAINTS(media_type, key_name<"PK_MediaType">);

struct track {
    std::int32_t id{};
    std::string name;
    std::optional<std::int32_t> album_id;
    std::int32_t media_type_id{};
    std::optional<std::int32_t> genre_id;
    std::optional<std::string> composer;
    std::int32_t milliseconds{};
    std::optional<std::int32_t> bytes;
    double unit_price{};
};
RETORT_TABLE(track, "Track", (id, named<"TrackId">, primary_key),
             (name, named<"Name">, max_length<200>),
             (album_id, named<"AlbumId">, references<&album::id>),
             (media_type_id, named<"MediaTypeId">, references<&media_type::id>),
             (genre_id, named<"GenreId">, references<&genre::id>),
             (composer, named<"Composer">, max_length<220>), (milliseconds, named<"Milliseconds">),
             (bytes, named<"Bytes">), (unit_price, named<"UnitPrice">));
RETORT_CONSTRAINTS(track, key_name<"PK_Track">, retort::index<"IFK_TrackAlbumId", &track::album_id>,
                   retort::index<"IFK_TrackGenreId", &track::genre_id>,
                   retort::index<"IFK_TrackMediaTypeId", &track::media_type_id>);

struct invoice {
    std::int32_t id{};
    std::int32_t customer_id{};
    retort::local_timestamp invoice_date{};
    std::optional<std::string> billing_address, billing_city, billing_state, billing_country,
        billing_postal_code;
    double total{};
};
RETORT_TABLE(invoice, "Invoice", (id, named<"InvoiceId">, primary_key),
             (customer_id, named<"CustomerId">, references<&customer::id>),
             (invoice_date, named<"InvoiceDate">),
             (billing_address, named<"BillingAddress">, max_length<70>),
             (billing_city, named<"BillingCity">, max_length<40>),
             (billing_state, named<"BillingState">, max_length<40>),
             (billing_country, named<"BillingCountry">, max_length<40>),
             (billing_postal_code, named<"BillingPostalCode">, max_length<10>),
             (total, named<"Total">));
RETORT_CONSTRAINTS(invoice, key_name<"PK_Invoice">,
                   retort::index<"IFK_InvoiceCustomerId", &invoice::customer_id>);

struct invoice_line {
    std::int32_t id{};
    std::int32_t invoice_id{};
    std::int32_t track_id{};
    double unit_price{};
    std::int32_t quantity{};
};
RETORT_TABLE(invoice_line, "InvoiceLine", (id, named<"InvoiceLineId">, primary_key),
             (invoice_id, named<"InvoiceId">, references<&invoice::id>),
             (track_id, named<"TrackId">, references<&track::id>), (unit_price, named<"UnitPrice">),
             (quantity, named<"Quantity">));
RETORT_CONSTRAINTS(invoice_line, key_name<"PK_InvoiceLine">,
                   retort::index<"IFK_InvoiceLineInvoiceId", &invoice_line::invoice_id>,
                   retort::index<"IFK_InvoiceLineTrackId", &invoice_line::track_id>);

struct playlist {
    std::int32_t id{};
    std::optional<std::string> name;
};
RETORT_TABLE(playlist, "Playlist", (id, named<"PlaylistId">, primary_key),
             (name, named<"Name">, max_length<120>));
RETORT_CONSTRAINTS(playlist, key_name<"PK_Playlist">);

struct playlist_track {
    std::int32_t playlist_id{};
    std::int32_t track_id{};
};
RETORT_TABLE(playlist_track, "PlaylistTrack",
             (playlist_id, named<"PlaylistId">, references<&playlist::id>),
             (track_id, named<"TrackId">, references<&track::id>));
RETORT_CONSTRAINTS(playlist_track,
                   retort::composite_key<&playlist_track::playlist_id, &playlist_track::track_id>,
                   key_name<"PK_PlaylistTrack">,
                   retort::index<"IFK_PlaylistTrackPlaylistId", &playlist_track::playlist_id>,
                   retort::index<"IFK_PlaylistTrackTrackId", &playlist_track::track_id>);

}  // namespace chinook_sqlite

// ---- PostgreSQL: Chinook_PostgreSql.sql, under the server's own names ---------------------

namespace chinook_pg {

RETORT_NAMING(retort::naming::postgres_names);
using retort::indexed;
using retort::postgres_type;

struct artist {
    std::int32_t artist_id{};
    std::optional<std::string> name;
};
RETORT_TABLE(artist, "artist", (artist_id, primary_key), (name, max_length<120>));

struct album {
    std::int32_t album_id{};
    std::string title;
    std::int32_t artist_id{};
};
RETORT_TABLE(album, "album", (album_id, primary_key), (title, max_length<160>),
             (artist_id, references<&artist::artist_id>, indexed));

struct employee {
    std::int32_t employee_id{};
    std::string last_name;
    std::string first_name;
    std::optional<std::string> title;
    std::optional<std::int32_t> reports_to;
    std::optional<retort::local_timestamp> birth_date;
    std::optional<retort::local_timestamp> hire_date;
    std::optional<std::string> address, city, state, country, postal_code, phone, fax, email;
};
RETORT_TABLE(employee, "employee", (employee_id, primary_key), (last_name, max_length<20>),
             (first_name, max_length<20>), (title, max_length<30>),
             (reports_to, references<&employee::employee_id>, indexed), (birth_date), (hire_date),
             (address, max_length<70>), (city, max_length<40>), (state, max_length<40>),
             (country, max_length<40>), (postal_code, max_length<10>), (phone, max_length<24>),
             (fax, max_length<24>), (email, max_length<60>));

struct customer {
    std::int32_t customer_id{};
    std::string first_name;
    std::string last_name;
    std::optional<std::string> company, address, city, state, country, postal_code, phone, fax;
    std::string email;
    std::optional<std::int32_t> support_rep_id;
};
RETORT_TABLE(customer, "customer", (customer_id, primary_key), (first_name, max_length<40>),
             (last_name, max_length<20>), (company, max_length<80>), (address, max_length<70>),
             (city, max_length<40>), (state, max_length<40>), (country, max_length<40>),
             (postal_code, max_length<10>), (phone, max_length<24>), (fax, max_length<24>),
             (email, max_length<60>),
             (support_rep_id, references<&employee::employee_id>, indexed));

struct genre {
    std::int32_t genre_id{};
    std::optional<std::string> name;
};
RETORT_TABLE(genre, "genre", (genre_id, primary_key), (name, max_length<120>));

struct media_type {
    std::int32_t media_type_id{};
    std::optional<std::string> name;
};
RETORT_TABLE(media_type, "media_type", (media_type_id, primary_key), (name, max_length<120>));

struct track {
    std::int32_t track_id{};
    std::string name;
    std::optional<std::int32_t> album_id;
    std::int32_t media_type_id{};
    std::optional<std::int32_t> genre_id;
    std::optional<std::string> composer;
    std::int32_t milliseconds{};
    std::optional<std::int32_t> bytes;
    std::string unit_price;  // numeric(10,2): exact, as numeric_out prints it
};
RETORT_TABLE(track, "track", (track_id, primary_key), (name, max_length<200>),
             (album_id, references<&album::album_id>, indexed),
             (media_type_id, references<&media_type::media_type_id>, indexed),
             (genre_id, references<&genre::genre_id>, indexed), (composer, max_length<220>),
             (milliseconds), (bytes), (unit_price, postgres_type<"numeric(10,2)">));

struct invoice {
    std::int32_t invoice_id{};
    std::int32_t customer_id{};
    retort::local_timestamp invoice_date{};
    std::optional<std::string> billing_address, billing_city, billing_state, billing_country,
        billing_postal_code;
    std::string total;
};
RETORT_TABLE(invoice, "invoice", (invoice_id, primary_key),
             (customer_id, references<&customer::customer_id>, indexed), (invoice_date),
             (billing_address, max_length<70>), (billing_city, max_length<40>),
             (billing_state, max_length<40>), (billing_country, max_length<40>),
             (billing_postal_code, max_length<10>), (total, postgres_type<"numeric(10,2)">));

struct invoice_line {
    std::int32_t invoice_line_id{};
    std::int32_t invoice_id{};
    std::int32_t track_id{};
    std::string unit_price;
    std::int32_t quantity{};
};
RETORT_TABLE(invoice_line, "invoice_line", (invoice_line_id, primary_key),
             (invoice_id, references<&invoice::invoice_id>, indexed),
             (track_id, references<&track::track_id>, indexed),
             (unit_price, postgres_type<"numeric(10,2)">), (quantity));

struct playlist {
    std::int32_t playlist_id{};
    std::optional<std::string> name;
};
RETORT_TABLE(playlist, "playlist", (playlist_id, primary_key), (name, max_length<120>));

struct playlist_track {
    std::int32_t playlist_id{};
    std::int32_t track_id{};
};
RETORT_TABLE(playlist_track, "playlist_track",
             (playlist_id, references<&playlist::playlist_id>, indexed),
             (track_id, references<&track::track_id>, indexed));
RETORT_CONSTRAINTS(playlist_track,
                   retort::composite_key<&playlist_track::playlist_id, &playlist_track::track_id>);

}  // namespace chinook_pg

template <class B, class... Ts>
using manager_of = m::schema_manager<B, Ts...>;

/// A wall-clock time, as Chinook's naive DATETIME and TIMESTAMP columns hold.
retort::local_timestamp wall(int year, unsigned month, unsigned day) {
    return retort::local_timestamp{test::at(year, month, day).time_since_epoch()};
}

/// The SQLite script as published.
std::string sqlite_script() {
    return chinook_script("Chinook_Sqlite.sql");
}

/// The PostgreSQL script from its first CREATE TABLE: the lines before it are psql's
/// (DROP DATABASE, CREATE DATABASE, \c), as the schemas' README says.
std::string postgres_script() {
    const std::string text = chinook_script("Chinook_PostgreSql.sql");
    const auto at = text.find("CREATE TABLE");
    REQUIRE(at != std::string::npos);
    return text.substr(at);
}

/// The database's DDL as SQLite keeps it: what "changes nothing" is checked against.
template <class S>
std::vector<std::tuple<std::string, std::string>> stored_ddl(S& s) {
    return s.template query<std::string, std::string>(
        "SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name");
}

}  // namespace

#define CHINOOK_SQLITE_MODELS                                                                      \
    chinook_sqlite::artist, chinook_sqlite::album, chinook_sqlite::employee,                       \
        chinook_sqlite::customer, chinook_sqlite::genre, chinook_sqlite::media_type,               \
        chinook_sqlite::track, chinook_sqlite::invoice, chinook_sqlite::invoice_line,              \
        chinook_sqlite::playlist, chinook_sqlite::playlist_track

#define CHINOOK_PG_MODELS                                                                          \
    chinook_pg::artist, chinook_pg::album, chinook_pg::employee, chinook_pg::customer,             \
        chinook_pg::genre, chinook_pg::media_type, chinook_pg::track, chinook_pg::invoice,         \
        chinook_pg::invoice_line, chinook_pg::playlist, chinook_pg::playlist_track

TEST_CASE("chinook, sqlite: its models validate empty, fix changes nothing, stamp accepts",
          "[migrate][adopt][chinook][sqlite-only]") {
    migtest::scratch f;
    const auto first = m::autogenerate<CHINOOK_SQLITE_MODELS>(f.dir, "initial")->id;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(sqlite_script());
        const auto ddl = stored_ddl(s);

        manager_of<B, CHINOOK_SQLITE_MODELS> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(false).empty());
        CHECK(manager.fix(true).empty());
        CHECK(stored_ddl(s) == ddl);

        const auto history = m::load_history(f.dir);
        m::migrator<B> mig(s, history, m::options_for_models<CHINOOK_SQLITE_MODELS>(history));
        INFO(listing(mig.compare(first)));
        CHECK(mig.compare(first).empty());
        mig.stamp(first);
        CHECK(m::read_applied(s).size() == 1);
        auto now = stored_ddl(s);
        std::erase_if(now, [](const auto& row) { return std::get<0>(row) == "retort_version"; });
        CHECK(now == ddl);
    });
}

TEST_CASE("chinook, sqlite: every row reads through the models, new rows write",
          "[migrate][adopt][chinook][sqlite-only]") {
    namespace c = chinook_sqlite;
    using retort::col;
    migtest::scratch f;
    f.db.visit([&](auto& e) {
        auto s = e.session();
        s.execute_script(sqlite_script());

        CHECK(s.template select<c::artist>().all().size() == 275);
        CHECK(s.template select<c::album>().all().size() == 347);
        CHECK(s.template select<c::customer>().all().size() == 59);
        CHECK(s.template select<c::employee>().all().size() == 8);
        CHECK(s.template select<c::genre>().all().size() == 25);
        CHECK(s.template select<c::media_type>().all().size() == 5);
        CHECK(s.template select<c::playlist>().all().size() == 18);
        CHECK(s.template select<c::playlist_track>().all().size() == 8715);
        const auto tracks = s.template select<c::track>().all();
        CHECK(tracks.size() == 3503);
        const auto lines = s.template select<c::invoice_line>().all();
        CHECK(lines.size() == 2240);
        const auto invoices = s.template select<c::invoice>().all();
        REQUIRE(invoices.size() == 412);

        // NUMERIC(10,2) holds REALs: each invoice's total is the sum of its lines, to the cent.
        std::map<std::int32_t, double> summed;
        for (const auto& l : lines) summed[l.invoice_id] += l.unit_price * l.quantity;
        for (const auto& i : invoices)
            CHECK(std::llround(summed[i.id] * 100) == std::llround(i.total * 100));

        const auto first = s.template get<c::track>(std::int32_t{1});
        REQUIRE(first);
        CHECK(first->name == "For Those About To Rock (We Salute You)");
        CHECK(first->unit_price == 0.99);
        CHECK(first->bytes == 11170334);
        const auto invoice = s.template get<c::invoice>(std::int32_t{1});
        REQUIRE(invoice);
        CHECK(invoice->invoice_date == wall(2021, 1, 1));
        CHECK(invoice->billing_address == "Theodor-Heuss-Straße 34");
        CHECK_FALSE(invoice->billing_state);
        const auto adams = s.template get<c::employee>(std::int32_t{1});
        REQUIRE(adams);
        CHECK(adams->birth_date == wall(1962, 2, 18));
        CHECK_FALSE(adams->reports_to);
        CHECK(s.template select<c::employee>().where(col<&c::employee::reports_to> == 1).count() ==
              2);

        // New rows through the models, read back as written and as SQL sees them.
        s.insert(c::artist{276, "Retort Quartet"});
        s.insert(c::album{348, "Headers Only", 276});
        const c::track t{3504, "Compile Time", 348, 1, 1, std::nullopt, 180000, 4096, 1.29};
        s.insert(t);
        const auto back = s.template get<c::track>(std::int32_t{3504});
        REQUIRE(back);
        CHECK(boost::pfr::eq(*back, t));
        CHECK(s.template query<std::string>("SELECT Name FROM Track WHERE AlbumId = 348") ==
              std::vector<std::tuple<std::string>>{{"Compile Time"}});
        // The foreign keys the DDL declared hold for rows the models write.
        CHECK_THROWS_AS(s.insert(c::album{349, "Orphan", 9999}), retort::foreign_key_violation);
    });
}

TEST_CASE("chinook, postgres: its models validate empty under the server's names, fix changes "
          "nothing, stamp accepts, every row reads",
          "[migrate][adopt][chinook][naming][postgres-only]") {
    namespace c = chinook_pg;
    using retort::col;
    const auto dir = migtest::fresh_directory();
    const auto first = m::autogenerate<CHINOOK_PG_MODELS>(dir, "initial")->id;
    // Its own schema: Chinook's table names are common ones.
    test::with_postgres_session(
        "RESET search_path; DROP SCHEMA IF EXISTS retort_chinook CASCADE", [&](auto& s) {
            s.execute_script("CREATE SCHEMA retort_chinook; SET search_path = retort_chinook");
            s.execute_script(postgres_script());
            const auto live = m::introspect(s);
            REQUIRE(live.tables.size() == 11);

            manager_of<retort::postgres, CHINOOK_PG_MODELS> manager(s);
            const auto report = manager.validate();
            INFO(report.text());
            CHECK(report.clean());
            CHECK(manager.fix(false).empty());
            CHECK(manager.fix(true).empty());
            CHECK(m::introspect(s) == live);

            const auto history = m::load_history(dir);
            m::migrator<retort::postgres> mig(s, history,
                                              m::options_for_models<CHINOOK_PG_MODELS>(history));
            INFO(listing(mig.compare(first)));
            CHECK(mig.compare(first).empty());
            mig.stamp(first);
            CHECK(m::read_applied(s).size() == 1);

            CHECK(s.template select<c::artist>().all().size() == 275);
            CHECK(s.template select<c::album>().all().size() == 347);
            CHECK(s.template select<c::employee>().all().size() == 8);
            CHECK(s.template select<c::customer>().all().size() == 59);
            CHECK(s.template select<c::genre>().all().size() == 25);
            CHECK(s.template select<c::media_type>().all().size() == 5);
            CHECK(s.template select<c::playlist>().all().size() == 18);
            CHECK(s.template select<c::playlist_track>().all().size() == 8715);
            CHECK(s.template select<c::track>().all().size() == 3503);
            const auto invoices = s.template select<c::invoice>().all();
            REQUIRE(invoices.size() == 412);
            const auto lines = s.template select<c::invoice_line>().all();
            REQUIRE(lines.size() == 2240);
            // numeric(10,2) reads exact, as the server prints it: sums in cents agree.
            const auto cents = [](const std::string& v) {
                const auto dot = v.find('.');
                REQUIRE(dot != std::string::npos);
                REQUIRE(v.size() == dot + 3);
                return std::stoll(v.substr(0, dot)) * 100 + std::stoll(v.substr(dot + 1));
            };
            std::map<std::int32_t, long long> summed;
            for (const auto& l : lines) summed[l.invoice_id] += cents(l.unit_price) * l.quantity;
            for (const auto& i : invoices) CHECK(summed[i.invoice_id] == cents(i.total));

            const auto invoice = s.template get<c::invoice>(std::int32_t{1});
            REQUIRE(invoice);
            CHECK(invoice->invoice_date == wall(2021, 1, 1));  // '2021/1/1' in the script
            CHECK(invoice->total == "1.98");
            CHECK(invoice->billing_address == "Theodor-Heuss-Straße 34");
            const auto adams = s.template get<c::employee>(std::int32_t{1});
            REQUIRE(adams);
            CHECK(adams->birth_date == wall(1962, 2, 18));

            s.insert(c::artist{276, "Retort Quartet"});
            s.insert(c::album{348, "Headers Only", 276});
            const c::track t{3504, "Compile Time", 348, 1, 1, std::nullopt, 180000, 4096, "1.29"};
            s.insert(t);
            const auto back = s.template get<c::track>(std::int32_t{3504});
            REQUIRE(back);
            CHECK(boost::pfr::eq(*back, t));
            // numeric compares as a number, whatever text the model holds.
            CHECK(s.template select<c::track>()
                      .where(col<&c::track::unit_price> == std::string{"1.290"})
                      .count() >= 1);
            CHECK_THROWS_AS(s.insert(c::album{349, "Orphan", 9999}), retort::foreign_key_violation);
        });
    std::filesystem::remove_all(dir);
}
