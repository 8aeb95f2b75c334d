// expect: assigning a value of a different type to a column
// UPDATE ... SET an integer column to text.
#include <retort/query/crud.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));

struct no_exec {
    using row_type = int;
};
}  // namespace cf

auto update =
    retort::query::update_query<cf::no_exec, cf::user, std::tuple<>, retort::query::no_condition>(
        nullptr)
        .set(retort::col<&cf::user::id>, "text");
