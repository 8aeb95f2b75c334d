// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Runs the migrate command line in the test's own process, for a scratch database and
// revisions directory, and captures what it prints.

#include "migration_models.hpp"

#include <retort/cli.hpp>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace migtest {

/// What one run of the migrate command line returned and printed.
struct cli_result {
    int exit_code = -1;
    std::string out, err;
};

/// Runs `migrate --url <url> --dir <dir> --quiet <args...>` for the models Ts, capturing its
/// standard output and error.
template <class... Ts>
cli_result run_migrate(const scratch& f, std::vector<std::string> args) {
    std::vector<std::string> all{"migrate", "--url", f.url, "--dir", f.dir.string(), "--quiet"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    std::ostringstream out, err;
    auto* const old_out = std::cout.rdbuf(out.rdbuf());
    auto* const old_err = std::cerr.rdbuf(err.rdbuf());
    cli_result r;
    r.exit_code = retort::cli::main<Ts...>(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

}  // namespace migtest
