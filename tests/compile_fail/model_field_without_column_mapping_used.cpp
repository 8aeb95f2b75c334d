// expect: this field's type has no column mapping
// errors: 1
// A std::map field, and the model used as an application would use it: the mapping error is
// the only one (clang used to follow it with errors from every use of the model).
#include <retort/retort.hpp>

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

void use(retort::engine& db) {
    db.visit([](auto& engine) {
        engine.template create_all<cf::settings>();
        auto s = engine.session();
        cf::settings row{};
        s.insert(row);
        [[maybe_unused]] auto all = s.template select<cf::settings>().all();
        [[maybe_unused]] auto one = s.template get<cf::settings>(1);
    });
}
