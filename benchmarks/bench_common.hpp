// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What the SQLite and PostgreSQL benchmarks share: the model (one table, created by retort's
// DDL, that both twins of every pair use), the rows they write, the checks that a benchmark
// did what it claims, and the random keys the lookups cycle through.
//
// Every workload is a pair, `<workload>/retort` and `<workload>/raw`: the same work done
// through retort and by hand with the C API (sqlite3 or libpq), written the way an expert
// would. Both report items per second; benchmarks/ratios.py turns a JSON run into the table
// of retort/raw ratios.

#include <retort/retort.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <random>
#include <string>
#include <vector>

namespace bench {

struct bench_row {
    std::int64_t id{};
    std::string name;
    std::int64_t score{};
    double ratio{};
};
RETORT_TABLE(bench_row, "bench_rows", (id, retort::primary_key, retort::autoincrement), (name),
             (score), (ratio));

/// Rows written by the insert workloads and held by the table the lookups and scans read.
inline constexpr std::int64_t table_rows = 100'000;
/// How many random keys a lookup benchmark cycles through (a power of two).
inline constexpr std::size_t lookup_keys = 1u << 14;

/// Row i (0-based) of the data set. The name is longer than std::string's small buffer, as
/// an e-mail address would be, so reading it allocates, in both twins alike. The ratio is a
/// multiple of 1/8: sums of ratios are exact whatever the order rows come back in.
inline bench_row make_row(std::int64_t i) {
    bench_row r;
    r.name = "user" + std::to_string(i) + "@example.com";
    r.score = (i * 7919) % 1'000'003;
    r.ratio = static_cast<double>(i % 1024) / 8.0;
    return r;
}

inline std::vector<bench_row> make_rows(std::int64_t n = table_rows) {
    std::vector<bench_row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) rows.push_back(make_row(i));
    return rows;
}

/// Order-independent digest of a set of rows (ids left out: they are the database's).
struct digest {
    std::int64_t count = 0;
    std::int64_t score_sum = 0;
    std::int64_t name_bytes = 0;
    double ratio_sum = 0;

    void add(const bench_row& r) {
        ++count;
        score_sum += r.score;
        name_bytes += static_cast<std::int64_t>(r.name.size());
        ratio_sum += r.ratio;
    }
    friend bool operator==(const digest&, const digest&) = default;
};

inline digest digest_of(const std::vector<bench_row>& rows) {
    digest d;
    for (const auto& r : rows) d.add(r);
    return d;
}

/// The digest of make_rows(n).
inline digest expected_digest(std::int64_t n = table_rows) {
    digest d;
    for (std::int64_t i = 0; i < n; ++i) d.add(make_row(i));
    return d;
}

/// True when `rows` came back from a table filled with make_rows(): right count, right sums,
/// and each row's contents agree with its position in key order (ids are consecutive).
inline bool is_full_table(const std::vector<bench_row>& rows) {
    if (static_cast<std::int64_t>(rows.size()) != table_rows) return false;
    if (!(digest_of(rows) == expected_digest())) return false;
    std::int64_t first = rows.front().id;
    for (const auto& r : rows) first = std::min(first, r.id);
    for (const auto& r : rows) {
        const bench_row want = make_row(r.id - first);
        if (r.name != want.name || r.score != want.score || r.ratio != want.ratio) return false;
    }
    return true;
}

/// True when insert() wrote back consecutive generated keys into every row.
inline bool keys_written_back(const std::vector<bench_row>& rows) {
    if (rows.empty() || rows.front().id <= 0) return false;
    for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i].id != rows[i - 1].id + 1) return false;
    return true;
}

/// `lookup_keys` ids drawn uniformly from [first_id, first_id + table_rows), fixed seed.
inline std::vector<std::int64_t> random_keys(std::int64_t first_id) {
    std::mt19937_64 gen(20260101);
    std::uniform_int_distribution<std::int64_t> pick(first_id, first_id + table_rows - 1);
    std::vector<std::int64_t> keys(lookup_keys);
    for (auto& k : keys) k = pick(gen);
    return keys;
}

/// The row a lookup of `id` must find, in a table filled with make_rows() from `first_id`.
inline bool is_row(const bench_row& r, std::int64_t id, std::int64_t first_id) {
    const bench_row want = make_row(id - first_id);
    return r.id == id && r.name == want.name && r.score == want.score && r.ratio == want.ratio;
}

/// Runs a benchmark's body; an exception (a failed check, a database error) ends the
/// benchmark as an error instead of terminating the whole run.
template <class F>
void guarded(benchmark::State& state, F&& body) {
    try {
        body();
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

inline void set_items(benchmark::State& state, std::int64_t per_iteration) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * per_iteration);
}

}  // namespace bench
