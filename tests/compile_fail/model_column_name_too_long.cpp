// expect: a column name is longer than PostgreSQL's 63-byte identifier limit
// A 64-byte column name given with named<>.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key),
             (email,
              retort::named<"a_column_name_that_is_exactly_sixty_four_bytes_long_xxxxxxxxxxxx">));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::user>::size;
