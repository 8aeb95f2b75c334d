// Unit tests: DATABASE_URL parsing (session/url.hpp) and the `?` -> `$n` rewriting of raw SQL
// for PostgreSQL (session/detail/raw_sql.hpp).

#include <retort/error.hpp>
#include <retort/session/backend.hpp>
#include <retort/session/detail/raw_sql.hpp>
#include <retort/session/url.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

using retort::database_url;
using retort::parse_database_url;
using backend = retort::database_url::backend_kind;
using endpoint = retort::database_url::endpoint;
using Query = std::map<std::string, std::string, std::less<>>;

/// A password that appears nowhere else, so a message containing it is a leak.
constexpr std::string_view secret = "Zq7SecretPassw0rdXk";

/// Parses `url`, expecting a configuration_error; returns its message.
std::string error_of(const std::string& url) {
    try {
        (void)parse_database_url(url);
    } catch (const retort::configuration_error& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("parse_database_url(\""
             << url << "\") threw something else than configuration_error: " << e.what());
    }
    FAIL("parse_database_url(\"" << url << "\") did not throw");
    return {};
}

}  // namespace

// ---- the forms that parse -------------------------------------------------------------------

TEST_CASE("url: sqlite paths", "[unit][url]") {
    const auto rel = parse_database_url("sqlite:///relative.db");
    CHECK(rel.backend == backend::sqlite);
    CHECK(rel.path == "relative.db");
    CHECK(rel.hosts.empty());
    CHECK(rel.query.empty());
    CHECK(rel.redacted == "sqlite:///relative.db");

    CHECK(parse_database_url("sqlite:///data/app.db").path == "data/app.db");
    CHECK(parse_database_url("sqlite:////abs/path.db").path == "/abs/path.db");
    CHECK(parse_database_url("sqlite:////var/lib/app/db.sqlite3").path ==
          "/var/lib/app/db.sqlite3");
    CHECK(parse_database_url("sqlite://:memory:").path == ":memory:");
    CHECK(parse_database_url("sqlite:///:memory:").path == ":memory:");
    CHECK(parse_database_url("sqlite://:memory:").backend == backend::sqlite);
    // sqlite3:// is an alias.
    const auto s3 = parse_database_url("sqlite3:///x.db");
    CHECK(s3.backend == backend::sqlite);
    CHECK(s3.path == "x.db");
    // The path is percent-decoded.
    CHECK(parse_database_url("sqlite:///my%20data/a%2Bb.db").path == "my data/a+b.db");

    const auto q = parse_database_url("sqlite:///app.db?mode=ro&busy_timeout=5000");
    CHECK(q.path == "app.db");
    CHECK(q.query == Query{{"busy_timeout", "5000"}, {"mode", "ro"}});
    CHECK(parse_database_url("sqlite://:memory:?cache=shared").query == Query{{"cache", "shared"}});
}

TEST_CASE("url: postgresql, full form from the header", "[unit][url]") {
    const auto u = parse_database_url(
        "postgresql://user:pass@host:5433/db?sslmode=verify-full&sslrootcert=/ca.pem");
    CHECK(u.backend == backend::postgres);
    CHECK(u.user == "user");
    CHECK(u.password == "pass");
    CHECK(u.hosts == std::vector<endpoint>{{"host", 5433}});
    CHECK(u.database == "db");
    CHECK(u.path.empty());
    CHECK(u.query == Query{{"sslmode", "verify-full"}, {"sslrootcert", "/ca.pem"}});
    CHECK(u.redacted ==
          "postgresql://user:***@host:5433/db?sslmode=verify-full&sslrootcert=/ca.pem");
}

