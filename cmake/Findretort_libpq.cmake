# Findretort_libpq.cmake
# ----------------------
# Finds the PostgreSQL client library (libpq) and nothing else: unlike
# CMake's FindPostgreSQL it never looks for server headers.
#
# Result variables:
#   retort_libpq_FOUND, retort_libpq_INCLUDE_DIR, retort_libpq_LIBRARY,
#   retort_libpq_VERSION (when pg_config.h is next to libpq-fe.h)
#
# Imported target:
#   retort::libpq
#
# Hints: retort_libpq_ROOT (CMake >= 3.12 honours <Package>_ROOT), pg_config
# on PATH, and pkg-config's libpq module when pkg-config is installed.

set(_retort_libpq_include_hints)
set(_retort_libpq_library_hints)

find_program(retort_libpq_PG_CONFIG NAMES pg_config)
mark_as_advanced(retort_libpq_PG_CONFIG)
if(retort_libpq_PG_CONFIG)
    execute_process(COMMAND "${retort_libpq_PG_CONFIG}" --includedir
        OUTPUT_VARIABLE _retort_libpq_dir OUTPUT_STRIP_TRAILING_WHITESPACE
        ERROR_QUIET RESULT_VARIABLE _retort_libpq_rc)
    if(_retort_libpq_rc EQUAL 0 AND _retort_libpq_dir)
        list(APPEND _retort_libpq_include_hints "${_retort_libpq_dir}")
    endif()
    execute_process(COMMAND "${retort_libpq_PG_CONFIG}" --libdir
        OUTPUT_VARIABLE _retort_libpq_dir OUTPUT_STRIP_TRAILING_WHITESPACE
        ERROR_QUIET RESULT_VARIABLE _retort_libpq_rc)
    if(_retort_libpq_rc EQUAL 0 AND _retort_libpq_dir)
        list(APPEND _retort_libpq_library_hints "${_retort_libpq_dir}")
    endif()
endif()

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
    pkg_check_modules(_retort_libpq_pc QUIET libpq)
    if(_retort_libpq_pc_FOUND)
        list(APPEND _retort_libpq_include_hints ${_retort_libpq_pc_INCLUDE_DIRS})
        list(APPEND _retort_libpq_library_hints ${_retort_libpq_pc_LIBRARY_DIRS})
    endif()
endif()

find_path(retort_libpq_INCLUDE_DIR
    NAMES libpq-fe.h
    HINTS ${_retort_libpq_include_hints}
    PATH_SUFFIXES postgresql pgsql include/postgresql include)

find_library(retort_libpq_LIBRARY
    NAMES pq libpq
    HINTS ${_retort_libpq_library_hints}
    PATH_SUFFIXES lib lib64)

mark_as_advanced(retort_libpq_INCLUDE_DIR retort_libpq_LIBRARY)

unset(retort_libpq_VERSION)
if(retort_libpq_INCLUDE_DIR AND EXISTS "${retort_libpq_INCLUDE_DIR}/pg_config.h")
    file(STRINGS "${retort_libpq_INCLUDE_DIR}/pg_config.h" _retort_libpq_version_line
        REGEX "^#define[ \t]+PG_VERSION[ \t]+\"[0-9]")
    if(_retort_libpq_version_line MATCHES "\"([0-9]+(\\.[0-9]+)*)")
        set(retort_libpq_VERSION "${CMAKE_MATCH_1}")
    endif()
elseif(_retort_libpq_pc_VERSION)
    set(retort_libpq_VERSION "${_retort_libpq_pc_VERSION}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(retort_libpq
    REQUIRED_VARS retort_libpq_LIBRARY retort_libpq_INCLUDE_DIR
    VERSION_VAR retort_libpq_VERSION)

if(retort_libpq_FOUND AND NOT TARGET retort::libpq)
    add_library(retort::libpq UNKNOWN IMPORTED)
    set_target_properties(retort::libpq PROPERTIES
        IMPORTED_LOCATION "${retort_libpq_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${retort_libpq_INCLUDE_DIR}")
endif()

unset(_retort_libpq_include_hints)
unset(_retort_libpq_library_hints)
unset(_retort_libpq_dir)
unset(_retort_libpq_rc)
unset(_retort_libpq_version_line)
