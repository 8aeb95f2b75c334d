# Compile-fail test driver (run as `cmake -D... -P retort_compile_fail.cmake`).
#
# Required definitions:
#   RETORT_CXX_COMPILER  compiler to run (GCC or Clang command line)
#   RETORT_SOURCE        the .cpp file; its first line is `// expect: <regex>`, and its
#                        second line may be `// errors: <n>`
#   RETORT_FLAGS_FILE    response file with -I/-D flags (passed as @file)
# Optional:
#   RETORT_STD_FLAG      defaults to -std=c++20
#
# Passes only if compilation fails AND the compiler output matches <regex>
# (CMake regular-expression syntax). With `// errors: <n>`, the output must also hold
# exactly n errors, and the first must match <regex>: the mistake is reported once, first,
# and not followed by a cascade. Prints the compiler output otherwise.

foreach(var IN ITEMS RETORT_CXX_COMPILER RETORT_SOURCE RETORT_FLAGS_FILE)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "retort_compile_fail.cmake: -D${var}=... is required")
    endif()
endforeach()
if(NOT DEFINED RETORT_STD_FLAG)
    set(RETORT_STD_FLAG "-std=c++20")
endif()

if(NOT EXISTS "${RETORT_SOURCE}")
    message(FATAL_ERROR "compile-fail source not found: ${RETORT_SOURCE}")
endif()
if(NOT EXISTS "${RETORT_FLAGS_FILE}")
    message(FATAL_ERROR "compile-fail flags file not found: ${RETORT_FLAGS_FILE}")
endif()

# First line of the file, without touching list separators in it.
file(READ "${RETORT_SOURCE}" content LIMIT 4096)
string(FIND "${content}" "\n" newline)
if(newline GREATER -1)
    string(SUBSTRING "${content}" 0 ${newline} first_line)
else()
    set(first_line "${content}")
endif()
string(REGEX REPLACE "\r$" "" first_line "${first_line}")

if(NOT first_line MATCHES "^//[ \t]*expect:[ \t]*(.*[^ \t])[ \t]*$")
    message(FATAL_ERROR
        "${RETORT_SOURCE}: the first line must be `// expect: <regex>`, found:\n"
        "  ${first_line}")
endif()
set(expect "${CMAKE_MATCH_1}")

set(expected_errors "")
if(newline GREATER -1)
    string(SUBSTRING "${content}" ${newline} -1 rest)
    if(rest MATCHES "^\n//[ \t]*errors:[ \t]*([0-9]+)")
        set(expected_errors "${CMAKE_MATCH_1}")
    endif()
endif()

# Untranslated diagnostics with plain ASCII quotes, whatever the locale.
set(ENV{LC_ALL} C)
set(ENV{LANG} C)
execute_process(
    COMMAND "${RETORT_CXX_COMPILER}" "${RETORT_STD_FLAG}" -fsyntax-only
            -fdiagnostics-color=never "@${RETORT_FLAGS_FILE}" "${RETORT_SOURCE}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)

if("${result}" STREQUAL "0")
    message("${output}")
    message(FATAL_ERROR
        "${RETORT_SOURCE} compiled successfully, but it is expected to fail with "
        "output matching: ${expect}")
endif()

if(NOT "${output}" MATCHES "${expect}")
    message("----- compiler output (exit status ${result}) -----\n${output}"
            "----- end of compiler output -----")
    message(FATAL_ERROR
        "${RETORT_SOURCE} failed to compile as expected, but the compiler output "
        "does not match: ${expect}")
endif()

set(matched "${CMAKE_MATCH_0}")

if(NOT expected_errors STREQUAL "")
    # One diagnostic per `: error: ` (GCC and Clang both write `<file>:<line>:<col>: error:
    # ...`; `fatal error:` counts too). Matched as fixed tokens: a whole line could hold a `;`
    # or an unmatched `[`, which split or join CMake list items.
    string(REGEX MATCHALL ": (fatal )?error: " errors "${output}")
    list(LENGTH errors error_count)
    string(REGEX MATCH "[^\n]*: (fatal )?error: [^\n]*" first_error "${output}")
    if(NOT error_count EQUAL expected_errors OR NOT "${first_error}" MATCHES "${expect}")
        message("----- compiler output (exit status ${result}) -----\n${output}"
                "----- end of compiler output -----")
        message(FATAL_ERROR
            "${RETORT_SOURCE}: expected ${expected_errors} error(s), the first matching "
            "`${expect}`; found ${error_count}, the first being:\n  ${first_error}")
    endif()
endif()

message(STATUS "compilation failed as expected; matched `${expect}`: ${matched}")
