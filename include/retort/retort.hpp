// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The core of retort: models, schema, dialects, queries, drivers and sessions. The Boost.Asio
// adapter (retort/asio.hpp) and the migration CLI (retort/cli.hpp) are opted into separately.

#include <retort/dialect/ddl.hpp>
#include <retort/error.hpp>
#include <retort/query/aggregate.hpp>
#include <retort/query/crud.hpp>
#include <retort/query/expr.hpp>
#include <retort/query/select.hpp>
#include <retort/reflect/model.hpp>
#include <retort/schema/from_model.hpp>
#include <retort/schema/order.hpp>
#include <retort/session/engine.hpp>
#include <retort/session/repository.hpp>
