// expect: an index over an index_expression needs a name of its own
// The naming conventions name an index after its columns; an expression has none. Refused.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct person {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(person, "people", (id, retort::primary_key), (email));
RETORT_CONSTRAINTS(person, retort::index<"", retort::index_expression<"lower(email)">>);
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::person>::size;
