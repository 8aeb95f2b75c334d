# Runs a migrate tool built by retort_add_migrate_tool() through its commands, as a user would,
# checking each exit code and what it prints (`cmake -D... -P retort_cli_test.cmake`).
#
#   RETORT_MIGRATE   path of the migrate executable (its migrations are compiled in)
#   RETORT_BACKEND   sqlite | postgres
#   RETORT_WORK_DIR  scratch working directory; wiped first
#
# sqlite: DATABASE_URL is a file in the working directory. postgres: $RETORT_TEST_POSTGRES_URL,
# or RETORT_TEST_SKIPPED when it is not set. The database is left at base afterwards.

foreach(var IN ITEMS RETORT_MIGRATE RETORT_BACKEND RETORT_WORK_DIR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "retort_cli_test.cmake: -D${var}=... is required")
    endif()
endforeach()

if(RETORT_BACKEND STREQUAL "postgres")
    if("$ENV{RETORT_TEST_POSTGRES_URL}" STREQUAL "")
        message("RETORT_TEST_SKIPPED: RETORT_TEST_POSTGRES_URL is not set")
        return()
    endif()
    set(ENV{DATABASE_URL} "$ENV{RETORT_TEST_POSTGRES_URL}")
else()
    set(ENV{DATABASE_URL} "sqlite:///cli.db")
endif()
unset(ENV{RETORT_MIGRATIONS_DIR})
unset(ENV{ENABLE_AUTO_MIGRATION})
file(REMOVE_RECURSE "${RETORT_WORK_DIR}")
file(MAKE_DIRECTORY "${RETORT_WORK_DIR}")

# expect(<exit code> <regex the output must match> <args...>)
function(expect code pattern)
    execute_process(COMMAND "${RETORT_MIGRATE}" ${ARGN}
        WORKING_DIRECTORY "${RETORT_WORK_DIR}"
        RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    list(JOIN ARGN " " command_line)
    if(NOT "${result}" STREQUAL "${code}")
        message(FATAL_ERROR "migrate ${command_line}: exit ${result}, expected ${code}\n${out}${err}")
    endif()
    if(NOT "${out}${err}" MATCHES "${pattern}")
        message(FATAL_ERROR "migrate ${command_line}: output does not match '${pattern}':\n${out}${err}")
    endif()
    message(STATUS "migrate ${command_line}: exit ${result} as expected")
endfunction()

expect(0 "0001_initial_schema" history)
expect(0 "BEGIN" upgrade head --sql)
expect(0 "base \\(no revision applied\\)" current)       # --sql ran nothing
expect(0 "applied 0001_initial_schema" upgrade)
expect(0 "\\[1/[0-9]+\\] DROP TABLE" downgrade base)       # progress on stderr
expect(0 "applied 0001_initial_schema" upgrade head)
expect(0 "0001_initial_schema \\(head\\)\nthe database matches these models exactly" current)
expect(0 "\\[x\\] 0001_initial_schema" history)
expect(0 "schema matches the models" validate)
expect(0 "\"clean\": true" validate --json)
expect(0 "schema matches the models\nnot compared \\(--ignore-table\\): dgs_lessons" validate --ignore-table dgs_lessons)
expect(0 "schema matches the models" validate --ignore-names)
expect(0 "\"name_only_differences\": 0" validate --json --ignore-names)
expect(0 "the models match the newest revision" check)
expect(0 "nothing to do" upgrade head)
expect(0 "stamped 0001_initial_schema" stamp head)        # matches: no --force needed
# refusals: usage errors exit 2 and change nothing
expect(2 "stamp does not take --sql" stamp base --sql)
expect(2 "unknown option --frobnicate" upgrade --frobnicate)
expect(2 "is not a target" upgrade +99999999999999999999)
expect(2 "no revision 'nope'" upgrade nope)
expect(2 "downgrade needs a target" downgrade)
expect(2 "add --autogenerate" revision -m x --ignore-table dgs_lessons)
expect(2 "no migrations directory" --dir "${RETORT_WORK_DIR}/missing" upgrade)
expect(2 "unknown command" frobnicate)
expect(2 "upgrade does not take --ignore-names" upgrade --ignore-names)
expect(2 "refusing to stamp" stamp base)                   # tables of the history are there
expect(0 "0001_initial_schema \\(head\\)" current)
expect(0 "undone 0001_initial_schema" downgrade -1)
expect(0 "base \\(no revision applied\\)" current)
