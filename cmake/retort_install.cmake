# Install rules and package export for the retort INTERFACE target.
# Included from the top-level CMakeLists.txt when RETORT_INSTALL is ON.
#
# Installed layout (relative to the install prefix):
#   include/retort/...                  every header found under include/
#   share/cmake/retort/retortConfig.cmake
#   share/cmake/retort/retortConfigVersion.cmake
#   share/cmake/retort/retortTargets.cmake
#   share/cmake/retort/Findretort_libpq.cmake
#   share/cmake/retort/retort_migrate_tool.cmake
#   share/doc/retort/LICENSE
#
# The package is header-only, so the version file is architecture
# independent and the config lives under share/.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(RETORT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/retort"
    CACHE STRING "Install directory (relative to the prefix) of retort's CMake package files")
mark_as_advanced(RETORT_INSTALL_CMAKEDIR)

install(TARGETS retort EXPORT retortTargets)

if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/include")
    install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING
            PATTERN "*.hpp"
            PATTERN "*.h"
            PATTERN "*.ipp"
            PATTERN "*.inl")
endif()

install(EXPORT retortTargets
    NAMESPACE retort::
    FILE retortTargets.cmake
    DESTINATION "${RETORT_INSTALL_CMAKEDIR}")

configure_package_config_file(
    "${PROJECT_SOURCE_DIR}/cmake/retortConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/retortConfig.cmake"
    INSTALL_DESTINATION "${RETORT_INSTALL_CMAKEDIR}"
    NO_SET_AND_CHECK_MACRO
    NO_CHECK_REQUIRED_COMPONENTS_MACRO)

write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/retortConfigVersion.cmake"
    VERSION "${PROJECT_VERSION}"
    COMPATIBILITY SameMajorVersion
    ARCH_INDEPENDENT)

install(FILES
        "${PROJECT_BINARY_DIR}/retortConfig.cmake"
        "${PROJECT_BINARY_DIR}/retortConfigVersion.cmake"
        "${PROJECT_SOURCE_DIR}/cmake/Findretort_libpq.cmake"
        "${PROJECT_SOURCE_DIR}/cmake/retort_migrate_tool.cmake"
    DESTINATION "${RETORT_INSTALL_CMAKEDIR}")

install(FILES "${PROJECT_SOURCE_DIR}/LICENSE"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/retort")
