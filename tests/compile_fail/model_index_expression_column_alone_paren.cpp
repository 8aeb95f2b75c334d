// expect: this index_expression is a column alone
// Both databases store `(email)` as the column itself: it could never compare equal to an
// expression. Refused, naming what to write instead.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct person {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(person, "people", (id, retort::primary_key), (email));
RETORT_CONSTRAINTS(person, retort::index<"ix_people_email", retort::index_expression<"(email)">>);
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::person>::size;
