// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Naming conventions against names their tools were seen to write: Rails' from structure.sql
// files published by Rails projects, Django's printed by Django 5.2's own schema editor, the
// hashes against Python's hashlib. PostgreSQL's are checked against a live server in
// tests/integration/naming_conventions.cpp.

#include <retort/retort.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using retort::naming::django_names;
using retort::naming::postgres_names;
using retort::naming::rails_names;
using retort::naming::retort_names;
using Strings = std::vector<std::string>;

TEST_CASE("digest: SHA-256 and MD5 of known texts", "[unit][naming]") {
    using retort::schema::detail::md5_hex;
    using retort::schema::detail::sha256_hex;
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex(std::string(1000, 'x')) ==
          "44f8354494a5ba03ba1792a8d3e9c534c47a9181980fde7a3f44b06ef2ae7c7f");
    CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(md5_hex(std::string(1000, 'x')) == "398533d48111e9f664b1f64cb10c4b63");
    // 55 and 56 bytes: the padding's length field fits in the block, then it does not.
    CHECK(sha256_hex(std::string(55, 'a')) ==
          "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(sha256_hex(std::string(56, 'a')) ==
          "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(md5_hex(std::string(56, 'a')) == "3b0c8ac703f828b04c6c197006d17218");
}

TEST_CASE("naming: retort's own convention is the one it always had", "[unit][naming]") {
    CHECK(retort_names.name == "retort");
    CHECK(retort_names.primary_key("users") == "pk_users");
    CHECK(retort_names.unique("users", {"email"}) == "uq_users_email");
    CHECK(retort_names.index("t", {"a", "b"}) == "ix_t_a_b");
    CHECK(retort_names.foreign_key("jobs", {"user_id"}, "users", {"id"}) ==
          "fk_jobs_user_id_users");
    retort::schema::table t;
    t.name = "t";
    t.checks = {{"ck_t_a", "a > 0"}, {"ck_t_b", "b > 0"}};
    CHECK(retort_names.check(t, "c", "c > 0") == "ck_t_c");
    CHECK(retort_names.check(t, "", "a < b") == "ck_t_2");
}

TEST_CASE("naming: PostgreSQL's names for unnamed rules", "[unit][naming]") {
    CHECK(postgres_names.primary_key("users") == "users_pkey");
    CHECK(postgres_names.unique("users", {"email"}) == "users_email_key");
    CHECK(postgres_names.unique("t", {"a", "b"}) == "t_a_b_key");
    CHECK(postgres_names.index("users", {"email"}) == "users_email_idx");
    CHECK(postgres_names.foreign_key("jobs", {"user_id"}, "users", {"id"}) == "jobs_user_id_fkey");
    // A CHECK is named after the one column its expression names, whichever column it is
    // written on, else after the table; a name the table has already gets a number.
    retort::schema::table t;
    t.name = "t";
    for (const char* c : {"a", "b", "Mixed", "start_at"}) t.columns.emplace_back().name = c;
    CHECK(postgres_names.check(t, "a", "a > 0") == "t_a_check");
    CHECK(postgres_names.check(t, "a", "start_at <= now()") == "t_start_at_check");
    CHECK(postgres_names.check(t, "a", "A > 0 AND a < 10") == "t_a_check");
    CHECK(postgres_names.check(t, "", "\"Mixed\" > 0 AND 'b' <> 'a'") == "t_Mixed_check");
    CHECK(postgres_names.check(t, "", "mixed > 0") == "t_check");  // no such column: folded
    CHECK(postgres_names.check(t, "", "true") == "t_check");
    t.checks = {{"t_a_check", "a > 0"}};
    CHECK(postgres_names.check(t, "a", "a < 10") == "t_a_check1");
    CHECK(postgres_names.check(t, "", "a < b") == "t_check");
    t.checks.push_back({"t_check", "a < b"});
    CHECK(postgres_names.check(t, "", "a <> b") == "t_check1");
    t.checks.push_back({"t_check1", "a <> b"});
    CHECK(postgres_names.check(t, "", "a <> b + 1") == "t_check2");
    // makeObjectName cuts the longer part first, one byte at a time, to 63 bytes in all.
    const std::string table(40, 't'), column(40, 'c');
    CHECK(postgres_names.unique(table, {column}) ==
          std::string(29, 't') + "_" + std::string(29, 'c') + "_key");
    CHECK(postgres_names.primary_key(std::string(70, 'p')) == std::string(58, 'p') + "_pkey");
    // Never inside a UTF-8 character: 58 bytes of "é" (2 bytes each) end on a boundary.
    std::string accents;
    for (int i = 0; i < 40; ++i) accents += "\xC3\xA9";
    CHECK(postgres_names.primary_key(accents) == accents.substr(0, 58) + "_pkey");
    CHECK(postgres_names.primary_key("x" + accents) == "x" + accents.substr(0, 56) + "_pkey");
}

