# Helpers shared by retort's own targets (tests, benchmarks, examples).
# Nothing here touches the INTERFACE target `retort`, so consumers never
# inherit retort's warning or sanitizer flags.

# retort_configure_target(<target> [SANITIZE])
#
# Applies C++20 without extensions, the project warning set
# (-Wall -Wextra -Wpedantic, plus -Werror when RETORT_WARNINGS_AS_ERRORS is
# ON) and, with SANITIZE and RETORT_SANITIZE=ON, ASan + UBSan compile and
# link flags.
function(retort_configure_target target)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "SANITIZE" "" "")

    set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
    target_compile_features(${target} PRIVATE cxx_std_20)

    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
        if(RETORT_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
        if(RETORT_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()

    if(ARG_SANITIZE AND RETORT_SANITIZE)
        if(MSVC)
            message(FATAL_ERROR "RETORT_SANITIZE is only supported with GCC and Clang")
        endif()
        set(_flags -fsanitize=address,undefined -fno-omit-frame-pointer
                   -fno-sanitize-recover=all)
        target_compile_options(${target} PRIVATE ${_flags})
        get_target_property(_type ${target} TYPE)
        if(NOT _type STREQUAL "OBJECT_LIBRARY")
            target_link_options(${target} PRIVATE ${_flags})
        endif()
    endif()
endfunction()
