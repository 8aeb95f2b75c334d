// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// RAII transactions: BEGIN at the outermost level (BEGIN IMMEDIATE on SQLite), SAVEPOINT inside;
// rolled back on destruction unless committed, so an exception leaves nothing half-written.
// What add() queued before begin() is flushed into the new transaction; what is queued inside
// it is flushed by its commit() or discarded by its rollback().

#include <retort/session/session.hpp>

#include <string>

namespace retort {

template <class Backend>
class basic_transaction {
public:
    explicit basic_transaction(basic_session<Backend>& s) : session_(&s), level_(s.level()) {
        if (s.implicit_)
            throw programming_error(
                "retort: begin() while the session's own transaction is open (begun by flush() of "
                "objects queued with add()); commit() or rollback() the session first, or call "
                "begin() before add()");
        s.conn_->execute_script(level_ == 0
                                    ? std::string{basic_session<Backend>::dialect::begin_sql}
                                    : "SAVEPOINT " + savepoint());
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

    /// Makes the work permanent (or, for a savepoint, part of the enclosing transaction). On
    /// PostgreSQL, committing a transaction that an error aborted rolls it back and throws
    /// operational_error instead of reporting success.
    void commit() {
        check_innermost("commit");
        session_->flush();
        auto* s = session_;
        if (level_ == 0) {
            finish();
            s->finish_outermost_commit();
        } else {
            s->conn_->execute_script("RELEASE SAVEPOINT " + savepoint());
            finish();
        }
    }

    /// Undoes the work since this transaction began, and drops what add() queued inside it.
    void rollback() {
        check_innermost("rollback");
        auto* s = session_;
        finish();
        s->pending_.clear();
        if (level_ == 0)
            s->conn_->execute_script("ROLLBACK");
        else
            s->conn_->execute_script("ROLLBACK TO SAVEPOINT " + savepoint() +
                                     "; RELEASE SAVEPOINT " + savepoint());
    }

    bool active() const { return session_ != nullptr; }

private:
    std::string savepoint() const { return "retort_sp_" + std::to_string(level_); }

    void check_innermost(const char* what) const {
        if (!session_)
            throw programming_error(std::string{"retort: "} + what +
                                    "() on a finished transaction");
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
    // What was queued before begin() belongs to the enclosing scope: into the new transaction
    // at the outermost level, before the savepoint when nested.
    if (level() > 0) flush();
    basic_transaction<Backend> tx(*this);
    flush();
    return tx;
}

}  // namespace retort
