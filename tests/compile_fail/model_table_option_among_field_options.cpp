// expect: describe the table: they go in RETORT_CONSTRAINTS
// key_name among a field's options used to be accepted and ignored: the key kept the
// convention's name. Refused, saying where it goes.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct album {
    std::int32_t id{};
    std::string title;
};
RETORT_TABLE(album, "Album", (id, retort::primary_key, retort::key_name<"PK_Album">), (title));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::album>::size;
