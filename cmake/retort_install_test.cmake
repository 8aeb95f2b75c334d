# Packaging test driver (run as `cmake -D... -P retort_install_test.cmake`).
#
#   RETORT_MODE           find_package | add_subdirectory
#   RETORT_SOURCE_DIR     retort source tree
#   RETORT_BUILD_DIR      configured retort build tree (find_package mode)
#   RETORT_CONSUMER_DIR   the consumer project (tests/install/consumer)
#   RETORT_WORK_DIR       scratch directory; wiped first
#   RETORT_GENERATOR      CMake generator for the consumer
#   RETORT_CXX_COMPILER   C++ compiler for the consumer
#   RETORT_CONFIG         build configuration (may be empty)
#
# find_package mode: `cmake --install` RETORT_BUILD_DIR into
# RETORT_WORK_DIR/prefix, check the installed files, then configure, build
# and run the consumer with CMAKE_PREFIX_PATH pointing at that prefix.
# add_subdirectory mode: configure, build and run the consumer with
# RETORT_SOURCE_DIR set, so that it pulls retort in with add_subdirectory.

foreach(var IN ITEMS RETORT_MODE RETORT_SOURCE_DIR RETORT_CONSUMER_DIR RETORT_WORK_DIR
                     RETORT_GENERATOR RETORT_CXX_COMPILER)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "retort_install_test.cmake: -D${var}=... is required")
    endif()
endforeach()
if("${RETORT_CONFIG}" STREQUAL "")
    set(RETORT_CONFIG Release)
endif()

function(run_step what)
    list(JOIN ARGN " " command_line)
    message(STATUS "${what}: ${command_line}")
    execute_process(COMMAND ${ARGN}
        RESULT_VARIABLE result
        OUTPUT_VARIABLE output
        ERROR_VARIABLE output)
    if(NOT "${result}" STREQUAL "0")
        message("${output}")
        message(FATAL_ERROR "${what} failed (exit status ${result})")
    endif()
endfunction()

file(REMOVE_RECURSE "${RETORT_WORK_DIR}")
file(MAKE_DIRECTORY "${RETORT_WORK_DIR}")
set(prefix "${RETORT_WORK_DIR}/prefix")
set(consumer_build "${RETORT_WORK_DIR}/consumer-build")

set(consumer_args
    -S "${RETORT_CONSUMER_DIR}"
    -B "${consumer_build}"
    -G "${RETORT_GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${RETORT_CXX_COMPILER}"
    "-DCMAKE_BUILD_TYPE=${RETORT_CONFIG}")

if(RETORT_MODE STREQUAL "find_package")
    if("${RETORT_BUILD_DIR}" STREQUAL "")
        message(FATAL_ERROR "find_package mode needs -DRETORT_BUILD_DIR=...")
    endif()
    run_step("install" "${CMAKE_COMMAND}" --install "${RETORT_BUILD_DIR}"
        --prefix "${prefix}" --config "${RETORT_CONFIG}")
    foreach(file IN ITEMS
            include/retort/retort.hpp
            share/cmake/retort/retortConfig.cmake
            share/cmake/retort/retortConfigVersion.cmake
            share/cmake/retort/retortTargets.cmake
            share/cmake/retort/Findretort_libpq.cmake
            share/cmake/retort/retort_migrate_tool.cmake)
        if(NOT EXISTS "${prefix}/${file}")
            message(FATAL_ERROR "not installed: ${prefix}/${file}")
        endif()
    endforeach()
    list(APPEND consumer_args
        "-DCMAKE_PREFIX_PATH=${prefix}"
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
elseif(RETORT_MODE STREQUAL "add_subdirectory")
    list(APPEND consumer_args "-DRETORT_SOURCE_DIR=${RETORT_SOURCE_DIR}")
else()
    message(FATAL_ERROR "unknown RETORT_MODE: ${RETORT_MODE}")
endif()

run_step("configure consumer" "${CMAKE_COMMAND}" ${consumer_args})
run_step("build consumer" "${CMAKE_COMMAND}" --build "${consumer_build}"
    --config "${RETORT_CONFIG}")

set(exe "")
foreach(candidate IN ITEMS
        "${consumer_build}/retort_consumer"
        "${consumer_build}/${RETORT_CONFIG}/retort_consumer"
        "${consumer_build}/retort_consumer.exe"
        "${consumer_build}/${RETORT_CONFIG}/retort_consumer.exe")
    if(EXISTS "${candidate}")
        set(exe "${candidate}")
        break()
    endif()
endforeach()
if(NOT exe)
    message(FATAL_ERROR "consumer executable not found under ${consumer_build}")
endif()
run_step("run consumer" "${exe}")

# The migrate tool retort_add_migrate_tool() built: write the first revision into its
# compiled-in directory, then `check` finds the models and the history in step.
get_filename_component(exe_dir "${exe}" DIRECTORY)
file(REMOVE_RECURSE "${consumer_build}/migrations")
run_step("migrate tool: revision" "${exe_dir}/consumer_migrate" revision --autogenerate -m "notes")
run_step("migrate tool: check" "${exe_dir}/consumer_migrate" check)

if(RETORT_MODE STREQUAL "find_package")
    # Make sure the installed package, not the source tree, was used.
    file(STRINGS "${consumer_build}/CMakeCache.txt" retort_dir REGEX "^retort_DIR:")
    message(STATUS "consumer used ${retort_dir}")
    string(FIND "${retort_dir}" "${prefix}/" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "consumer did not pick up the package installed in ${prefix}")
    endif()
endif()
message(STATUS "install test (${RETORT_MODE}) passed")