TEST_CASE("url: postgresql, optional parts", "[unit][url]") {
    // postgres:// is an alias.
    CHECK(parse_database_url("postgres://h/db").backend == backend::postgres);

    const auto host_only = parse_database_url("postgresql://db.example.com");
    CHECK(host_only.hosts == std::vector<endpoint>{{"db.example.com", 0}});
    CHECK(host_only.user.empty());
    CHECK(host_only.password.empty());
    CHECK(host_only.database.empty());
    CHECK(host_only.redacted == "postgresql://db.example.com");

    const auto no_port = parse_database_url("postgresql://alice:pw@localhost/app");
    CHECK(no_port.user == "alice");
    CHECK(no_port.password == "pw");
    CHECK(no_port.hosts == std::vector<endpoint>{{"localhost", 0}});
    CHECK(no_port.database == "app");

    const auto no_password = parse_database_url("postgresql://alice@localhost:5432/app");
    CHECK(no_password.user == "alice");
    CHECK(no_password.password.empty());
    CHECK(no_password.hosts.at(0).port == 5432);
    CHECK(no_password.redacted == "postgresql://alice@localhost:5432/app");

    const auto no_db = parse_database_url("postgresql://alice:pw@localhost:5432");
    CHECK(no_db.database.empty());
    CHECK(no_db.hosts.at(0).port == 5432);
    CHECK(parse_database_url("postgresql://localhost:5432/").database.empty());

    // Empty password after the colon.
    const auto empty_pw = parse_database_url("postgresql://alice:@h/db");
    CHECK(empty_pw.user == "alice");
    CHECK(empty_pw.password.empty());

    // Port limits.
    CHECK(parse_database_url("postgresql://h:1/db").hosts.at(0).port == 1);
    CHECK(parse_database_url("postgresql://h:65535/db").hosts.at(0).port == 65535);
}

TEST_CASE("url: percent-encoded credentials and database", "[unit][url]") {
    const auto u = parse_database_url("postgresql://us%65r:p%40ss%3Aw%2Fo%3Frd%25@h/my%20db");
    CHECK(u.user == "user");
    CHECK(u.password == "p@ss:w/o?rd%");
    CHECK(u.database == "my db");
    CHECK(u.hosts == std::vector<endpoint>{{"h", 0}});
    CHECK(u.redacted == "postgresql://us%65r:***@h/my%20db");
    CHECK(u.redacted.find("p%40ss") == std::string::npos);

    // An unencoded '@' in the password: the last '@' ends the credentials.
    const auto at = parse_database_url("postgresql://bob:a@b@h/db");
    CHECK(at.user == "bob");
    CHECK(at.password == "a@b");
    CHECK(at.hosts == std::vector<endpoint>{{"h", 0}});
    CHECK(at.redacted == "postgresql://bob:***@h/db");

    // A ':' in the password: the first ':' ends the user.
    const auto colon = parse_database_url("postgresql://bob:x:y@h/db");
    CHECK(colon.user == "bob");
    CHECK(colon.password == "x:y");
}

TEST_CASE("url: IPv6 hosts", "[unit][url]") {
    const auto u = parse_database_url("postgresql://u:pw@[::1]:5433/db");
    CHECK(u.hosts == std::vector<endpoint>{{"::1", 5433}});
    CHECK(u.database == "db");
    CHECK(u.password == "pw");

    const auto no_port = parse_database_url("postgresql://[2001:db8::1]/db");
    CHECK(no_port.hosts == std::vector<endpoint>{{"2001:db8::1", 0}});
    CHECK(no_port.database == "db");

    const auto loopback = parse_database_url("postgres://[::ffff:127.0.0.1]:6000");
    CHECK(loopback.hosts == std::vector<endpoint>{{"::ffff:127.0.0.1", 6000}});
    CHECK(loopback.database.empty());
}

TEST_CASE("url: query parameters", "[unit][url]") {
    const auto u = parse_database_url("postgresql://h/"
                                      "db?application_name=my%20app&options=-c%20statement_timeout%"
                                      "3D5s&empty=&&connect_timeout=10&");
    CHECK(u.query == Query{{"application_name", "my app"},
                           {"connect_timeout", "10"},
                           {"empty", ""},
                           {"options", "-c statement_timeout=5s"}});
    // The first '=' separates key and value.
    CHECK(parse_database_url("postgresql://h/db?a=b=c").query == Query{{"a", "b=c"}});
    // A repeated key keeps the last value.
    CHECK(parse_database_url("postgresql://h/db?a=1&a=2").query == Query{{"a", "2"}});
    // Keys are percent-decoded too.
    CHECK(parse_database_url("postgresql://h/db?ssl%6dode=require").query ==
          Query{{"sslmode", "require"}});
    // A query with nothing in it.
    CHECK(parse_database_url("postgresql://h/db?").query.empty());
}

