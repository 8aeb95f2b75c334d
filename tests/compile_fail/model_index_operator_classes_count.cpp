// expect: an index lists one operator class per column
// Two operator classes for a one-column index: which column was meant? Refused.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct host {
    std::int64_t id{};
    std::string address;
};
RETORT_TABLE(host, "hosts", (id, retort::primary_key), (address));
RETORT_CONSTRAINTS(
    host,
    retort::index<"ix_hosts_address", &host::address>.with_operator_classes<"inet_ops,text_ops">());
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::host>::size;
