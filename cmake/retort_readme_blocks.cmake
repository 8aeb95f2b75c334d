# README code-block test driver (run as `cmake -D... -P retort_readme_blocks.cmake`).
#
# Required definitions:
#   RETORT_EXTRACT       the retort_readme_extract program
#   RETORT_README        README.md
#   RETORT_FIXTURE       the header with what the blocks take as given
#   RETORT_OUTPUT_DIR    where the extracted translation units go
#   RETORT_CXX_COMPILER  compiler to run
#   RETORT_FLAGS_FILE    response file with -I/-D flags (passed as @file)
#
# Passes when every extracted file compiles (-fsyntax-only); otherwise prints the compiler's
# output, whose locations are README.md lines (the files carry #line directives).

foreach(var IN ITEMS RETORT_EXTRACT RETORT_README RETORT_FIXTURE RETORT_OUTPUT_DIR
                     RETORT_CXX_COMPILER RETORT_FLAGS_FILE)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "retort_readme_blocks.cmake: -D${var}=... is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${RETORT_OUTPUT_DIR}")
execute_process(
    COMMAND "${RETORT_EXTRACT}" "${RETORT_README}" "${RETORT_FIXTURE}" "${RETORT_OUTPUT_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE written
    ERROR_VARIABLE problem)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "extracting the README's code blocks failed:\n${problem}")
endif()
string(STRIP "${written}" written)
string(REPLACE "\n" ";" files "${written}")

set(ENV{LC_ALL} C)
set(ENV{LANG} C)
set(failed 0)
foreach(file IN LISTS files)
    execute_process(
        COMMAND "${RETORT_CXX_COMPILER}" -std=c++20 -fsyntax-only -fdiagnostics-color=never
                "@${RETORT_FLAGS_FILE}" "${file}"
        RESULT_VARIABLE result
        OUTPUT_VARIABLE output
        ERROR_VARIABLE output)
    if(result EQUAL 0)
        message(STATUS "compiles: ${file}")
    else()
        message("----- ${file} does not compile -----\n${output}")
        math(EXPR failed "${failed} + 1")
    endif()
endforeach()
if(failed GREATER 0)
    message(FATAL_ERROR "${failed} file(s) of README code blocks do not compile")
endif()
