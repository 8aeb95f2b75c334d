// expect: a column takes one of max_length and checked_max_length, once
// Two length options on one column: which N, and is it checked? Refused, not guessed.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct item {
    std::int64_t id{};
    std::string code;
};
RETORT_TABLE(item, "items", (id, retort::primary_key),
             (code, retort::max_length<10>, retort::checked_max_length<12>));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::item>::size;
