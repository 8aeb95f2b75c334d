// Credentials against a real PostgreSQL server: generated passwords reach the server named by
// the URL and authenticate; refused, timed-out and failed connections report the server's words
// intact and never the password; host lists are tried as libpq tries them.

#include "support/test_db.hpp"

#include <retort/retort.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <netinet/in.h>
#include <random>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace {

struct server {
    std::string host, user, password, database;
    int port = 0;
};

server test_server() {
    const auto url = retort::parse_database_url(test::postgres_url());
    return {url.hosts.at(0).host, url.user, url.password, url.database,
            url.hosts.at(0).port != 0 ? url.hosts.at(0).port : 5432};
}

std::string encode(char c) {
    char buffer[4];
    std::snprintf(buffer, sizeof buffer, "%%%02X", static_cast<unsigned char>(c));
    return buffer;
}

/// `password` as a URL's user information may hold it: '%', '/', '?', '#' and '@' encoded,
/// and every other character raw or encoded as `rng` decides.
std::string encode_password(const std::string& password, std::mt19937& rng) {
    std::uniform_int_distribution<int> coin(0, 2);
    std::string out;
    for (const char c : password) {
        const bool must = c == '%' || c == '/' || c == '?' || c == '#' || c == '@';
        out += must || coin(rng) == 0 ? encode(c) : std::string(1, c);
    }
    return out;
}

std::string sql_literal(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

/// What connecting to `url` throws, as text; empty when it connected.
std::string connect_error(const std::string& url) {
    auto db = retort::engine::from_url(url);
    try {
        db.visit([](auto& e) { e.session(); });
    } catch (const retort::connection_error& e) {
        return e.what();
    }
    return {};
}

/// A loopback TCP port that accepts connections and never says a word.
struct silent_listener {
    int fd = -1;
    int port = 0;
    silent_listener() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(fd, 16) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port = ntohs(address.sin_port);
    }
    ~silent_listener() { ::close(fd); }
    silent_listener(const silent_listener&) = delete;
    silent_listener& operator=(const silent_listener&) = delete;
};

/// The message has no run of mask characters: nothing was replaced inside the server's words.
void check_not_mangled(const std::string& message) {
    CHECK(message.find("***") == std::string::npos);
}

}  // namespace

TEST_CASE("credentials: generated passwords authenticate at the host the URL names",
          "[postgres-only][security]") {
    const server s = test_server();
    auto admin = retort::engine::from_url(test::postgres_url());
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> printable(0x21, 0x7e), length(8, 20);
    std::vector<std::string> logged;
    for (int round = 0; round < 24; ++round) {
        std::string password;
        const int n = length(rng);
        for (int i = 0; i < n; ++i) password += static_cast<char>(printable(rng));
        const std::string role = "retort_cred_" + std::to_string(round);
        admin.visit([&](auto& e) {
            auto session = e.session();
            session.execute_script("DROP ROLE IF EXISTS " + role);
            session.execute_script("CREATE ROLE " + role + " LOGIN PASSWORD " +
                                   sql_literal(password));
        });
        const std::string url = "postgresql://" + role + ":" + encode_password(password, rng) +
                                "@" + s.host + ":" + std::to_string(s.port) + "/" + s.database;
        INFO("password: " << password << "\nURL: " << url);
        auto db = retort::engine::from_url(url);
        db.on_sql(
            [&](std::string_view sql, std::chrono::nanoseconds) { logged.emplace_back(sql); });
        db.visit([&](auto& e) {
            auto session = e.session();
            const auto who = session.template query<std::string>("SELECT current_user::text");
            REQUIRE(who.size() == 1);
            CHECK(std::get<0>(who[0]) == role);
        });
        const auto health = db.health();
        CHECK(health.ok);
        CHECK(retort::redact_database_url(url).find(password) == std::string::npos);
        for (const auto& line : logged) CHECK(line.find(password) == std::string::npos);

        // The same URL with one character of the password changed is refused by the server,
        // and neither the message nor health() shows the password.
        const std::string wrong = "postgresql://" + role + ":" + encode_password(password, rng) +
                                  "Q7@" + s.host + ":" + std::to_string(s.port) + "/" + s.database;
        const std::string message = connect_error(wrong);
        CHECK_THAT(message,
                   Catch::Contains("password authentication failed for user \"" + role + "\""));
        CHECK(message.find(password) == std::string::npos);
        auto failing = retort::engine::from_url(wrong);
        const auto failed_health = failing.health();
        CHECK_FALSE(failed_health.ok);
        CHECK(failed_health.error.find(password) == std::string::npos);
        admin.visit([&](auto& e) { e.session().execute_script("DROP ROLE " + role); });
    }
}