TEST_CASE("naming: Rails' names, as Rails projects' structure.sql files have them",
          "[unit][naming]") {
    CHECK(rails_names.primary_key("users") == "users_pkey");
    // ADD CONSTRAINT fk_rails_... FOREIGN KEY (column) in published structure.sql files.
    CHECK(rails_names.foreign_key("patients", {"user_id"}, "users", {"id"}) ==
          "fk_rails_623f05c630");
    CHECK(rails_names.foreign_key("ipds", {"bed_id"}, "beds", {"id"}) == "fk_rails_62f0caad55");
    CHECK(rails_names.foreign_key("assignments", {"ship_id"}, "ships", {"id"}) ==
          "fk_rails_00086f9bf6");
    CHECK(rails_names.foreign_key("messages", {"recipient_id"}, "users", {"id"}) ==
          "fk_rails_12e9de2e48");
    CHECK(rails_names.foreign_key("purchase_orders_products", {"purchase_order_id"},
                                  "purchase_orders", {"id"}) == "fk_rails_2fd142014a");
    CHECK(rails_names.foreign_key("recipes", {"author_id"}, "accounts", {"id"}) ==
          "fk_rails_08ee84afe6");
    // Several columns are joined with "_and_" (Rails 7.1).
    CHECK(rails_names.foreign_key("line_items", {"order_id", "shard"}, "orders", {"id", "shard"}) ==
          "fk_rails_c768e92f71");
    CHECK(rails_names.index("users", {"email"}) == "index_users_on_email");
    CHECK(rails_names.index("taggings", {"taggable_id", "taggable_type", "context"}) ==
          "index_taggings_on_taggable_id_and_taggable_type_and_context");
    // Over 62 bytes: idx_on_<columns>, cut, and 10 hex digits of the long name's SHA-256.
    CHECK(rails_names.index("active_storage_variant_records", {"blob_id", "variation_digest"}) ==
          "idx_on_blob_id_variation_digest_f36bede0d9");
    CHECK(rails_names.index("notification_subscription_preference_overrides",
                            {"subscriber_account_id", "notification_channel_identifier"}) ==
          "idx_on_subscriber_account_id_notification_channel_i_941bca08c3");
    CHECK(rails_names.unique("orders", {"account_id", "number"}) == "uniq_rails_98b58f7a79");
    retort::schema::table products;
    products.name = "products";
    CHECK(rails_names.check(products, "price", "price > 0") == "chk_rails_50b1a1153c");
    CHECK(rails_names.check(products, "", "price > 0") == "chk_rails_50b1a1153c");
}

TEST_CASE("naming: Django's names, as its schema editor writes them", "[unit][naming]") {
    CHECK(django_names.primary_key("blog_entry") == "blog_entry_pkey");
    CHECK(django_names.index("shop_order", {"customer_id"}) == "shop_order_customer_id_f638df20");
    CHECK(django_names.index("blog_entry", {"author_id"}) == "blog_entry_author_id_81ca74ac");
    CHECK(django_names.foreign_key("blog_entry", {"author_id"}, "auth_user", {"id"}) ==
          "blog_entry_author_id_81ca74ac_fk_auth_user_id");
    CHECK(django_names.foreign_key("shop_order", {"customer_id"}, "shop_customer", {"id"}) ==
          "shop_order_customer_id_f638df20_fk_shop_customer_id");
    // unique=True on a field is inline in CREATE TABLE: the server names it.
    CHECK(django_names.unique("blog_entry", {"slug"}) == "blog_entry_slug_key");
    CHECK(django_names.unique("blog_entry", {"blog_id", "slug"}) ==
          "blog_entry_blog_id_slug_7c9c4d92_uniq");
    // Long names: table and columns cut evenly, a long suffix to a third of the limit.
    CHECK(django_names.unique("inventory_warehouse_stock_movement_record",
                              {"source_location_identifier", "destination_location_identifier"}) ==
          "inventory_warehouse_stoc_source_location_identifi_50815b36_uniq");
    CHECK(django_names.foreign_key("inventory_warehouse_stock_movement_record",
                                   {"source_location_identifier"}, "inventory_warehouse_location",
                                   {"identifier"}) ==
          "inventory_warehouse__source_location_iden_721044e8_fk_inventory");
    CHECK(django_names.foreign_key(std::string(70, 't'), {"c"}, std::string(40, 'r'), {"id"}) ==
          std::string(20, 't') + "_c_c6635749_fk_" + std::string(9, 'r'));
    CHECK(django_names.index("_x", {"c"}) == "_x_c_3996d099");
    // index_together (Django 5.0 and before) adds "_idx".
    CHECK(django_names.index("shop_order", {"customer_id", "placed_at"}) ==
          "shop_order_customer_id_placed_at_b64657ab_idx");
    // Django cuts characters; the server then cuts the name to 63 bytes, between characters.
    std::string e10, e40, e18;
    for (int i = 0; i < 40; ++i) (i < 10 ? e10 : e40) += "\xC3\xA9";
    e40 += e10;
    for (int i = 0; i < 18; ++i) e18 += "\xC3\xA9";
    const std::string cafe = "caf\xC3\xA9_" + std::string(60, 'x');
    CHECK(django_names.unique(cafe, {e10, "b"}).size() <= 63);
    CHECK(retort::schema::detail::django_name(cafe, {e40}, "_uniq") ==
          "caf\xC3\xA9_" + std::string(19, 'x') + "_" + e18);
    retort::schema::table entry;
    entry.name = "blog_entry";
    entry.columns.emplace_back().name = "rating";
    CHECK(django_names.check(entry, "rating", "rating >= 0") == "blog_entry_rating_check");
}

