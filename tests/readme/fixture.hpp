// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// What the README's code blocks take as given: the models of its examples (the seeds' users,
// jobs and lessons, as the tests have them) and, for blocks of statements, the values they use.
#pragma once

#include "../support/models.hpp"

#include <retort/retort.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace readme_fixture {

using namespace app;  // the seeds' user, job, lesson and job_status (tests/support/models.hpp)

struct id_and_email {
    std::int64_t id{};
    std::string email;
};

inline int email_taken() {
    return 1;
}

struct values {
    user obj, a, b, u;
    std::vector<user> vec;
    std::int64_t id{};
    std::vector<std::int64_t> ids;
    retort::timestamp from{}, to{};
};

}  // namespace readme_fixture
