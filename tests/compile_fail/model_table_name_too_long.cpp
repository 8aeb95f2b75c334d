// expect: a table name is longer than PostgreSQL's 63-byte identifier limit
// A 64-byte table name.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct user {
    std::int64_t id{};
};
RETORT_TABLE(user, "a_table_name_that_is_exactly_sixty_four_bytes_long_xxxxxxxxxxxxx",
             (id, retort::primary_key));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::user>::size;