TEST_CASE("naming: SQLAlchemy's default names, as SQLAlchemy 2.1 writes them", "[unit][naming]") {
    using retort::naming::sqlalchemy_names;
    CHECK(sqlalchemy_names.primary_key("users") == "users_pkey");
    CHECK(sqlalchemy_names.unique("users", {"email"}) == "users_email_key");
    CHECK(sqlalchemy_names.foreign_key("dgs_jobs", {"user_id"}, "users", {"id"}) ==
          "dgs_jobs_user_id_fkey");
    CHECK(sqlalchemy_names.index("users", {"email"}) == "ix_users_email");
    CHECK(sqlalchemy_names.index("dgs_jobs", {"status", "created_at"}) == "ix_dgs_jobs_status");
    // Past 63 characters: the first 55, "_", the last 4 hex digits of the MD5 of the name.
    const std::string table = "a_table_with_quite_a_long_name_for_sqlalchemy_to_cut";
    CHECK(sqlalchemy_names.index(table, {"a_long_column_name_here"}) ==
          "ix_a_table_with_quite_a_long_name_for_sqlalchemy_to_cut_e19c");
    CHECK(sqlalchemy_names.index(table, {"b"}) ==
          "ix_a_table_with_quite_a_long_name_for_sqlalchemy_to_cut_b");
}

namespace naming_test_rails {
RETORT_NAMING(retort::naming::rails_names);
struct account {
    std::int64_t id;
    std::string email;
};
RETORT_TABLE(account, "accounts", (id, retort::primary_key, retort::autoincrement),
             (email, retort::unique, retort::indexed));
struct order {
    std::int64_t id;
    std::int64_t account_id;
    std::string number;
};
RETORT_TABLE(order, "orders", (id, retort::primary_key, retort::autoincrement),
             (account_id, retort::references<&account::id>), (number));
RETORT_CONSTRAINTS(order, retort::unique_together<"", &order::account_id, &order::number>,
                   retort::index<"by_number", &order::number>);
}  // namespace naming_test_rails

namespace naming_test_default {
struct thing {
    std::int64_t id;
};
RETORT_TABLE(thing, "things", (id, retort::primary_key));
}  // namespace naming_test_default

namespace naming_test_rails::inner {
struct thing {
    std::int64_t id;
};
RETORT_TABLE(thing, "inner_things", (id, retort::primary_key));
}  // namespace naming_test_rails::inner

// A model whose template argument is of a Rails-named namespace, in a namespace of retort's
// names: its own namespace decides, not its argument's (no argument-dependent lookup).
namespace naming_test_other {
template <class Owner>
struct owned_row {
    std::int64_t id;
};
using account_row = owned_row<naming_test_rails::account>;
RETORT_TABLE(account_row, "account_rows", (id, retort::primary_key));
}  // namespace naming_test_other

TEST_CASE("naming: RETORT_NAMING names a namespace's models; given names are kept",
          "[unit][naming]") {
    static_assert(&retort::naming_of<naming_test_rails::account>() == &rails_names);
    static_assert(&retort::naming_of<naming_test_default::thing>() == &retort_names);
    static_assert(&retort::naming_of<naming_test_rails::inner::thing>() == &rails_names);
    static_assert(&retort::naming_of<naming_test_other::account_row>() == &retort_names);
    const auto accounts = retort::schema::table_of<naming_test_rails::account>();
    CHECK(accounts.key.name == "accounts_pkey");
    REQUIRE(accounts.uniques.size() == 1);
    CHECK(accounts.uniques[0].name == rails_names.unique("accounts", {"email"}));
    REQUIRE(accounts.indexes.size() == 1);
    CHECK(accounts.indexes[0].name == "index_accounts_on_email");
    const auto orders = retort::schema::table_of<naming_test_rails::order>();
    REQUIRE(orders.foreign_keys.size() == 1);
    CHECK(orders.foreign_keys[0].name == rails_names.foreign_key("orders", {"account_id"}, "", {}));
    REQUIRE(orders.uniques.size() == 1);
    CHECK(orders.uniques[0].name == "uniq_rails_98b58f7a79");
    REQUIRE(orders.indexes.size() == 1);
    CHECK(orders.indexes[0].name == "by_number");
    CHECK(retort::schema::table_of<naming_test_default::thing>().key.name == "pk_things");
}
