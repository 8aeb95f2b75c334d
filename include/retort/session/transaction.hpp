// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// RAII transactions: BEGIN at the outermost level, SAVEPOINT inside; rolled back on
// destruction unless committed, so an exception leaves nothing half-written.

#include <retort/session/session.hpp>

#include <string>

namespace retort {

template <class Backend>
class basic_transaction {
public:
    explicit basic_transaction(basic_session<Backend>& s) : session_(&s), level_(s.level()) {
        s.conn_->execute_script(level_ == 0 ? std::string{"BEGIN"} : "SAVEPOINT " + savepoint());
        ++s.depth_;
    }
    basic_transaction(basic_transaction&& other) noexcept
        : session_(std::exchange(other.session_, nullptr)), level_(other.level_) {}
    basic_transaction& operator=(basic_transaction&&) = delete;

    ~basic_transaction() {
        if (session_) {
            try {
                rollback();
            } catch (...) {  // a destructor must not throw; the connection reports the loss later
            }
        }
    }

    /// Makes the work permanent (or, for a savepoint, part of the enclosing transaction).
    void commit() {
        check_innermost("commit");
        if (level_ == 0) session_->flush();
        session_->conn_->execute_script(level_ == 0 ? std::string{"COMMIT"} : "RELEASE SAVEPOINT " + savepoint());
        finish();
    }

    /// Undoes the work since this transaction began.
    void rollback() {
        check_innermost("rollback");
        auto* s = session_;
        finish();
        if (level_ == 0) {
            s->pending_.clear();
            s->conn_->execute_script("ROLLBACK");
        } else {
            s->conn_->execute_script("ROLLBACK TO SAVEPOINT " + savepoint() + "; RELEASE SAVEPOINT " + savepoint());
        }
    }

    bool active() const { return session_ != nullptr; }

private:
    std::string savepoint() const { return "retort_sp_" + std::to_string(level_); }

    void check_innermost(const char* what) const {
        if (!session_) throw programming_error(std::string{"retort: "} + what + "() on a finished transaction");
        if (session_->level() != level_ + 1)
            throw programming_error(std::string{"retort: "} + what +
                                    "() on a transaction while a nested one is still open");
    }
    void finish() {
        --session_->depth_;
        session_ = nullptr;
    }

    basic_session<Backend>* session_;
    int level_;
};

template <class Backend>
basic_transaction<Backend> basic_session<Backend>::begin() {
    return basic_transaction<Backend>(*this);
}

}  // namespace retort
