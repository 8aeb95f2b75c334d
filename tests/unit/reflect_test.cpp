// Unit tests: model reflection (retort::model<T>), RETORT_ENUM, the column type mapping and the
// value conversions of query/values.hpp (enum text, uint64 range).

#include "../support/models.hpp"

#include <retort/query/values.hpp>
#include <retort/reflect/model.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflect_test {

// A composite key listed in the opposite order of the fields, a renamed column and a
// renamed_from hint: the parts of model<T> the shared models do not exercise.
struct grant {
    std::string resource;
    std::int64_t principal{};
    std::string level;
};
RETORT_TABLE(grant, "grants", (resource), (principal),
             (level, retort::named<"access_level">, retort::renamed_from<"lvl">));
RETORT_CONSTRAINTS(grant, retort::composite_key<&grant::principal, &grant::resource>);

// An integer key that is not generated.
struct counter {
    std::int32_t id{};
    std::int64_t value{};
};
RETORT_TABLE(counter, "counters", (id, retort::primary_key), (value, retort::server_default<0>));

struct not_a_model {
    int x{};
};

enum class color { red, green, blue };
RETORT_ENUM(color, red, green, blue);

enum class plain_enum { a, b };

}  // namespace reflect_test

using retort::model;

// ---- model<T> metadata, at compile time ---------------------------------------------------

// users
static_assert(model<app::user>::table_name == "users");
static_assert(model<app::user>::size == 5);
static_assert(model<app::user>::field<0>::name == "id");
static_assert(model<app::user>::field<1>::name == "email");
static_assert(model<app::user>::field<2>::name == "display_name");
static_assert(model<app::user>::field<3>::name == "approved");
static_assert(model<app::user>::field<4>::name == "created_at");
static_assert(model<app::user>::field<1>::max_length == 255);
static_assert(model<app::user>::field<0>::max_length == 0);
static_assert(model<app::user>::field<2>::max_length == 0);
static_assert(model<app::user>::field<0>::is_primary_key);
static_assert(model<app::user>::field<0>::is_autoincrement);
static_assert(!model<app::user>::field<1>::is_primary_key);
static_assert(model<app::user>::field<1>::is_unique);
static_assert(!model<app::user>::field<1>::is_indexed);
static_assert(model<app::user>::field<4>::is_indexed);
static_assert(model<app::user>::field<2>::nullable);
static_assert(!model<app::user>::field<1>::nullable);
static_assert(model<app::user>::field<3>::has_default);
static_assert(model<app::user>::field<4>::has_default);
static_assert(!model<app::user>::field<1>::has_default);
static_assert(model<app::user>::primary_key.size() == 1);
static_assert(model<app::user>::primary_key[0] == 0);
static_assert(model<app::user>::has_generated_key);
static_assert(model<app::user>::index_of<&app::user::id> == 0);
static_assert(model<app::user>::index_of<&app::user::email> == 1);
static_assert(model<app::user>::index_of<&app::user::created_at> == 4);
// A member of another model is not in the list: index_of answers size.
static_assert(model<app::user>::index_of<&app::job::user_id> == model<app::user>::size);
static_assert(std::is_same_v<model<app::user>::field<1>::value_type, std::string>);
static_assert(std::is_same_v<model<app::user>::field<2>::value_type, std::optional<std::string>>);
static_assert(std::is_same_v<model<app::user>::field<0>::model_type, app::user>);
static_assert(model<app::user>::field<1>::member == &app::user::email);

// dgs_jobs: a text key (not generated), a foreign key, a text default on an enum.
static_assert(model<app::job>::table_name == "dgs_jobs");
static_assert(model<app::job>::size == 10);
static_assert(model<app::job>::field<0>::name == "job_id");
static_assert(model<app::job>::field<0>::max_length == 64);
static_assert(model<app::job>::primary_key.size() == 1);
static_assert(model<app::job>::primary_key[0] == 0);
static_assert(!model<app::job>::has_generated_key);
static_assert(model<app::job>::field<1>::has_references);
static_assert(!model<app::job>::field<2>::has_references);
static_assert(model<app::job>::field<3>::has_default);
static_assert(model<app::job>::field<5>::nullable);
static_assert(model<app::job>::index_of<&app::job::progress> == 8);

