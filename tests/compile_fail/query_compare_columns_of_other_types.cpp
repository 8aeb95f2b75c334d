// expect: comparing two columns of different types
// An integer column compared with a text column.
#include <retort/query/expr.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));
}  // namespace cf

auto condition = retort::col<&cf::user::id> == retort::col<&cf::user::email>;
