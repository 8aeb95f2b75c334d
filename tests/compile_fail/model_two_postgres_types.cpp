// expect: a column takes one postgres_type
// inet or cidr? A column has one type; two are refused, not the last one taken.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct host {
    std::int64_t id{};
    std::string address;
};
RETORT_TABLE(host, "hosts", (id, retort::primary_key),
             (address, retort::postgres_type<"inet">, retort::postgres_type<"cidr">));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::host>::size;
