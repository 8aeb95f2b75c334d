// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The PostgreSQL driver: retort::driver::postgres::{options, connection, binder, row}.

#include <retort/driver/callbacks.hpp>
#include <retort/driver/concepts.hpp>
#include <retort/driver/log_hook.hpp>
#include <retort/driver/postgres/binder.hpp>
#include <retort/driver/postgres/connection.hpp>
#include <retort/driver/postgres/errors.hpp>
#include <retort/driver/postgres/options.hpp>
#include <retort/driver/postgres/row.hpp>
