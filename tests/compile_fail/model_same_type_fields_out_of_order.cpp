// expect: RETORT_TABLE lists the struct's fields out of declaration order
// Two fields of the SAME type swapped: the types match, the offsets do not increase.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct point {
    std::int64_t id{};
    std::int64_t x{};
    std::int64_t y{};
};
RETORT_TABLE(point, "points", (id, retort::primary_key), (y), (x));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::point>::size;
