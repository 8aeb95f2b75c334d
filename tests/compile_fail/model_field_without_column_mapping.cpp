// expect: this field's type has no column mapping
// A std::map field: no built-in column type, no value_traits.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace cf {
struct settings {
    std::int64_t id{};
    std::map<std::string, std::string> values;
};
RETORT_TABLE(settings, "settings", (id, retort::primary_key), (values));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::settings>::size;
