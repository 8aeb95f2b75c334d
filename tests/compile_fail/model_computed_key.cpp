// expect: a computed column is no key and has no server default
// A computed column that is also the primary key.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct line {
    std::int64_t price{};
    std::int64_t id{};
};
RETORT_TABLE(line, "lines", (price), (id, retort::primary_key, retort::computed<"price * 2">));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::line>::size;
