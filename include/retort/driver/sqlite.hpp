// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The SQLite driver: retort::driver::sqlite::{options, connection, binder, row}.

#include <retort/driver/callbacks.hpp>
#include <retort/driver/concepts.hpp>
#include <retort/driver/log_hook.hpp>
#include <retort/driver/sqlite/binder.hpp>
#include <retort/driver/sqlite/connection.hpp>
#include <retort/driver/sqlite/errors.hpp>
#include <retort/driver/sqlite/options.hpp>
#include <retort/driver/sqlite/row.hpp>
#include <retort/driver/sqlite/statement.hpp>