// ---- errors ---------------------------------------------------------------------------------

TEST_CASE("url: errors are configuration_error and name the problem", "[unit][url]") {
    CHECK_THAT(error_of("localhost/db"), Catch::Contains("no scheme"));
    CHECK_THAT(error_of(""), Catch::Contains("no scheme"));
    CHECK_THAT(error_of("sqlite:relative.db"), Catch::Contains("no scheme"));

    const std::string unknown = error_of("mysql://u@h/db");
    CHECK_THAT(unknown, Catch::Contains("unsupported scheme 'mysql'"));
    CHECK_THAT(error_of("http://h/db"), Catch::Contains("'http'"));

    CHECK_THAT(error_of("postgresql://h:0/db"), Catch::Contains("invalid port '0'"));
    CHECK_THAT(error_of("postgresql://h:70000/db"), Catch::Contains("invalid port '70000'"));
    CHECK_THAT(error_of("postgresql://h:65536/db"), Catch::Contains("invalid port"));
    // A port that is no number is not quoted: it may be a password whose '@' was forgotten.
    CHECK_THAT(error_of("postgresql://h:abc/db"), Catch::Contains("invalid port ("));
    CHECK_THAT(error_of("postgresql://h:abc/db"), !Catch::Contains("abc"));
    CHECK_THAT(error_of("postgresql://h:-1/db"), Catch::Contains("invalid port"));
    CHECK_THAT(error_of("postgresql://h:54x/db"), Catch::Contains("invalid port"));
    CHECK_THAT(error_of("postgresql://[::1]:99999/db"), Catch::Contains("invalid port"));

    CHECK_THAT(error_of("postgresql:///db"), Catch::Contains("names no host"));
    CHECK_THAT(error_of("postgresql://"), Catch::Contains("names no host"));
    CHECK_THAT(error_of("postgresql://u:pw@/db"), Catch::Contains("names no host"));
    CHECK_THAT(error_of("postgresql://:5432/db"), Catch::Contains("names no host"));
    CHECK_THAT(error_of("postgresql://[]:5432/db"), Catch::Contains("names no host"));

    CHECK_THAT(error_of("postgresql://u:p%zzw@h/db"),
               Catch::Contains("malformed percent-escape in the password"));
    CHECK_THAT(error_of("postgresql://u%4@h/db"),
               Catch::Contains("malformed percent-escape in the user"));
    CHECK_THAT(error_of("postgresql://h/d%"),
               Catch::Contains("malformed percent-escape in the database name"));
    CHECK_THAT(error_of("postgresql://h/db?a=%G1"),
               Catch::Contains("malformed percent-escape in the query"));
    CHECK_THAT(error_of("sqlite:///a%2.db"),
               Catch::Contains("malformed percent-escape in the path"));

    CHECK_THAT(error_of("postgresql://h/db?sslmode"),
               Catch::Contains("malformed query parameter 'sslmode'"));
    CHECK_THAT(error_of("postgresql://h/db?=x"), Catch::Contains("malformed query parameter '=x'"));
    CHECK_THAT(error_of("sqlite:///a.db?a=1&oops"),
               Catch::Contains("malformed query parameter 'oops'"));

    CHECK_THAT(error_of("sqlite://"), Catch::Contains("names no SQLite file"));
    CHECK_THAT(error_of("sqlite:///"), Catch::Contains("names no SQLite file"));
    CHECK_THAT(error_of("sqlite://relative.db"), Catch::Contains("names no SQLite file"));
    CHECK_THAT(error_of("sqlite://?mode=ro"), Catch::Contains("names no SQLite file"));

    CHECK_THAT(error_of("postgresql://[::1/db"), Catch::Contains("unclosed '['"));
    CHECK_THAT(error_of("postgresql://[::1]x/db"), Catch::Contains("junk after its host"));
    CHECK_THAT(error_of("postgresql://h/db/more"), Catch::Contains("'/' in its database name"));

    // Every error is a configuration_error, which is a retort::error.
    CHECK_THROWS_AS(parse_database_url("mysql://h/db"), retort::configuration_error);
    CHECK_THROWS_AS(parse_database_url("mysql://h/db"), retort::error);
}

