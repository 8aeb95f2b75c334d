// expect: max_length applies to text columns only
// max_length on an integer column.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct item {
    std::int64_t id{};
    std::int32_t quantity{};
};
RETORT_TABLE(item, "items", (id, retort::primary_key), (quantity, retort::max_length<10>));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::item>::size;
