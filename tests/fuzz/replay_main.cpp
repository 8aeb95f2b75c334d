// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// A main() for a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once on each file
// named on the command line (a directory: every file under it, dot files aside). Builds with
// any compiler, so the seed corpus and the saved crash inputs run in every ordinary ctest.

#include "fuzz_support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg = argv[i];
        if (fs::is_directory(arg)) {
            for (const auto& entry : fs::recursive_directory_iterator(arg))
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.')
                    inputs.push_back(entry.path());
        } else if (fs::is_regular_file(arg)) {
            inputs.push_back(arg);
        } else {
            std::cerr << "replay: no such file or directory: " << arg << '\n';
            return 2;
        }
    }
    if (inputs.empty()) {  // a wrong path must not pass as "all inputs replayed fine"
        std::cerr << "replay: no inputs (usage: " << argv[0] << " FILE_OR_DIR...)\n";
        return 2;
    }
    std::sort(inputs.begin(), inputs.end());
    for (const auto& path : inputs) {
        std::cout << "replay: " << path.string() << std::endl;  // flushed: names a crash's input
        std::ifstream in(path, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::cout << "replay: " << inputs.size() << " inputs, no failure\n";
    return 0;
}
