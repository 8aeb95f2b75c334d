# Runs one example as a test (`cmake -D... -P retort_run_example.cmake`).
#
#   RETORT_EXAMPLE   path of the example executable
#   RETORT_BACKEND   sqlite | postgres
#   RETORT_WORK_DIR  scratch working directory; wiped first
#
# sqlite:   DATABASE_URL is removed from the environment, so the example
#           uses its default SQLite file in the working directory.
# postgres: DATABASE_URL is set to $RETORT_TEST_POSTGRES_URL; when that is
#           not set, prints RETORT_TEST_SKIPPED (ctest reports a skip).

foreach(var IN ITEMS RETORT_EXAMPLE RETORT_BACKEND RETORT_WORK_DIR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "retort_run_example.cmake: -D${var}=... is required")
    endif()
endforeach()

if(RETORT_BACKEND STREQUAL "postgres")
    if("$ENV{RETORT_TEST_POSTGRES_URL}" STREQUAL "")
        message("RETORT_TEST_SKIPPED: RETORT_TEST_POSTGRES_URL is not set "
                "(run ctest under scripts/with-postgres.sh)")
        return()
    endif()
    set(ENV{DATABASE_URL} "$ENV{RETORT_TEST_POSTGRES_URL}")
elseif(RETORT_BACKEND STREQUAL "sqlite")
    unset(ENV{DATABASE_URL})
else()
    message(FATAL_ERROR "unknown RETORT_BACKEND: ${RETORT_BACKEND}")
endif()

file(REMOVE_RECURSE "${RETORT_WORK_DIR}")
file(MAKE_DIRECTORY "${RETORT_WORK_DIR}")

execute_process(COMMAND "${RETORT_EXAMPLE}"
    WORKING_DIRECTORY "${RETORT_WORK_DIR}"
    RESULT_VARIABLE result)
if(NOT "${result}" STREQUAL "0")
    message(FATAL_ERROR "${RETORT_EXAMPLE} exited with status ${result} (${RETORT_BACKEND})")
endif()
