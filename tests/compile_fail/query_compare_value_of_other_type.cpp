// expect: comparing a column with a value of a different type
// An integer column compared with text.
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

auto condition = retort::col<&cf::user::id> == "text";
