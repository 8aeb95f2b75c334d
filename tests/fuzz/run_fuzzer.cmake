# Runs one libFuzzer binary for the ctest fuzz.run.<name> (see CMakeLists.txt here):
#   cmake -DFUZZER=... -DWORK_DIR=... -DOPTIONS=a;b -DINPUT_DIRS=a;b -P run_fuzzer.cmake
# New inputs go to WORK_DIR/corpus, emptied first, so the tree's corpus is only ever read and
# every run starts from the same seeds; a failing input is written to WORK_DIR/artifacts/.

set(corpus "${WORK_DIR}/corpus")
set(artifacts "${WORK_DIR}/artifacts/")
file(REMOVE_RECURSE "${corpus}" "${artifacts}")
file(MAKE_DIRECTORY "${corpus}" "${artifacts}")

# libFuzzer writes new inputs into the first directory only; the others are seeds.
execute_process(
    COMMAND "${FUZZER}" ${OPTIONS} "-artifact_prefix=${artifacts}" "${corpus}" ${INPUT_DIRS}
    RESULT_VARIABLE result)

if(NOT result EQUAL 0)
    file(GLOB found "${artifacts}/*")
    message(FATAL_ERROR
        "${FUZZER} failed (exit ${result}). The failing input: ${found}\n"
        "Reproduce with: ${FUZZER} <that file>. Once the parser is fixed, copy the file into "
        "tests/fuzz/regressions/<target>/ so that fuzz.replay.<target> replays it in every build.")
endif()