TEST_CASE("credentials: short passwords leave the server's words intact",
          "[postgres-only][security]") {
    // Passwords of one to four characters occur inside ordinary words ("e" in "connect", "1"
    // in "127.0.0.1"). Masking by substring search would mangle those words; nothing may.
    const server s = test_server();
    const std::string where = s.host + ":" + std::to_string(s.port) + "/" + s.database;
    for (const std::string password : {"e", "x", "1", "o", "t", "3", ".", ":", "ab", "127", "onn",
                                       "Post", "tion", "e1!", "fail"}) {
        INFO("password: " << password);
        std::string encoded;
        for (const char c : password) encoded += c == ':' ? "%3A" : std::string(1, c);

        const std::string auth =
            connect_error("postgresql://" + s.user + ":" + encoded + "Zq@" + where);
        CHECK_THAT(auth, Catch::Contains("retort: cannot connect to PostgreSQL at " + where));
        CHECK_THAT(auth,
                   Catch::Contains("password authentication failed for user \"" + s.user + "\""));
        check_not_mangled(auth);

        const std::string refused =
            connect_error("postgresql://" + s.user + ":" + encoded + "@127.0.0.1:1/" + s.database);
        CHECK_THAT(refused, Catch::Contains("cannot connect to PostgreSQL at 127.0.0.1:1/"));
        CHECK_THAT(refused, Catch::Contains("Connection refused"));
        check_not_mangled(refused);
    }
    // A server that accepts and never answers: libpq's connect_timeout expires.
    const silent_listener silent;
    for (const std::string password : {"e", "x", "1"}) {
        const auto start = std::chrono::steady_clock::now();
        const std::string timeout =
            connect_error("postgresql://" + s.user + ":" + password +
                          "@127.0.0.1:" + std::to_string(silent.port) + "/db?connect_timeout=1");
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
        CHECK_THAT(timeout, Catch::Contains("127.0.0.1:" + std::to_string(silent.port)));
        CHECK_THAT(timeout, Catch::Contains("timeout expired"));
        check_not_mangled(timeout);
    }
}

TEST_CASE("host lists: libpq tries each host, and errors name the hosts tried",
          "[postgres-only][security]") {
    const server s = test_server();
    const std::string credentials = s.user + ":" + s.password;
    const std::string port = std::to_string(s.port);

    // The first host refuses; the second is the server.
    auto db = retort::engine::from_url("postgresql://" + credentials + "@127.0.0.1:1," + s.host +
                                       ":" + port + "/" + s.database);
    db.visit([](auto& e) {
        auto session = e.session();
        CHECK(session.template query<int>("SELECT 1").size() == 1);
    });

    // The keyword form: the port tried is the one the message names.
    const std::string message =
        connect_error("postgresql://" + credentials + "@/" + s.database + "?host=127.0.0.1&port=1");
    CHECK_THAT(message, Catch::Contains("cannot connect to PostgreSQL at 127.0.0.1:1/"));
    CHECK(message.find(s.password) == std::string::npos);
    auto keyword = retort::engine::from_url("postgresql://" + credentials + "@/" + s.database +
                                            "?host=" + s.host + "&port=" + port);
    keyword.visit([](auto& e) { CHECK(e.session().template query<int>("SELECT 1").size() == 1); });

    // Every host refuses: the message names them all, in order.
    const std::string both =
        connect_error("postgresql://" + credentials + "@127.0.0.1:1,127.0.0.1:2/" + s.database);
    CHECK_THAT(both, Catch::Contains("at 127.0.0.1:1,127.0.0.1:2/"));
}
