// expect: retort: this type is not a model; declare it with RETORT_TABLE
// errors: 1
// The migrate tool's main and on_startup, given a struct without RETORT_TABLE.
#include <retort/cli.hpp>
#include <retort/migrate/startup.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct comment {
    std::int64_t id{};
    std::string body;
};
}  // namespace cf

int run(int argc, char** argv, retort::basic_session<retort::sqlite>& s) {
    [[maybe_unused]] auto report = retort::migrate::on_startup<cf::comment>(s, "migrations");
    return retort::cli::main<cf::comment>(argc, argv);
}
