// expect: set\(\) names a computed column
// UPDATE ... SET a column the database computes.
#include <retort/query/crud.hpp>

#include <cstdint>
#include <tuple>

namespace cf {
struct line {
    std::int64_t id{};
    std::int64_t price{};
    std::int64_t total{};
};
RETORT_TABLE(line, "lines", (id, retort::primary_key), (price),
             (total, retort::computed<"price * 2">));

struct no_exec {
    using row_type = int;
};
}  // namespace cf

auto update =
    retort::query::update_query<cf::no_exec, cf::line, std::tuple<>, retort::query::no_condition>(
        nullptr)
        .set(retort::col<&cf::line::total>, std::int64_t{1});
