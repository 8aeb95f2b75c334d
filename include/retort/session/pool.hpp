// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A blocking connection pool: at most `max_size` connections, opened on demand, handed back on
// release. acquire() waits up to `acquire_timeout` for one to free up, then throws timeout_error.
// A connection that was lost is not returned to the pool.

#include <retort/error.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace retort {

struct pool_options {
    std::size_t max_size = 8;
    std::chrono::milliseconds acquire_timeout{30000};
};

template <class Connection>
class connection_pool {
public:
    using open_function = std::function<std::unique_ptr<Connection>()>;

    connection_pool(open_function open, pool_options options)
        : open_(std::move(open)), options_(options) {}

    std::unique_ptr<Connection> acquire() {
        std::unique_lock lock(mutex_);
        if (!available_.wait_for(lock, options_.acquire_timeout,
                                 [&] { return !idle_.empty() || open_count_ < options_.max_size; }))
            throw timeout_error("retort: no connection became free within " +
                                std::to_string(options_.acquire_timeout.count()) +
                                " ms (pool size " + std::to_string(options_.max_size) + ")");
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return c;
        }
        ++open_count_;
        lock.unlock();
        try {
            return open_();
        } catch (...) {
            lock.lock();
            --open_count_;
            available_.notify_one();
            throw;
        }
    }

    void release(std::unique_ptr<Connection> c, bool reusable) {
        std::lock_guard lock(mutex_);
        if (reusable && c && c->is_open())
            idle_.push_back(std::move(c));
        else
            --open_count_;
        available_.notify_one();
    }

    std::size_t open_connections() const {
        std::lock_guard lock(mutex_);
        return open_count_;
    }
    std::size_t idle_connections() const {
        std::lock_guard lock(mutex_);
        return idle_.size();
    }

private:
    open_function open_;
    pool_options options_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_count_ = 0;
};

}  // namespace retort
