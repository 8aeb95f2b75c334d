// The Catch2 runner's main(). Compiled once (OBJECT library
// retort_catch_main) and linked into every test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
