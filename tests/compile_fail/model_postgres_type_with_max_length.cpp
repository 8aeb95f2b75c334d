// expect: a column with a postgres_type takes no max_length
// Two lengths could disagree (varchar(20) in the type, 30 in the option): the type says it.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct item {
    std::int64_t id{};
    std::string code;
};
RETORT_TABLE(item, "items", (id, retort::primary_key),
             (code, retort::postgres_type<"varchar(20)">, retort::max_length<30>));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::item>::size;
