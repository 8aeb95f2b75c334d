// expect: the struct given to into<S>\(\) does not fit the selected columns
// into<S>() with fields in the wrong order for the selected columns.
#include <retort/query/select.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));

struct no_exec {
    using row_type = int;
};

struct id_and_email {
    std::string email;
    std::int64_t id;
};
}  // namespace cf

auto query = retort::query::select_columns<cf::user, cf::no_exec>(
                 nullptr, retort::col<&cf::user::id>, retort::col<&cf::user::email>)
                 .into<cf::id_and_email>();