// email_delivery_logs: named<> changes the column name, not the field name.
static_assert(model<app::email_delivery_log>::table_name == "email_delivery_logs");
static_assert(model<app::email_delivery_log>::field<3>::field_name == "template_name");
static_assert(model<app::email_delivery_log>::field<3>::name == "template");
static_assert(model<app::email_delivery_log>::field<2>::field_name == "recipient");
static_assert(model<app::email_delivery_log>::field<2>::name == "recipient");
static_assert(model<app::email_delivery_log>::index_of<&app::email_delivery_log::template_name> ==
              3);
static_assert(model<app::email_delivery_log>::has_generated_key);

// memberships: a composite key in RETORT_CONSTRAINTS.
static_assert(model<app::membership>::table_name == "memberships");
static_assert(model<app::membership>::size == 3);
static_assert(model<app::membership>::primary_key.size() == 2);
static_assert(model<app::membership>::primary_key[0] == 0);
static_assert(model<app::membership>::primary_key[1] == 1);
static_assert(!model<app::membership>::has_generated_key);
static_assert(!model<app::membership>::field<0>::is_primary_key);  // the key is table-level

// A composite key keeps the order it was declared in, not the fields' order.
static_assert(model<reflect_test::grant>::primary_key.size() == 2);
static_assert(model<reflect_test::grant>::primary_key[0] == 1);
static_assert(model<reflect_test::grant>::primary_key[1] == 0);
static_assert(model<reflect_test::grant>::field<2>::name == "access_level");
static_assert(model<reflect_test::grant>::field<2>::field_name == "level");
static_assert(model<reflect_test::grant>::field<2>::renamed_from == "lvl");
static_assert(model<reflect_test::grant>::field<1>::renamed_from.empty());

// An integer key without autoincrement is not generated.
static_assert(!model<reflect_test::counter>::has_generated_key);
static_assert(model<reflect_test::counter>::primary_key[0] == 0);

// all_types
static_assert(model<app::all_types>::size == 23);
static_assert(model<app::all_types>::table_name == "all_types");

// The model_type concept.
static_assert(retort::model_type<app::user>);
static_assert(retort::model_type<app::membership>);
static_assert(!retort::model_type<reflect_test::not_a_model>);
static_assert(!retort::model_type<int>);

// ---- column types ---------------------------------------------------------------------------

using retort::logical_type;
using retort::logical_type_of;
static_assert(logical_type_of<bool>() == logical_type::boolean);
static_assert(logical_type_of<std::int8_t>() == logical_type::int16);
static_assert(logical_type_of<std::uint8_t>() == logical_type::int16);
static_assert(logical_type_of<std::int16_t>() == logical_type::int16);
static_assert(logical_type_of<std::uint16_t>() == logical_type::int32);
static_assert(logical_type_of<std::int32_t>() == logical_type::int32);
static_assert(logical_type_of<std::uint32_t>() == logical_type::int64);
static_assert(logical_type_of<std::int64_t>() == logical_type::int64);
static_assert(logical_type_of<std::uint64_t>() == logical_type::int64);
static_assert(logical_type_of<float>() == logical_type::float32);
static_assert(logical_type_of<double>() == logical_type::float64);
static_assert(logical_type_of<std::string>() == logical_type::text);
static_assert(logical_type_of<retort::blob>() == logical_type::blob);
static_assert(logical_type_of<retort::timestamp>() == logical_type::timestamp);
static_assert(logical_type_of<retort::date>() == logical_type::date);
static_assert(logical_type_of<retort::json>() == logical_type::json);
static_assert(logical_type_of<std::vector<std::string>>() == logical_type::text_array);
static_assert(logical_type_of<std::vector<std::int64_t>>() == logical_type::int_array);
static_assert(logical_type_of<app::job_status>() == logical_type::enumeration);
static_assert(logical_type_of<std::optional<std::int32_t>>() == logical_type::int32);
static_assert(logical_type_of<std::optional<app::job_status>>() == logical_type::enumeration);
static_assert(logical_type_of<std::chrono::sys_seconds>() == logical_type::timestamp);
static_assert(retort::column_value<std::string>);
static_assert(retort::column_value<app::job_status>);
static_assert(!retort::column_value<reflect_test::plain_enum>);
static_assert(!retort::column_value<reflect_test::not_a_model>);
static_assert(retort::to_string(logical_type::int_array) == "int_array");
static_assert(retort::to_string(logical_type::enumeration) == "enumeration");
static_assert(retort::to_string(logical_type::boolean) == "boolean");

