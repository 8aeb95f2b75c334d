// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// Writes every ```cpp block of README.md into translation units that compile it in the context
// the README states for it, in the HTML comment on the line before the block:
//
//   <!-- compiled as: program -->       the block is a whole program: a file of its own
//   <!-- compiled as: declarations -->  namespace scope (a namespace of its own), after the
//                                       fixture's models (readme_fixture::user, ...)
//   <!-- compiled as: statements -->    a function body with the fixture's `s`, `engine` and
//                                       values in scope; its #include lines go to the top
//
// Usage: retort_readme_extract <README.md> <fixture header> <output directory>
// Prints the files written, one per line. A ```cpp block without a context is an error that
// names its line: every block the README shows is compiled.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct block {
    std::size_t line = 0;  // of the opening fence, from 1
    std::string context;
    std::vector<std::string> lines;
};

/// The label of a fence (```cpp -> "cpp"), spaces before it allowed; "" when the line is none.
std::string trimmed_fence(const std::string& line) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos || line.compare(start, 3, "```") != 0) return {};
    const std::string label = line.substr(start + 3);
    return label.empty() ? std::string{"```"} : label;
}

bool is_cpp_label(const std::string& label) {
    return label.rfind("cpp", 0) == 0 || label.rfind("c++", 0) == 0 || label.rfind("C++", 0) == 0 ||
           label.rfind("cxx", 0) == 0;
}

std::string context_of(const std::string& line) {
    const std::string open = "<!-- compiled as: ";
    const std::string close = " -->";
    if (line.rfind(open, 0) != 0 || line.size() < open.size() + close.size() ||
        line.compare(line.size() - close.size(), close.size(), close) != 0)
        return {};
    return line.substr(open.size(), line.size() - open.size() - close.size());
}

std::vector<block> read_blocks(const std::filesystem::path& readme) {
    std::ifstream in(readme);
    if (!in) throw std::runtime_error("cannot read " + readme.string());
    std::vector<block> blocks;
    std::string line, previous;
    std::size_t number = 0;
    bool inside = false;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string fence = trimmed_fence(line);
        if (inside) {
            if (line == "```")
                inside = false;
            else
                blocks.back().lines.push_back(line);
        } else if (is_cpp_label(fence) && line != "```cpp") {
            throw std::runtime_error(readme.string() + ":" + std::to_string(number) +
                                     ": write a C++ block's fence as ```cpp, alone at the start of "
                                     "the line, so that it is compiled (found: " +
                                     line + ")");
        } else if (line == "```cpp") {
            const std::string context = context_of(previous);
            if (context != "program" && context != "declarations" && context != "statements")
                throw std::runtime_error(
                    readme.string() + ":" + std::to_string(number) +
                    ": a ```cpp block needs `<!-- compiled as: program|declarations|statements "
                    "-->` on the line before it (found: " +
                    previous + ")");
            blocks.push_back({number, context, {}});
            inside = true;
        }
        previous = line;
    }
    if (inside) throw std::runtime_error(readme.string() + ": the last ```cpp block is not closed");
    return blocks;
}

bool is_include(const std::string& line) {
    return line.rfind("#include", 0) == 0;
}

void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
    std::cout << path.string() << "\n";
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 4) {
        std::cerr << "usage: retort_readme_extract <README.md> <fixture header> <output dir>\n";
        return 2;
    }
    const std::filesystem::path readme = argv[1], fixture = argv[2], out = argv[3];
    std::filesystem::create_directories(out);
    const auto blocks = read_blocks(readme);

    std::ostringstream includes, body;
    for (const auto& b : blocks) {
        const std::string origin = "#line " + std::to_string(b.line + 1) + " \"README.md\"\n";
        if (b.context == "program") {
            std::string text = origin;
            for (const auto& l : b.lines) text += l + "\n";
            write(out / ("readme_program_line_" + std::to_string(b.line) + ".cpp"), text);
            continue;
        }
        const std::string name = "readme_line_" + std::to_string(b.line);
        if (b.context == "declarations") {
            body << "namespace " << name << " {\n" << origin;
            for (const auto& l : b.lines) body << l << "\n";
            body << "}  // namespace " << name << "\n\n";
        } else {  // statements: a block scope of its own, so that it may declare its own `s`
            body << "namespace " << name << " {\nint run("
                 << "retort::sqlite_session& s, "
                 << "retort::sqlite_engine& engine) {\n    using namespace readme_fixture;\n"
                 << "    readme_fixture::values v;\n    auto& [obj, a, b, u, vec, id, ids, from, "
                 << "to] = v;\n    {\n"
                 << origin;
            for (const auto& l : b.lines) {  // an empty line keeps #line's count true
                if (is_include(l)) includes << l << "\n";
                body << (is_include(l) ? "" : l) << "\n";
            }
            body << "    }\n    return 0;\n}\n}  // namespace " << name << "\n\n";
        }
    }
    write(out / "readme_blocks.cpp",
          includes.str() + "#include \"" + fixture.string() + "\"\n\n" + body.str());
    return 0;
} catch (const std::exception& e) {
    std::cerr << "retort_readme_extract: " << e.what() << "\n";
    return 1;
}