TEST_CASE("url: error messages never contain the password", "[unit][url][security]") {
    const std::string pw{secret};
    const std::vector<std::string> bad_urls{
        "mysql://user:" + pw + "@h/db",               // unknown scheme
        "postgresql://user:" + pw + "@h:0/db",        // port 0
        "postgresql://user:" + pw + "@h:70000/db",    // port too large
        "postgresql://user:" + pw + "@h:abc/db",      // port not a number
        "postgresql://user:" + pw + "@/db",           // no host
        "postgresql://user:" + pw + "%zz@h/db",       // bad escape in the password
        "postgresql://us%zzer:" + pw + "@h/db",       // bad escape in the user
        "postgresql://user:" + pw + "@h/d%b",         // bad escape in the database
        "postgresql://user:" + pw + "@h/db?sslmode",  // malformed query parameter
        "postgresql://user:" + pw + "@h/db?a=%G1",    // bad escape in the query
        "postgresql://user:" + pw + "@[::1/db",       // unclosed [
        "postgresql://user:" + pw + "@[::1]x/db",     // junk after the host
        "postgresql://user:" + pw + "@h/db/x",        // '/' in the database name
    };
    for (const auto& url : bad_urls) {
        const std::string message = error_of(url);
        INFO("URL: " << url << "\nmessage: " << message);
        CHECK(message.find(pw) == std::string::npos);
        CHECK_THAT(message, Catch::Contains("***"));
        CHECK_THAT(message, Catch::StartsWith("retort: "));
    }
    // A successful parse keeps the password out of `redacted`.
    const auto ok = parse_database_url("postgresql://user:" + pw + "@h:5432/db?sslmode=require");
    CHECK(ok.password == pw);
    CHECK(ok.redacted.find(pw) == std::string::npos);
    CHECK(ok.redacted == "postgresql://user:***@h:5432/db?sslmode=require");
}

TEST_CASE("url: malformed URLs with credentials do not leak the password",
          "[unit][url][security]") {
    const std::string pw{secret};
    // No "://" at all: the URL is not recognised, but its credentials must still be masked.
    for (const std::string& url :
         {"user:" + pw + "@localhost/db", "postgresql:/user:" + pw + "@h/db",
          "postgresql//user:" + pw + "@h/db"}) {
        const std::string message = error_of(url);
        INFO("URL: " << url << "\nmessage: " << message);
        CHECK_THAT(message, Catch::Contains("no scheme"));
        CHECK(message.find(pw) == std::string::npos);
    }
    // An unencoded '/' or '?' in a password ends the authority (RFC 3986), and the '@' after it
    // makes the URL ambiguous: refused, with the whole would-be password masked.
    const std::string head = "Zq7Head";
    const std::string tail = "Passw0rdTail";
    for (const std::string sep : {"/", "?", "#"}) {
        const std::string message =
            error_of("postgresql://user:" + head + sep + tail + "@h:5432/db");
        INFO("message: " << message);
        CHECK_THAT(message, Catch::Contains("ambiguous"));
        CHECK_THAT(message, Catch::Contains("%2F, %3F, %23, %40"));
        CHECK(message.find(head) == std::string::npos);
        CHECK(message.find(tail) == std::string::npos);
    }
    // An error after the credentials still quotes only the masked URL.
    const std::string message =
        error_of("postgresql://user:" + head + "%2F" + tail + "@h:99999/db");
    CHECK_THAT(message, Catch::Contains("invalid port"));
    CHECK(message.find(head) == std::string::npos);
    CHECK(message.find(tail) == std::string::npos);
}