// ---- RETORT_ENUM ----------------------------------------------------------------------------

static_assert(retort::named_enum<app::job_status>);
static_assert(retort::named_enum<reflect_test::color>);
static_assert(!retort::named_enum<reflect_test::plain_enum>);
static_assert(retort::enum_names<app::job_status>().size() == 4);
static_assert(retort::enum_names<app::job_status>()[0].first == app::job_status::queued);
static_assert(retort::enum_names<app::job_status>()[0].second == "queued");
static_assert(retort::enum_names<app::job_status>()[3].first == app::job_status::failed);
static_assert(retort::enum_names<app::job_status>()[3].second == "failed");
static_assert(retort::enum_names<reflect_test::color>()[1].second == "green");

TEST_CASE("reflect: model metadata at run time", "[unit][reflect]") {
    using M = model<app::user>;
    std::vector<std::string> names;
    M::for_each_field([&](auto i) { names.emplace_back(M::field<i.value>::name); });
    REQUIRE(names ==
            std::vector<std::string>{"id", "email", "display_name", "approved", "created_at"});

    std::vector<std::string> log_names;
    using L = model<app::email_delivery_log>;
    L::for_each_field([&](auto i) { log_names.emplace_back(L::field<i.value>::name); });
    REQUIRE(log_names == std::vector<std::string>{"id", "user_id", "recipient", "template",
                                                  "status", "error", "sent_at"});

    std::size_t count = 0;
    model<app::all_types>::for_each_field([&](auto) { ++count; });
    REQUIRE(count == 23);
}

TEST_CASE("reflect: field get() reads and writes the member", "[unit][reflect]") {
    app::user u;
    model<app::user>::field<1>::get(u) = "a@b.c";
    REQUIRE(u.email == "a@b.c");
    u.id = 42;
    const app::user& cu = u;
    REQUIRE(model<app::user>::field<0>::get(cu) == 42);

    app::email_delivery_log log;
    model<app::email_delivery_log>::field<3>::get(log) = "welcome";
    REQUIRE(log.template_name == "welcome");
}

TEST_CASE("reflect: RETORT_ENUM names at run time", "[unit][reflect]") {
    const auto names = retort::enum_names<app::job_status>();
    REQUIRE(names.size() == 4);
    CHECK(names[0].second == "queued");
    CHECK(names[1].second == "running");
    CHECK(names[2].second == "done");
    CHECK(names[3].second == "failed");
    CHECK(names[1].first == app::job_status::running);
    CHECK(names[2].first == app::job_status::done);
}

// ---- query/values.hpp -----------------------------------------------------------------------

TEST_CASE("values: enum_to_text and enum_from_text round trip", "[unit][values]") {
    using retort::query::enum_from_text;
    using retort::query::enum_to_text;
    for (auto s : {app::job_status::queued, app::job_status::running, app::job_status::done,
                   app::job_status::failed}) {
        const std::string_view text = enum_to_text(s);
        CHECK(enum_from_text<app::job_status>(text) == s);
    }
    CHECK(enum_to_text(app::job_status::running) == "running");
    CHECK(enum_from_text<app::job_status>("failed") == app::job_status::failed);
    CHECK(enum_to_text(reflect_test::color::blue) == "blue");
    CHECK(enum_from_text<reflect_test::color>("red") == reflect_test::color::red);
}

TEST_CASE("values: enum_from_text refuses unknown text", "[unit][values]") {
    using retort::query::enum_from_text;
    REQUIRE_THROWS_AS(enum_from_text<app::job_status>("paused"), retort::programming_error);
    REQUIRE_THROWS_WITH(enum_from_text<app::job_status>("paused"), Catch::Contains("'paused'"));
    // Matching is exact: no case folding, no trimming, no prefix match.
    REQUIRE_THROWS_AS(enum_from_text<app::job_status>("Queued"), retort::programming_error);
    REQUIRE_THROWS_AS(enum_from_text<app::job_status>("queued "), retort::programming_error);
    REQUIRE_THROWS_AS(enum_from_text<app::job_status>("queue"), retort::programming_error);
    REQUIRE_THROWS_AS(enum_from_text<app::job_status>(""), retort::programming_error);
    // programming_error is a retort::error.
    REQUIRE_THROWS_AS(enum_from_text<app::job_status>("x"), retort::error);
}

TEST_CASE("values: enum_to_text refuses a value RETORT_ENUM did not list", "[unit][values]") {
    const auto bogus = static_cast<app::job_status>(42);
    REQUIRE_THROWS_AS(retort::query::enum_to_text(bogus), retort::programming_error);
    REQUIRE_THROWS_WITH(retort::query::enum_to_text(bogus), Catch::Contains("42"));
}

TEST_CASE("values: uint64 is stored as int64 and refused above INT64_MAX", "[unit][values]") {
    using traits = retort::value_traits<std::uint64_t>;
    static_assert(std::is_same_v<traits::storage_type, std::int64_t>);
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    CHECK(traits::to_storage(0) == 0);
    CHECK(traits::to_storage(12345) == 12345);
    CHECK(traits::to_storage(max) == std::numeric_limits<std::int64_t>::max());
    CHECK(traits::from_storage(traits::to_storage(max)) == max);
    REQUIRE_THROWS_AS(traits::to_storage(max + 1), retort::programming_error);
    REQUIRE_THROWS_AS(traits::to_storage(std::numeric_limits<std::uint64_t>::max()),
                      retort::programming_error);
    REQUIRE_THROWS_WITH(traits::to_storage(max + 1), Catch::Contains("INT64_MAX"));
}

TEST_CASE("values: the narrow and unsigned integers widen losslessly", "[unit][values]") {
    static_assert(std::is_same_v<retort::value_traits<std::int8_t>::storage_type, std::int16_t>);
    static_assert(std::is_same_v<retort::value_traits<std::uint8_t>::storage_type, std::int16_t>);
    static_assert(std::is_same_v<retort::value_traits<std::uint16_t>::storage_type, std::int32_t>);
    static_assert(std::is_same_v<retort::value_traits<std::uint32_t>::storage_type, std::int64_t>);
    CHECK(retort::value_traits<std::uint8_t>::to_storage(255) == 255);
    CHECK(retort::value_traits<std::int8_t>::to_storage(-128) == -128);
    CHECK(retort::value_traits<std::uint16_t>::to_storage(65535) == 65535);
    CHECK(retort::value_traits<std::uint32_t>::to_storage(4294967295u) == 4294967295LL);
    CHECK(retort::value_traits<std::uint32_t>::from_storage(4294967295LL) == 4294967295u);
    CHECK(retort::value_traits<std::uint8_t>::from_storage(200) == 200);
}

TEST_CASE("values: other sys_time precisions convert to microseconds", "[unit][values]") {
    using namespace std::chrono;
    using traits = retort::value_traits<sys_time<nanoseconds>>;
    const sys_time<nanoseconds> t{nanoseconds{1'700'000'000'123'456'789LL}};
    const retort::timestamp stored = traits::to_storage(t);
    CHECK(stored.time_since_epoch().count() == 1'700'000'000'123'456LL);
    // Before the epoch the conversion truncates toward the past.
    const sys_time<nanoseconds> before{nanoseconds{-1'500}};
    CHECK(traits::to_storage(before).time_since_epoch().count() == -2);
    using sec = retort::value_traits<sys_seconds>;
    CHECK(
        sec::from_storage(retort::timestamp{microseconds{5'999'999}}).time_since_epoch().count() ==
        5);
}