TEST_CASE("url: database_url_from_env falls back", "[unit][url]") {
    // Only checked when DATABASE_URL is not set in the environment running the tests.
    if (std::getenv("DATABASE_URL") == nullptr) {
        CHECK(retort::database_url_from_env() == "sqlite:///retort.db");
        CHECK(retort::database_url_from_env("sqlite://:memory:") == "sqlite://:memory:");
    }
}

// ---- raw SQL: ? -> $n -----------------------------------------------------------------------

TEST_CASE("raw_sql: ? becomes $1, $2, ... in order", "[unit][raw_sql]") {
    using retort::detail::number_placeholders;
    CHECK(number_placeholders("SELECT 1") == "SELECT 1");
    CHECK(number_placeholders("") == "");
    CHECK(number_placeholders("?") == "$1");
    CHECK(number_placeholders("SELECT * FROM t WHERE a = ? AND b = ?") ==
          "SELECT * FROM t WHERE a = $1 AND b = $2");
    CHECK(number_placeholders("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?)") ==
          "INSERT INTO t VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)");
    CHECK(number_placeholders("SELECT ?::int") == "SELECT $1::int");
}

TEST_CASE("raw_sql: ? inside literals, identifiers, comments and dollar quotes stays",
          "[unit][raw_sql]") {
    using retort::detail::number_placeholders;
    CHECK(number_placeholders("SELECT '?' , ?") == "SELECT '?' , $1");
    CHECK(number_placeholders("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1");
    CHECK(number_placeholders("SELECT '' , ?") == "SELECT '' , $1");
    CHECK(number_placeholders(R"(SELECT "we?ird" FROM t WHERE x = ?)") ==
          R"(SELECT "we?ird" FROM t WHERE x = $1)");
    CHECK(number_placeholders(R"(SELECT "a""?" , ?)") == R"(SELECT "a""?" , $1)");
    CHECK(number_placeholders("SELECT ? -- why?\n, ?") == "SELECT $1 -- why?\n, $2");
    CHECK(number_placeholders("SELECT ? -- trailing ?") == "SELECT $1 -- trailing ?");
    CHECK(number_placeholders("SELECT /* ? */ ? /* ?? */, ?") == "SELECT /* ? */ $1 /* ?? */, $2");
    CHECK(number_placeholders("SELECT 1 /* unterminated ?") == "SELECT 1 /* unterminated ?");
    CHECK(number_placeholders("SELECT $$ ? $$, ?") == "SELECT $$ ? $$, $1");
    CHECK(number_placeholders("SELECT $fn$ it's ? $fn$, ?") == "SELECT $fn$ it's ? $fn$, $1");
    CHECK(number_placeholders("SELECT $a$ $b$ ? $b$ $a$, ?") == "SELECT $a$ $b$ ? $b$ $a$, $1");
    // A single '-' or '/' is an operator, not a comment.
    CHECK(number_placeholders("SELECT ? - ?, ? / ?") == "SELECT $1 - $2, $3 / $4");
    // Numbered placeholders already there are left as they are.
    CHECK(number_placeholders("SELECT $1") == "SELECT $1");
    // An unterminated literal swallows the rest (the server reports the error).
    CHECK(number_placeholders("SELECT 'open ?") == "SELECT 'open ?");
}

TEST_CASE("raw_sql: PostgreSQL lexical corner cases", "[unit][raw_sql]") {
    using retort::detail::number_placeholders;
    // An escape string: \' does not end it.
    CHECK(number_placeholders(R"(SELECT E'it\'s ?', ?)") == R"(SELECT E'it\'s ?', $1)");
    // '$' inside identifiers does not start a dollar quote.
    CHECK(number_placeholders("SELECT a$x, b$y FROM t WHERE c = ?") ==
          "SELECT a$x, b$y FROM t WHERE c = $1");
    // Block comments nest in PostgreSQL.
    CHECK(number_placeholders("SELECT /* a /* b */ ? */ ?") == "SELECT /* a /* b */ ? */ $1");
}

TEST_CASE("url: passwords in query parameters are masked, '@' in a query value is not credentials",
          "[unit][url][security]") {
    const std::string pw{secret};
    try {
        (void)retort::postgres::options_from(
            parse_database_url("postgresql://app@db/prod?password=" + pw + "&connect_timeout=abc"));
        FAIL("connect_timeout=abc was accepted");
    } catch (const retort::configuration_error& e) {
        CHECK_THAT(std::string{e.what()}, Catch::Contains("connect_timeout"));
        CHECK(std::string{e.what()}.find(pw) == std::string::npos);
    }
    const auto with_query_pw =
        parse_database_url("postgresql://app@db/prod?password=" + pw + "&sslmode=require");
    CHECK(with_query_pw.password == pw);
    CHECK(with_query_pw.query == Query{{"sslmode", "require"}});
    CHECK(with_query_pw.redacted == "postgresql://app@db/prod?password=***&sslmode=require");

    // An '@' in a query value is written %40: a raw one could end a password (refused).
    const auto at_in_query = parse_database_url("postgresql://app:" + pw +
                                                "@db.internal/prod?application_name=me%40host");
    CHECK(at_in_query.hosts == std::vector<endpoint>{{"db.internal", 0}});
    CHECK(at_in_query.password == pw);
    CHECK(at_in_query.database == "prod");
    CHECK(at_in_query.query.at("application_name") == "me@host");
    CHECK(at_in_query.redacted.find(pw) == std::string::npos);
    const std::string refused =
        error_of("postgresql://app:" + pw + "@db.internal/prod?application_name=me@host");
    CHECK_THAT(refused, Catch::Contains("ambiguous"));
    CHECK(refused.find(pw) == std::string::npos);
}

TEST_CASE("raw_sql: ?? is a literal question mark (jsonb operators)", "[unit][raw_sql]") {
    using retort::detail::number_placeholders;
    CHECK(number_placeholders("SELECT doc ?? 'k' FROM t WHERE id = ?") ==
          "SELECT doc ? 'k' FROM t WHERE id = $1");
    CHECK(number_placeholders("doc ??| ? AND doc ??& ?") == "doc ?| $1 AND doc ?& $2");
}

TEST_CASE("url: PG_SSL_ROOT_CERT and PG_SSL_ALLOW_SELF_SIGNED fill in what the URL leaves",
          "[unit][url]") {
    struct env_guard {
        const char* name;
        explicit env_guard(const char* n, const char* value) : name(n) { ::setenv(n, value, 1); }
        ~env_guard() { ::unsetenv(name); }
    };
    const auto url = parse_database_url("postgresql://u:p@h/db");
    {
        env_guard cert{"PG_SSL_ROOT_CERT", "/etc/ssl/ca.pem"};
        const auto o = retort::postgres::options_from(url);
        CHECK(o.sslrootcert == "/etc/ssl/ca.pem");
        CHECK(o.sslmode == "verify-full");
        // the URL wins over the environment
        const auto explicit_url =
            parse_database_url("postgresql://u:p@h/db?sslmode=require&sslrootcert=/mine.pem");
        const auto o2 = retort::postgres::options_from(explicit_url);
        CHECK(o2.sslrootcert == "/mine.pem");
        CHECK(o2.sslmode == "require");
    }
    {
        env_guard self_signed{"PG_SSL_ALLOW_SELF_SIGNED", "true"};
        CHECK(retort::postgres::options_from(url).sslmode == "require");
        CHECK(retort::postgres::options_from(
                  parse_database_url("postgresql://u:p@h/db?sslmode=disable"))
                  .sslmode == "disable");
    }
    CHECK(retort::postgres::options_from(url).sslmode.empty());  // libpq's default
}
